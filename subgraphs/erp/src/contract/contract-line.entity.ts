import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, Entity, Index } from 'typeorm';
import { Money, moneyOf, RecordEntity } from '@concord/graphql';

export enum BillingModel {
  TM = 'TM',
  FIXED = 'FIXED',
  MILESTONE = 'MILESTONE',
  RETAINER = 'RETAINER',
}
registerEnumType(BillingModel, { name: 'BillingModel', description: 'Time & materials, fixed fee, milestone-based or retainer.' });

export enum InvoicePolicy {
  ORDERED = 'ORDERED',
  DELIVERED = 'DELIVERED',
}
registerEnumType(InvoicePolicy, { name: 'InvoicePolicy', description: 'Bill ordered − invoiced, or delivered − invoiced (Odoo).' });

export enum RevRecMethod {
  TM_AS_DELIVERED = 'TM_AS_DELIVERED',
  PCT_COMPLETE = 'PCT_COMPLETE',
  MILESTONE = 'MILESTONE',
  STRAIGHT_LINE = 'STRAIGHT_LINE',
}
registerEnumType(RevRecMethod, { name: 'RevRecMethod' });

/** One billable commitment of a contract (DOMAIN.md §1 ContractLine). */
@ObjectType('ContractLine', { description: 'A line of a contract: what is billed, how, and how revenue is recognised.' })
@Entity({ name: 'contract_line', schema: 'erp' })
@Index('ix_contract_line_contract_id_created_at_id', ['contractId', 'createdAt', 'id'])
@Index('ix_contract_line_rate_card_id', ['rateCardId'])
@Index('ix_contract_line_created_at_id', ['createdAt', 'id'])
export class ContractLineEntity extends RecordEntity {
  @Field(() => ID)
  @Column('uuid')
  contractId: string;

  @Field()
  @Column('text')
  description: string;

  @Field(() => BillingModel)
  @Column('text')
  billingModel: BillingModel;

  @Field(() => ID, { nullable: true, description: 'Rate card the T&M bill rates default from.' })
  @Column('uuid', { nullable: true })
  rateCardId: string | null;

  /** The fixed fee, or the not-to-exceed cap of a T&M line. */
  @Column('numeric', { name: 'amount', precision: 18, scale: 2, nullable: true })
  amountAmount: string | null;

  @Field({ description: 'The contract currency (copied, so the line is self-describing).' })
  @Column('char', { length: 3 })
  currency: string;

  @Field(() => String, { nullable: true, description: 'Not-to-exceed hours, decimal string.' })
  @Column('numeric', { precision: 10, scale: 2, nullable: true })
  hoursCap: string | null;

  @Field(() => InvoicePolicy)
  @Column('text')
  invoicePolicy: InvoicePolicy;

  @Field(() => RevRecMethod)
  @Column('text')
  revRecMethod: RevRecMethod;

  @Field(() => String, { nullable: true, description: 'Number of the change order that added or changed this line.' })
  @Column('text', { nullable: true })
  changeOrderNumber: string | null;

  @Field(() => ID, { nullable: true, description: 'The CRM QuoteLine this line was created from.' })
  @Column('uuid', { nullable: true })
  sourceQuoteLineId: string | null;

  @Field(() => Money, { nullable: true, description: 'Fixed fee, or cap (not-to-exceed) of a T&M line.' })
  get amount(): Money | null {
    return moneyOf(this.amountAmount, this.currency);
  }
}
