import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';
import { Column, Entity, Index } from 'typeorm';
import { Money, moneyOf, RecordEntity } from '@concord/graphql';

/**
 * A credit note against a POSTED invoice (ERPNext: a return Sales Invoice with `is_return` and `return_against`;
 * here its own record with positive amounts that reduce the invoice). Full or partial; taxed at the invoice's
 * rate; issued with a reason and approved by the caller. A credit note covering the invoice's whole total voids it.
 */
@ObjectType('CreditNote', {
  description:
    'A credit note against a posted invoice: reduces its amount due, the contract consumption and revenue that followed billing.',
})
@Directive('@key(fields: "id")')
@Entity({ name: 'credit_note', schema: 'erp' })
@Index('ix_credit_note_invoice_id', ['invoiceId'])
@Index('ix_credit_note_issue_date_id', ['issueDate', 'id'])
@Index('ix_credit_note_client_id', ['clientId'])
@Index('ix_credit_note_created_at_id', ['createdAt', 'id'])
export class CreditNoteEntity extends RecordEntity {
  @Field({ description: 'The invoice number with a suffix, e.g. "ACME-FR-2025-00001-CN1".' })
  @Column('text')
  @Index('ux_credit_note_number', { unique: true })
  number: string;

  @Field(() => ID, { description: 'The POSTED invoice credited.' })
  @Column('uuid')
  invoiceId: string;

  @Field(() => ID)
  @Column('uuid')
  customerId: string;

  @Field(() => ID)
  @Column('uuid')
  clientId: string;

  @Field(() => ID)
  @Column('uuid')
  legalEntityId: string;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  contractId: string | null;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  projectId: string | null;

  @Field({ description: 'ISO date (YYYY-MM-DD).' })
  @Column('date')
  issueDate: string;

  @Field({ description: 'ISO-4217: the invoice currency.' })
  @Column('char', { length: 3 })
  currency: string;

  @Column('numeric', { name: 'subtotal', precision: 18, scale: 2 })
  subtotalAmount: string;

  @Column('numeric', { name: 'tax', precision: 18, scale: 2 })
  taxAmount: string;

  @Column('numeric', { name: 'total', precision: 18, scale: 2 })
  totalAmount: string;

  @Field({ description: "The invoice's rate to the legal entity functional currency." })
  @Column('numeric', { precision: 18, scale: 6 })
  fxRate: string;

  @Field()
  @Column('char', { length: 3 })
  baseCurrency: string;

  @Column('numeric', { name: 'base_total', precision: 18, scale: 2 })
  baseTotalAmount: string;

  @Field({ description: 'Why the invoice is credited (required).' })
  @Column('text')
  reason: string;

  @Field({ description: 'Who approved the credit note: the caller that issued it.' })
  @Column('text')
  approvedBy: string;

  @Field(() => Money, { description: 'Net amount credited (before tax).' })
  get subtotal(): Money | null {
    return moneyOf(this.subtotalAmount, this.currency);
  }

  @Field(() => Money, { description: "Tax credited, at the invoice's tax rate." })
  get tax(): Money | null {
    return moneyOf(this.taxAmount, this.currency);
  }

  @Field(() => Money, { description: 'subtotal + tax: what the invoice amountDue fell by.' })
  get total(): Money | null {
    return moneyOf(this.totalAmount, this.currency);
  }

  @Field(() => Money, { description: 'total × fxRate in the legal entity functional currency.' })
  get baseTotal(): Money | null {
    return moneyOf(this.baseTotalAmount, this.baseCurrency);
  }
}
