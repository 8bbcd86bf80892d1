import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, Entity, Index } from 'typeorm';
import { Money, moneyOf, RecordEntity } from '@concord/graphql';

export enum BillingScheduleLineStatus {
  PLANNED = 'PLANNED',
  READY = 'READY',
  INVOICED = 'INVOICED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(BillingScheduleLineStatus, { name: 'BillingScheduleLineStatus', description: 'See billing-schedule.states.ts.' });

/** One planned billing event: an amount (or a percentage of the line) on a date or at a milestone. */
@ObjectType('BillingScheduleLine', { description: 'A planned billing event of a billing schedule.' })
@Entity({ name: 'billing_schedule_line', schema: 'erp' })
@Index('ix_billing_schedule_line_billing_schedule_id_planned_date_id', ['billingScheduleId', 'plannedDate', 'id'])
@Index('ix_billing_schedule_line_contract_id', ['contractId'])
@Index('ix_billing_schedule_line_planned_date_id', ['plannedDate', 'id'])
@Index('ix_billing_schedule_line_milestone_id', ['milestoneId'])
@Index('ix_billing_schedule_line_invoice_id', ['invoiceId'])
export class BillingScheduleLineEntity extends RecordEntity {
  @Field(() => ID)
  @Column('uuid')
  billingScheduleId: string;

  @Field(() => ID, { description: "The schedule's contract (denormalised for filtering)." })
  @Column('uuid')
  contractId: string;

  @Field({ description: 'ISO date (YYYY-MM-DD) the amount becomes billable.' })
  @Column('date')
  plannedDate: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  description: string | null;

  /** Amount to bill; when pct is set, derived from the contract line amount and kept in step with it. */
  @Column('numeric', { name: 'amount', precision: 18, scale: 2, nullable: true })
  amountAmount: string | null;

  @Field(() => String, { nullable: true, description: 'Percent (0-100) of the contract line amount, decimal string.' })
  @Column('numeric', { precision: 5, scale: 2, nullable: true })
  pct: string | null;

  @Field({ description: 'The contract currency.' })
  @Column('char', { length: 3 })
  currency: string;

  @Field(() => ID, { nullable: true, description: 'The PSA Milestone whose acceptance makes this line READY.' })
  @Column('uuid', { nullable: true })
  milestoneId: string | null;

  @Field(() => BillingScheduleLineStatus)
  @Column('text', { default: BillingScheduleLineStatus.PLANNED })
  status: BillingScheduleLineStatus;

  @Field(() => Date, {
    nullable: true,
    description: 'When the line first became READY (its date reached or its milestone accepted); revenue by milestone counts from then.',
  })
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  readyAt: Date | null;

  @Field(() => ID, { nullable: true, description: 'The invoice that billed this line (set when INVOICED).' })
  @Column('uuid', { nullable: true })
  invoiceId: string | null;

  @Field(() => Money, { nullable: true, description: 'Amount to bill; null only for a percentage of a line without an amount.' })
  get amount(): Money | null {
    return moneyOf(this.amountAmount, this.currency);
  }
}
