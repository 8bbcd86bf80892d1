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

  @Field(() => String, {
    nullable: true,
    description: "ISO-4217 functional currency of the contract's legal entity; null on entries recorded by hand (no FX kept).",
  })
  @Column('char', { length: 3, nullable: true })
  functionalCurrency: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Rate contract currency → functional currency on the last day of the period (6 decimals), snapshotted; null when not kept.',
  })
  @Column('numeric', { precision: 18, scale: 6, nullable: true })
  fxRate: string | null;

  @Column('numeric', { name: 'recognized_functional', precision: 18, scale: 2, nullable: true })
  recognizedFunctionalAmount: string | null;

  @Field(() => Money, { description: 'Revenue recognised in this period.' })
  get recognizedAmount(): Money | null {
    return moneyOf(this.recognizedAmountAmount, this.currency);
  }

  @Field(() => Money, {
    nullable: true,
    description:
      "recognizedAmount in the legal entity's functional currency: × fxRate, half-even to that currency's decimals; null when not kept.",
  })
  get recognizedFunctional(): Money | null {
    return this.functionalCurrency === null ? null : moneyOf(this.recognizedFunctionalAmount, this.functionalCurrency);
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
