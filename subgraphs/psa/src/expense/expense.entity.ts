import { Directive, Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, Entity, Index } from 'typeorm';
import { Money, moneyOf, RecordEntity } from '@concord/graphql';

export enum ExpenseStatus {
  DRAFT = 'DRAFT',
  SUBMITTED = 'SUBMITTED',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  INVOICED = 'INVOICED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(ExpenseStatus, {
  name: 'ExpenseStatus',
  valuesMap: {
    INVOICED: { description: 'Billed on an ERP invoice: immutable until the invoice is cancelled (back to APPROVED).' },
  },
});

export enum ExpenseCategory {
  TRAVEL = 'TRAVEL',
  LODGING = 'LODGING',
  MEALS = 'MEALS',
  MILEAGE = 'MILEAGE',
  SOFTWARE = 'SOFTWARE',
  EQUIPMENT = 'EQUIPMENT',
  SUBCONTRACTOR = 'SUBCONTRACTOR',
  OTHER = 'OTHER',
}
registerEnumType(ExpenseCategory, { name: 'ExpenseCategory' });

/** A cost a resource incurred for a project, re-billed with a markup when billable (DOMAIN.md §1 Expense). */
@ObjectType('Expense', {
  description: 'A cost incurred for a project, in the project currency; billAmount = amount × (1 + markupPct/100) when billable.',
})
@Directive('@key(fields: "id")')
@Entity({ name: 'expense', schema: 'psa' })
@Index('ix_expense_project_id_date', ['projectId', 'date', 'id'])
@Index('ix_expense_resource_id_date', ['resourceId', 'date', 'id'])
@Index('ix_expense_invoice_id', ['invoiceId'])
@Index('ix_expense_date_id', ['date', 'id'])
@Index('ix_expense_created_at_id', ['createdAt', 'id'])
@Index('ix_expense_approved_billable_date', ['date'], { where: `status = 'APPROVED' AND billable` })
export class ExpenseEntity extends RecordEntity {
  @Field(() => ID)
  @Column('uuid')
  resourceId: string;

  @Field(() => ID)
  @Column('uuid')
  projectId: string;

  @Field({ description: 'ISO date the cost was incurred.' })
  @Column('date')
  date: string;

  @Field(() => ExpenseCategory)
  @Column('text')
  category: ExpenseCategory;

  @Column('numeric', { name: 'amount', precision: 18, scale: 2 })
  amountAmount: string;

  @Field({ description: 'ISO-4217 currency of the amounts: the project currency.' })
  @Column('char', { length: 3 })
  currency: string;

  @Field()
  @Column('boolean', { default: true })
  billable: boolean;

  @Field(() => String, { description: 'Markup added when re-billing, percent, decimal string (0 when not billable).' })
  @Column('numeric', { precision: 5, scale: 2, default: 0 })
  markupPct: string;

  @Column('numeric', { name: 'bill_amount', precision: 18, scale: 2 })
  billAmountAmount: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  description: string | null;

  @Field(() => String, { nullable: true, description: 'Link to the receipt (https).' })
  @Column('text', { nullable: true })
  receiptUrl: string | null;

  @Field(() => ExpenseStatus)
  @Column('text', { default: ExpenseStatus.DRAFT })
  status: ExpenseStatus;

  @Field(() => Date, { nullable: true, description: 'When the expense was last approved.' })
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  approvedAt: Date | null;

  @Field(() => ID, { nullable: true, description: 'The ERP invoice that billed the expense (set while INVOICED).' })
  @Column('uuid', { nullable: true })
  invoiceId: string | null;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  invoiceLineId: string | null;

  @Field(() => Money, { description: 'The cost incurred.' })
  get amount(): Money {
    return moneyOf(this.amountAmount, this.currency) as Money;
  }

  @Field(() => Money, { description: 'amount × (1 + markupPct / 100) when billable, else 0.' })
  get billAmount(): Money {
    return moneyOf(this.billAmountAmount, this.currency) as Money;
  }
}
