import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';
import { Column, Entity, Index } from 'typeorm';
import { Money, moneyOf, RecordEntity } from '@concord/graphql';
import { InvoiceStatus } from './invoice.states';

/**
 * A customer invoice (DOMAIN.md §1 Invoice): editable while DRAFT; POST allocates its number, fixes its totals,
 * due date and FX rate; CANCELLED voids it. amountDue falls as posted payments are allocated to it.
 */
@ObjectType('Invoice', { description: 'A customer invoice issued by a legal entity, owned by the ERP.' })
@Directive('@key(fields: "id")')
@Entity({ name: 'invoice', schema: 'erp' })
@Index('ix_invoice_issue_date_id', ['issueDate', 'id'])
@Index('ix_invoice_created_at_id', ['createdAt', 'id'])
@Index('ix_invoice_total_id', ['totalAmount', 'id'])
@Index('ix_invoice_customer_id', ['customerId'])
@Index('ix_invoice_client_id_issue_date_id', ['clientId', 'issueDate', 'id'])
@Index('ix_invoice_project_id_issue_date_id', ['projectId', 'issueDate', 'id'])
@Index('ix_invoice_contract_id', ['contractId'])
@Index('ix_invoice_contract_id_billing_period_end', ['contractId', 'billingPeriodEnd'])
@Index('ix_invoice_legal_entity_id', ['legalEntityId'])
@Index('ix_invoice_posted_at', ['postedAt'])
export class InvoiceEntity extends RecordEntity {
  @Field(() => String, {
    nullable: true,
    description: 'Allocated on POST from the legal entity sequence, e.g. "ACME-FR-2025-00001"; null while DRAFT.',
  })
  @Column('text', { nullable: true })
  @Index('ux_invoice_number', { unique: true })
  number: string | null;

  @Field(() => ID, { description: 'The LegalCustomer billed.' })
  @Column('uuid')
  customerId: string;

  @Field(() => ID, { description: 'The CRM Client of the customer (denormalised from LegalCustomer.clientId).' })
  @Column('uuid')
  clientId: string;

  @Field(() => ID)
  @Column('uuid')
  legalEntityId: string;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  contractId: string | null;

  @Field(() => ID, { nullable: true, description: 'The PSA Project billed, if any.' })
  @Column('uuid', { nullable: true })
  projectId: string | null;

  @Field({ description: 'ISO date (YYYY-MM-DD).' })
  @Column('date')
  issueDate: string;

  @Field(() => String, { nullable: true, description: 'ISO date; set on POST to issueDate + the customer payment terms when not given.' })
  @Column('date', { nullable: true })
  dueDate: string | null;

  @Field({ description: 'ISO-4217 currency of the invoice.' })
  @Column('char', { length: 3 })
  currency: string;

  @Field(() => String, {
    nullable: true,
    description: 'Rate from currency to the legal entity functional currency (6 decimals), fixed on POST.',
  })
  @Column('numeric', { precision: 18, scale: 6, nullable: true })
  fxRate: string | null;

  @Field({ description: 'Tax rate in percent applied to the subtotal, decimal string (e.g. "20.0000").' })
  @Column('numeric', { precision: 7, scale: 4, default: 0 })
  taxRate: string;

  @Column('numeric', { name: 'subtotal', precision: 18, scale: 2, default: 0 })
  subtotalAmount: string;

  @Column('numeric', { name: 'tax', precision: 18, scale: 2, default: 0 })
  taxAmount: string;

  @Column('numeric', { name: 'total', precision: 18, scale: 2, default: 0 })
  totalAmount: string;

  @Column('numeric', { name: 'amount_due', precision: 18, scale: 2, default: 0 })
  amountDueAmount: string;

  @Field(() => String, { nullable: true, description: 'Functional currency of the legal entity, fixed on POST.' })
  @Column('char', { length: 3, nullable: true })
  baseCurrency: string | null;

  @Column('numeric', { name: 'base_total', precision: 18, scale: 2, nullable: true })
  baseTotalAmount: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Last day of the period the invoice bills (ISO date); invoice cycle time runs from it to postedAt (issueDate when null).',
  })
  @Column('date', { nullable: true })
  billingPeriodEnd: string | null;

  /** Σ totals of the credit notes issued against the invoice. */
  @Column('numeric', { name: 'credited_total', precision: 18, scale: 2, default: 0 })
  creditedTotalAmount: string;

  /** Σ amounts written off the invoice. */
  @Column('numeric', { name: 'written_off_total', precision: 18, scale: 2, default: 0 })
  writtenOffTotalAmount: string;

  @Field(() => InvoiceStatus)
  @Column('text', { default: InvoiceStatus.DRAFT })
  status: InvoiceStatus;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  postedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  cancelledAt: Date | null;

  @Field(() => Money, { description: 'Sum of the line amounts.' })
  get subtotal(): Money | null {
    return moneyOf(this.subtotalAmount, this.currency);
  }

  @Field(() => Money)
  get tax(): Money | null {
    return moneyOf(this.taxAmount, this.currency);
  }

  @Field(() => Money, { description: 'subtotal + tax.' })
  get total(): Money | null {
    return moneyOf(this.totalAmount, this.currency);
  }

  @Field(() => Money, { description: 'What the customer still owes: total less allocated posted payments.' })
  get amountDue(): Money | null {
    return moneyOf(this.amountDueAmount, this.currency);
  }

  @Field(() => Money, { description: 'Σ totals of the credit notes issued against this invoice.' })
  get creditedTotal(): Money | null {
    return moneyOf(this.creditedTotalAmount ?? '0', this.currency);
  }

  @Field(() => Money, { description: 'Σ amounts written off this invoice (revenue leakage).' })
  get writtenOffTotal(): Money | null {
    return moneyOf(this.writtenOffTotalAmount ?? '0', this.currency);
  }

  @Field(() => Money, { nullable: true, description: 'total × fxRate in the legal entity functional currency, fixed on POST.' })
  get baseTotal(): Money | null {
    return this.baseCurrency ? moneyOf(this.baseTotalAmount, this.baseCurrency) : null;
  }
}
