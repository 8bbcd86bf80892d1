import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Column, Entity, Index } from 'typeorm';
import { decimal, money } from '@concord/common';
import { Money, moneyOf, RecordEntity } from '@concord/graphql';

/**
 * The forecast of one project's revenue for one month in one currency, kept as it was when finance (or a job)
 * recorded it, so forecast accuracy can be measured against the month's actuals later. One per month, project and
 * currency; never changed after it is written.
 */
@ObjectType('RevenueForecastSnapshot', { description: "A project's revenue forecast for one month and currency, kept as it was recorded." })
@Entity({ name: 'revenue_forecast_snapshot', schema: 'erp' })
@Index('ux_revenue_forecast_snapshot_month_project_id_currency', ['month', 'projectId', 'currency'], { unique: true })
export class RevenueForecastSnapshotEntity extends RecordEntity {
  /** First day of the forecast month. */
  @Column('date')
  month: string;

  @Field(() => ID, { description: 'The PSA project.' })
  @Column('uuid')
  projectId: string;

  @Field(() => ID, { nullable: true, description: "The project's contract, whose billing schedule gave the fixed fee." })
  @Column('uuid', { nullable: true })
  contractId: string | null;

  @Field()
  @Column('char', { length: 3 })
  currency: string;

  @Column('numeric', { name: 'time_and_materials', precision: 18, scale: 2 })
  timeAndMaterialsAmount: string;

  @Column('numeric', { name: 'fixed_fee', precision: 18, scale: 2 })
  fixedFeeAmount: string;

  @Field({ description: 'Who recorded the snapshot (user or service account).' })
  @Column('text')
  recordedBy: string;

  @Field({ name: 'month', description: 'The forecast month, YYYY-MM.' })
  get period(): string {
    return this.month.slice(0, 7);
  }

  @Field(() => Money, { description: "PSA's T&M forecast of the month as read when recorded." })
  get timeAndMaterials(): Money {
    return moneyOf(this.timeAndMaterialsAmount, this.currency) as Money;
  }

  @Field(() => Money, { description: "PLANNED and READY billing-schedule lines of the project's contract in the month, when recorded." })
  get fixedFee(): Money {
    return moneyOf(this.fixedFeeAmount, this.currency) as Money;
  }

  @Field(() => Money, { description: 'timeAndMaterials + fixedFee: the forecast F of DOMAIN.md §3 forecast accuracy.' })
  get total(): Money {
    return money(decimal(this.timeAndMaterialsAmount).plus(this.fixedFeeAmount), this.currency);
  }
}
