import { Directive, Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, Entity, Index } from 'typeorm';
import { Money, moneyOf, rateOf, RecordEntity } from '@concord/graphql';
import { BillingModel } from '../common/billing-model.enum';

/** What delivery creates for the line at closed-won (DOMAIN.md §2, Odoo service_tracking). */
export enum ServiceTracking {
  NONE = 'NONE',
  TASK = 'TASK',
  PROJECT = 'PROJECT',
  PROJECT_AND_TASK = 'PROJECT_AND_TASK',
}
registerEnumType(ServiceTracking, {
  name: 'ServiceTracking',
  description:
    'At closed-won: NONE = nothing, TASK = a task in an existing project, PROJECT = one project per contract, PROJECT_AND_TASK = a project and a task per line.',
});

/** One priced service of a quote: hours × rate (TM, RETAINER) or quantity × rate (FIXED, MILESTONE), less a discount. */
@ObjectType('QuoteLine', { description: 'A priced service line of a quote.' })
@Directive('@key(fields: "id")')
@Entity({ name: 'quote_line', schema: 'crm' })
@Index('ux_quote_line_quote_id_position', ['quoteId', 'position'], { unique: true })
export class QuoteLineEntity extends RecordEntity {
  @Field(() => ID)
  @Column('uuid')
  quoteId: string;

  @Field(() => Int, { description: 'Order of the line in the quote, from 1.' })
  @Column('integer')
  position: number;

  @Field({ description: 'Code of the service sold, e.g. "IMPL-CONSULTING".' })
  @Column('text')
  serviceCode: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  description: string | null;

  @Field(() => String, { nullable: true, description: 'Role a resource request will need, e.g. "consultant".' })
  @Column('text', { nullable: true })
  roleId: string | null;

  @Field(() => BillingModel)
  @Column('text')
  billingModel: BillingModel;

  @Field(() => String, { nullable: true, description: 'Hours (decimal string), for TM and RETAINER lines.' })
  @Column('numeric', { precision: 10, scale: 2, nullable: true })
  hours: string | null;

  @Field(() => String, { nullable: true, description: 'Quantity (decimal string), for FIXED and MILESTONE lines.' })
  @Column('numeric', { precision: 10, scale: 2, nullable: true })
  quantity: string | null;

  @Column('numeric', { name: 'unit_rate', precision: 18, scale: 6 })
  unitRateAmount: string;

  @Field({ description: 'Discount in percent (decimal string, 0 to 100).' })
  @Column('numeric', { precision: 5, scale: 2, default: 0 })
  discountPct: string;

  @Column('numeric', { name: 'amount', precision: 18, scale: 2 })
  amountAmount: string;

  @Field({ description: "The quote's currency (ISO-4217)." })
  @Column('char', { length: 3 })
  currency: string;

  @Field(() => ServiceTracking)
  @Column('text', { default: ServiceTracking.NONE })
  serviceTracking: ServiceTracking;

  @Field(() => String, { nullable: true, description: 'Milestone a MILESTONE line bills on.' })
  @Column('text', { nullable: true })
  milestoneName: string | null;

  @Field(() => String, { nullable: true, description: 'Planned date of the milestone, YYYY-MM-DD.' })
  @Column('date', { nullable: true })
  milestoneDate: string | null;

  @Field(() => Money, { description: 'Price per hour or per unit (up to 6 decimals).' })
  get unitRate(): Money {
    return rateOf(this.unitRateAmount, this.currency);
  }

  @Field(() => Money, { description: '(hours or quantity) × unitRate × (1 − discountPct / 100), rounded to cents.' })
  get amount(): Money {
    return moneyOf(this.amountAmount, this.currency) as Money;
  }
}
