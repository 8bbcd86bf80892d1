import { Directive, Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, Entity, Index } from 'typeorm';
import { Money, moneyOf, RecordEntity } from '@concord/graphql';

export enum IntercompanySourceType {
  TIME = 'TIME',
  EXPENSE = 'EXPENSE',
}

registerEnumType(IntercompanySourceType, { name: 'IntercompanySourceType' });

/**
 * Work one legal entity did on another entity's project (DOMAIN.md §1: resources and projects each belong to a legal
 * entity): the delivering entity charges the project's entity its cost plus a markup. One charge per source (a time
 * entry or an expense), so recording it again returns the same charge.
 */
@ObjectType('IntercompanyCharge', {
  description: 'What the legal entity of a resource charges the legal entity of the project it worked on, for one time entry or expense.',
})
@Directive('@key(fields: "id")')
@Entity({ name: 'intercompany_charge', schema: 'erp' })
@Index('uq_intercompany_charge_source', ['sourceType', 'sourceId'], { unique: true })
@Index('ix_intercompany_charge_project_id', ['projectId', 'date', 'id'])
@Index('ix_intercompany_charge_from_date', ['fromLegalEntityId', 'date', 'id'])
@Index('ix_intercompany_charge_to_date', ['toLegalEntityId', 'date', 'id'])
export class IntercompanyChargeEntity extends RecordEntity {
  @Field(() => IntercompanySourceType)
  @Column('text')
  sourceType: IntercompanySourceType;

  @Field(() => ID, { description: 'The PSA time entry or expense.' })
  @Column('uuid')
  sourceId: string;

  @Field(() => ID, { description: 'The legal entity of the resource who did the work: it charges.' })
  @Column('uuid')
  fromLegalEntityId: string;

  @Field(() => ID, { description: 'The legal entity of the project: it is charged.' })
  @Column('uuid')
  toLegalEntityId: string;

  @Field(() => ID)
  @Column('uuid')
  projectId: string;

  @Field({ description: 'ISO date of the work.' })
  @Column('date')
  date: string;

  @Field(() => String, { nullable: true, description: 'Hours of a time entry; null for an expense.' })
  @Column('numeric', { precision: 10, scale: 2, nullable: true })
  hours: string | null;

  @Field({ description: 'ISO-4217: the currency of the source.' })
  @Column('char', { length: 3 })
  currency: string;

  @Column('numeric', { name: 'cost', precision: 18, scale: 2 })
  costAmount: string;

  @Field({ description: 'Markup on cost in percent (transfer price = cost × (1 + markup / 100)).' })
  @Column('numeric', { precision: 5, scale: 2 })
  markupPct: string;

  @Column('numeric', { name: 'amount', precision: 18, scale: 2 })
  amountAmount: string;

  @Field(() => Money, { description: 'The delivering entity’s cost of the work.' })
  get cost(): Money | null {
    return moneyOf(this.costAmount, this.currency);
  }

  @Field(() => Money, { description: 'The transfer price: cost plus markup, rounded to cents.' })
  get amount(): Money | null {
    return moneyOf(this.amountAmount, this.currency);
  }
}
