import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Column, Entity, Index } from 'typeorm';
import { Money, moneyOf, RecordEntity } from '@concord/graphql';
import { RevRecMethod } from '../contract/contract-line.entity';

/**
 * Revenue recognised on a contract line for one month (DOMAIN.md §1 RevenueEntry). Entries of a line form a
 * running ledger: cumulativeRecognized = previous cumulative + recognizedAmount; unbilled (WIP) and deferred
 * compare it with what was billed to date.
 */
@ObjectType('RevenueEntry', { description: 'Revenue recognised on a contract line for one month, with its running totals.' })
@Entity({ name: 'revenue_entry', schema: 'erp' })
@Index('ux_revenue_entry_contract_line_id_period', ['contractLineId', 'period'], { unique: true })
@Index('ix_revenue_entry_contract_id', ['contractId'])
@Index('ix_revenue_entry_project_id_period_id', ['projectId', 'period', 'id'])
@Index('ix_revenue_entry_period_id', ['period', 'id'])
@Index('ix_revenue_entry_created_at_id', ['createdAt', 'id'])
export class RevenueEntryEntity extends RecordEntity {
  @Field(() => ID)
  @Column('uuid')
  contractLineId: string;

  @Field(() => ID, { description: "The contract line's contract (denormalised)." })
  @Column('uuid')
  contractId: string;

  @Field(() => ID, { nullable: true, description: 'The PSA Project that delivered the revenue, if any.' })
  @Column('uuid', { nullable: true })
  projectId: string | null;

  @Field({ description: 'First day of the month recognised, ISO date (YYYY-MM-DD).' })
  @Column('date')
  period: string;

  @Field(() => RevRecMethod)
  @Column('text')
  method: RevRecMethod;

  @Column('numeric', { name: 'recognized_amount', precision: 18, scale: 2 })
  recognizedAmountAmount: string;

  @Column('numeric', { name: 'cumulative_recognized', precision: 18, scale: 2 })
  cumulativeRecognizedAmount: string;

  @Column('numeric', { name: 'billed_to_date', precision: 18, scale: 2 })
  billedToDateAmount: string;

  @Column('numeric', { name: 'unbilled', precision: 18, scale: 2 })
  unbilledAmount: string;

  @Column('numeric', { name: 'deferred', precision: 18, scale: 2 })
  deferredAmount: string;

  @Field({ description: 'ISO-4217 currency: the contract currency.' })
  @Column('char', { length: 3 })
  currency: string;

  @Field(() => Money, { description: 'Revenue recognised in this period.' })
  get recognizedAmount(): Money | null {
    return moneyOf(this.recognizedAmountAmount, this.currency);
  }

  @Field(() => Money, { description: 'Revenue recognised on the contract line up to and including this period.' })
  get cumulativeRecognized(): Money | null {
    return moneyOf(this.cumulativeRecognizedAmount, this.currency);
  }

  @Field(() => Money, { description: 'Invoiced on the contract line up to the end of the period.' })
  get billedToDate(): Money | null {
    return moneyOf(this.billedToDateAmount, this.currency);
  }

  @Field(() => Money, { description: 'Recognised but not yet billed (WIP): max(cumulative − billed, 0).' })
  get unbilled(): Money | null {
    return moneyOf(this.unbilledAmount, this.currency);
  }

  @Field(() => Money, { description: 'Billed but not yet recognised: max(billed − cumulative, 0).' })
  get deferred(): Money | null {
    return moneyOf(this.deferredAmount, this.currency);
  }
}
