import { Directive, Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, Entity, Index } from 'typeorm';
import { Money, moneyOf, rateOf, RecordEntity } from '@concord/graphql';

export enum TimeEntryStatus {
  DRAFT = 'DRAFT',
  SUBMITTED = 'SUBMITTED',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  INVOICED = 'INVOICED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(TimeEntryStatus, {
  name: 'TimeEntryStatus',
  valuesMap: {
    INVOICED: { description: 'Billed on an ERP invoice: immutable until the invoice is cancelled (back to APPROVED).' },
  },
});

/**
 * Hours a resource worked on a project on one day, priced with rates snapshotted from the assignment
 * (ERPNext Timesheet Detail): billAmount = billableHours × billRate, costAmount = hours × costRate.
 */
@ObjectType('TimeEntry', { description: 'Hours worked by a resource on a project on one date, priced in the project currency.' })
@Directive('@key(fields: "id")')
@Entity({ name: 'time_entry', schema: 'psa' })
@Index('ix_time_entry_project_id_date', ['projectId', 'date', 'id'])
@Index('ix_time_entry_resource_id_date', ['resourceId', 'date', 'id'])
// covering (INCLUDE status, hours, billable_hours) for the delivery KPIs, made by migration 1763902700000: TypeORM
// cannot express INCLUDE, so schema sync leaves it alone
@Index('ix_time_entry_resource_id_date_hours', { synchronize: false })
@Index('ix_time_entry_assignment_id_date', ['assignmentId', 'date'])
@Index('ix_time_entry_task_id', ['taskId'])
@Index('ix_time_entry_invoice_id', ['invoiceId'])
@Index('ix_time_entry_date_id', ['date', 'id'])
@Index('ix_time_entry_created_at_id', ['createdAt', 'id'])
@Index('ix_time_entry_approved_billable_date', ['date'], { where: `status = 'APPROVED' AND billable_hours > 0` })
export class TimeEntryEntity extends RecordEntity {
  @Field(() => ID)
  @Column('uuid')
  resourceId: string;

  @Field(() => ID)
  @Column('uuid')
  projectId: string;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  taskId: string | null;

  @Field(() => ID)
  @Column('uuid')
  assignmentId: string;

  @Field({ description: 'ISO date the hours were worked.' })
  @Column('date')
  date: string;

  @Field(() => String, { description: 'Hours worked, decimal string, > 0 and ≤ 24.' })
  @Column('numeric', { precision: 10, scale: 2 })
  hours: string;

  @Field()
  @Column('boolean')
  billable: boolean;

  @Field(() => String, { description: 'Hours to bill, decimal string, ≤ hours; 0 when not billable.' })
  @Column('numeric', { precision: 10, scale: 2 })
  billableHours: string;

  @Column('numeric', { name: 'bill_rate', precision: 18, scale: 6 })
  billRateAmount: string;

  @Column('numeric', { name: 'cost_rate', precision: 18, scale: 6 })
  costRateAmount: string;

  @Column('numeric', { name: 'bill_amount', precision: 18, scale: 2 })
  billAmountAmount: string;

  @Column('numeric', { name: 'cost_amount', precision: 18, scale: 2 })
  costAmountAmount: string;

  @Field({ description: 'ISO-4217 currency of every amount: the project currency.' })
  @Column('char', { length: 3 })
  currency: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  description: string | null;

  @Field(() => TimeEntryStatus)
  @Column('text', { default: TimeEntryStatus.DRAFT })
  status: TimeEntryStatus;

  @Field(() => Date, { nullable: true, description: 'When the entry was last approved.' })
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  approvedAt: Date | null;

  @Field(() => ID, { nullable: true, description: 'The ERP invoice that billed the entry (set while INVOICED).' })
  @Column('uuid', { nullable: true })
  invoiceId: string | null;

  @Field(() => ID, { nullable: true, description: 'The ERP invoice line that billed the entry.' })
  @Column('uuid', { nullable: true })
  invoiceLineId: string | null;

  @Field(() => Money, { description: 'Bill rate per hour (snapshot; 0 when not billable).' })
  get billRate(): Money {
    return rateOf(this.billRateAmount, this.currency);
  }

  @Field(() => Money, { description: 'Cost rate per hour (snapshot).' })
  get costRate(): Money {
    return rateOf(this.costRateAmount, this.currency);
  }

  @Field(() => Money, { description: 'billableHours × billRate, rounded to cents.' })
  get billAmount(): Money {
    return moneyOf(this.billAmountAmount, this.currency) as Money;
  }

  @Field(() => Money, { description: 'hours × costRate, rounded to cents.' })
  get costAmount(): Money {
    return moneyOf(this.costAmountAmount, this.currency) as Money;
  }
}
