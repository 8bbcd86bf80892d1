import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';
import { Column, Entity, Index } from 'typeorm';
import { Money, moneyOf, RecordEntity } from '@concord/graphql';

/**
 * Part (or all) of a POSTED invoice's amount due given up as uncollectable (ERPNext write-off on a Payment Entry).
 * Unlike a credit note it does not say the invoice was wrong: the work stays billed and consumed, the cash is
 * lost. Counted in revenue leakage.
 */
@ObjectType('WriteOff', { description: 'An amount due of a posted invoice written off as uncollectable, with its reason and approver.' })
@Directive('@key(fields: "id")')
@Entity({ name: 'write_off', schema: 'erp' })
@Index('ix_write_off_invoice_id', ['invoiceId'])
@Index('ix_write_off_date_id', ['date', 'id'])
@Index('ix_write_off_client_id', ['clientId'])
@Index('ix_write_off_created_at_id', ['createdAt', 'id'])
export class WriteOffEntity extends RecordEntity {
  @Field(() => ID)
  @Column('uuid')
  invoiceId: string;

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

  @Field({ description: 'ISO date (YYYY-MM-DD) of the write-off.' })
  @Column('date')
  date: string;

  @Field({ description: 'ISO-4217: the invoice currency.' })
  @Column('char', { length: 3 })
  currency: string;

  @Column('numeric', { name: 'amount', precision: 18, scale: 2 })
  amountAmount: string;

  @Field({ description: 'Why the amount is written off (required).' })
  @Column('text')
  reason: string;

  @Field({ description: 'Who approved the write-off: the caller that recorded it.' })
  @Column('text')
  approvedBy: string;

  @Field(() => Money, { description: 'What the invoice amountDue fell by.' })
  get amount(): Money | null {
    return moneyOf(this.amountAmount, this.currency);
  }
}
