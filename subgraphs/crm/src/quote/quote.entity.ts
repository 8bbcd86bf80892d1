import { Directive, Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Column, Entity, Index } from 'typeorm';
import { Money, moneyOf, RecordEntity } from '@concord/graphql';
import { QuoteStatus } from './quote.states';

/** A priced offer for an opportunity (DOMAIN.md §1 "Quote"); only a DRAFT can be edited, changes after that are new versions. */
@ObjectType('Quote', { description: 'A priced offer for an opportunity, owned by the CRM.' })
@Directive('@key(fields: "id")')
@Entity({ name: 'quote', schema: 'crm' })
@Index('ux_quote_number', ['number'], { unique: true })
@Index('ux_quote_previous_version_id', ['previousVersionId'], { unique: true })
@Index('ux_quote_opportunity_id_accepted', ['opportunityId'], { unique: true, where: `status = 'ACCEPTED'` })
@Index('ix_quote_opportunity_id_created_at_id', ['opportunityId', 'createdAt', 'id'])
@Index('ix_quote_created_at_id', ['createdAt', 'id'])
@Index('ix_quote_total_id', ['totalAmount', 'id'])
export class QuoteEntity extends RecordEntity {
  @Field({ description: 'Unique quote number, e.g. "Q-000042"; revisions append the version ("Q-000042-V2").' })
  @Column('text')
  number: string;

  @Field(() => ID)
  @Column('uuid')
  opportunityId: string;

  @Field(() => Int, { description: '1 for a new quote, +1 for each revision.' })
  @Column('integer', { default: 1 })
  version: number;

  @Field(() => ID, { nullable: true, description: 'The version this one revises.' })
  @Column('uuid', { nullable: true })
  previousVersionId: string | null;

  @Field(() => QuoteStatus)
  @Column('text', { default: QuoteStatus.DRAFT })
  status: QuoteStatus;

  @Field(() => String, { nullable: true, description: 'Last day the offer can be accepted, YYYY-MM-DD.' })
  @Column('date', { nullable: true })
  validUntil: string | null;

  @Field({ description: 'Currency of every amount of the quote and its lines (ISO-4217).' })
  @Column('char', { length: 3 })
  currency: string;

  @Column('numeric', { name: 'subtotal', precision: 18, scale: 2, default: 0 })
  subtotalAmount: string;

  @Column('numeric', { name: 'total', precision: 18, scale: 2, default: 0 })
  totalAmount: string;

  @Field(() => String, { nullable: true, description: 'Payment schedule and terms as agreed with the client.' })
  @Column('text', { nullable: true })
  billingTerms: string | null;

  @Field(() => Money, { description: 'Sum of the line amounts.' })
  get subtotal(): Money {
    return moneyOf(this.subtotalAmount, this.currency) as Money;
  }

  @Field(() => Money, { description: 'Amount the client pays (no tax in the CRM: equal to the subtotal).' })
  get total(): Money {
    return moneyOf(this.totalAmount, this.currency) as Money;
  }
}
