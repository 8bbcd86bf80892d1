import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Column, Entity, Index } from 'typeorm';
import { Money, moneyOf, RecordEntity } from '@concord/graphql';

/** The part of a payment applied to one invoice (DOMAIN.md §1 PaymentAllocation); one per payment and invoice. */
@ObjectType('PaymentAllocation', { description: 'The part of a payment applied to one posted invoice of the same customer.' })
@Entity({ name: 'payment_allocation', schema: 'erp' })
@Index('ux_payment_allocation_payment_id_invoice_id', ['paymentId', 'invoiceId'], { unique: true })
@Index('ix_payment_allocation_invoice_id', ['invoiceId'])
@Index('ix_payment_allocation_created_at_id', ['createdAt', 'id'])
export class PaymentAllocationEntity extends RecordEntity {
  @Field(() => ID)
  @Column('uuid')
  paymentId: string;

  @Field(() => ID)
  @Column('uuid')
  invoiceId: string;

  @Column('numeric', { name: 'allocated_amount', precision: 18, scale: 2 })
  allocatedAmountAmount: string;

  @Field({ description: 'ISO-4217 currency: the payment and invoice currency.' })
  @Column('char', { length: 3 })
  currency: string;

  @Field(() => Money)
  get allocatedAmount(): Money | null {
    return moneyOf(this.allocatedAmountAmount, this.currency);
  }
}
