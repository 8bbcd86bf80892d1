import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Column, Entity, Index } from 'typeorm';
import { Money, moneyOf, RecordEntity } from '@concord/graphql';
import { InvoiceLineSourceType } from './invoice.states';

/** One billed item of an invoice: amount = qty × rate, pointing back at what it bills (DOMAIN.md §1 InvoiceLine). */
@ObjectType('InvoiceLine', { description: 'A line of an invoice; amount = qty × rate.' })
@Entity({ name: 'invoice_line', schema: 'erp' })
@Index('ix_invoice_line_invoice_id_id', ['invoiceId', 'id'])
@Index('ix_invoice_line_created_at_id', ['createdAt', 'id'])
@Index('ix_invoice_line_amount_id', ['amountAmount', 'id'])
@Index('ix_invoice_line_contract_line_id', ['contractLineId'])
@Index('ix_invoice_line_billing_schedule_line_id', ['billingScheduleLineId'])
// GIN (migration 1763902400000): TypeORM cannot declare the method, so it leaves the index alone
@Index('ix_invoice_line_source_ids', { synchronize: false })
export class InvoiceLineEntity extends RecordEntity {
  @Field(() => ID)
  @Column('uuid')
  invoiceId: string;

  @Field(() => InvoiceLineSourceType)
  @Column('text')
  sourceType: InvoiceLineSourceType;

  @Field(() => [ID], { description: 'Ids of what the line bills: PSA time entries, expenses or milestones.' })
  @Column('uuid', { array: true, default: () => "'{}'" })
  sourceIds: string[];

  @Field()
  @Column('text')
  description: string;

  @Field({ description: 'Quantity (hours or units), decimal string with 2 decimals.' })
  @Column('numeric', { precision: 12, scale: 2 })
  qty: string;

  @Column('numeric', { name: 'rate', precision: 18, scale: 2 })
  rateAmount: string;

  @Column('numeric', { name: 'amount', precision: 18, scale: 2 })
  amountAmount: string;

  @Field({ description: 'ISO-4217 currency, the invoice currency.' })
  @Column('char', { length: 3 })
  currency: string;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  contractLineId: string | null;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  billingScheduleLineId: string | null;

  @Field(() => Money, { description: 'Unit price.' })
  get rate(): Money | null {
    return moneyOf(this.rateAmount, this.currency);
  }

  @Field(() => Money, { description: 'qty × rate, rounded to cents (half-even).' })
  get amount(): Money | null {
    return moneyOf(this.amountAmount, this.currency);
  }
}
