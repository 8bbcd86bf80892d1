import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';
import { Column, Entity, Index } from 'typeorm';
import { Money, moneyOf, RecordEntity } from '@concord/graphql';
import { PaymentMethod, PaymentStatus } from './payment.states';

/**
 * Cash received from a customer (DOMAIN.md §1 Payment). Allocations are prepared while DRAFT and applied to the
 * invoices on POST; what is not allocated stays as unallocatedAmount; CANCEL of a posted payment reverses them.
 */
@ObjectType('Payment', { description: 'A customer payment received by a legal entity, allocated to posted invoices.' })
@Directive('@key(fields: "id")')
@Entity({ name: 'payment', schema: 'erp' })
@Index('ix_payment_date_id', ['date', 'id'])
@Index('ix_payment_created_at_id', ['createdAt', 'id'])
@Index('ix_payment_amount_id', ['amountAmount', 'id'])
@Index('ix_payment_customer_id', ['customerId'])
@Index('ix_payment_legal_entity_id', ['legalEntityId'])
export class PaymentEntity extends RecordEntity {
  @Field(() => ID, { description: 'The paying LegalCustomer.' })
  @Column('uuid')
  customerId: string;

  @Field(() => ID, { description: 'The legal entity that received the cash.' })
  @Column('uuid')
  legalEntityId: string;

  @Field({ description: 'ISO date (YYYY-MM-DD) the cash was received.' })
  @Column('date')
  date: string;

  @Column('numeric', { name: 'amount', precision: 18, scale: 2 })
  amountAmount: string;

  @Field({ description: 'ISO-4217 currency of the payment and of its allocations.' })
  @Column('char', { length: 3 })
  currency: string;

  @Field(() => String, {
    nullable: true,
    description: 'Rate from currency to the legal entity functional currency (6 decimals), fixed on POST unless given.',
  })
  @Column('numeric', { precision: 18, scale: 6, nullable: true })
  fxRate: string | null;

  @Field(() => String, { nullable: true, description: 'Functional currency of the legal entity, fixed on POST.' })
  @Column('char', { length: 3, nullable: true })
  baseCurrency: string | null;

  @Column('numeric', { name: 'base_amount', precision: 18, scale: 2, nullable: true })
  baseAmountAmount: string | null;

  @Field(() => PaymentMethod)
  @Column('text')
  method: PaymentMethod;

  @Field(() => String, { nullable: true, description: 'Bank or remittance reference.' })
  @Column('text', { nullable: true })
  reference: string | null;

  @Column('numeric', { name: 'unallocated_amount', precision: 18, scale: 2 })
  unallocatedAmountAmount: string;

  @Field(() => PaymentStatus)
  @Column('text', { default: PaymentStatus.DRAFT })
  status: PaymentStatus;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  postedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  cancelledAt: Date | null;

  @Field(() => Money)
  get amount(): Money | null {
    return moneyOf(this.amountAmount, this.currency);
  }

  @Field(() => Money, { description: 'amount less the allocations: kept on account for later invoices.' })
  get unallocatedAmount(): Money | null {
    return moneyOf(this.unallocatedAmountAmount, this.currency);
  }

  @Field(() => Money, { nullable: true, description: 'amount × fxRate in the legal entity functional currency, fixed on POST.' })
  get baseAmount(): Money | null {
    return this.baseCurrency ? moneyOf(this.baseAmountAmount, this.baseCurrency) : null;
  }
}
