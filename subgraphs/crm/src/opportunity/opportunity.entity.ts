import { Directive, Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Column, Entity, Index } from 'typeorm';
import { Money, moneyOf, RecordEntity } from '@concord/graphql';
import { BillingModel } from '../common/billing-model.enum';
import { OpportunityStage } from './opportunity.states';

/** A potential deal with a client (DOMAIN.md §1 "Opportunity"), moved through its stages by `moveOpportunity`. */
@ObjectType('Opportunity', { description: 'A potential deal with a client, owned by the CRM.' })
@Directive('@key(fields: "id")')
@Entity({ name: 'opportunity', schema: 'crm' })
@Index('ix_opportunity_client_id_close_date_id', ['clientId', 'closeDate', 'id'])
@Index('ix_opportunity_primary_contact_id', ['primaryContactId'])
@Index('ix_opportunity_owner_id', ['ownerId'])
@Index('ix_opportunity_name_id', ['name', 'id'])
@Index('ix_opportunity_close_date_id', ['closeDate', 'id'])
@Index('ix_opportunity_amount_id', ['amountAmount', 'id'])
@Index('ix_opportunity_created_at_id', ['createdAt', 'id'])
export class OpportunityEntity extends RecordEntity {
  @Field()
  @Column('text')
  name: string;

  @Field(() => ID)
  @Column('uuid')
  clientId: string;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  primaryContactId: string | null;

  @Field({ description: 'User id of the opportunity owner (sales).' })
  @Column('text')
  ownerId: string;

  /**
   * The stage. Named `status` in code because the write point's `transition` moves `status`; the column and the
   * GraphQL field are `stage`, as in DOMAIN.md.
   */
  @Field(() => OpportunityStage, { name: 'stage' })
  @Column('text', { name: 'stage', default: OpportunityStage.PROSPECTING })
  status: OpportunityStage;

  @Field(() => Int, { description: 'Win probability in percent (0–100); set to the stage default on every stage change.' })
  @Column('integer')
  probability: number;

  @Column('numeric', { name: 'amount', precision: 18, scale: 2, default: 0 })
  amountAmount: string;

  @Field({ description: 'Currency of the amount (ISO-4217).' })
  @Column('char', { length: 3 })
  currency: string;

  @Field({ description: 'Expected (or actual, once closed) close date, YYYY-MM-DD.' })
  @Column('date')
  closeDate: string;

  @Field(() => String, { nullable: true, description: 'Expected start of delivery, YYYY-MM-DD.' })
  @Column('date', { nullable: true })
  expectedStartDate: string | null;

  @Field(() => BillingModel, { nullable: true })
  @Column('text', { nullable: true })
  billingModel: BillingModel | null;

  @Field(() => String, { nullable: true, description: 'Why the deal was lost; set when the stage is CLOSED_LOST.' })
  @Column('text', { nullable: true })
  lostReason: string | null;

  @Field(() => Date, { nullable: true, description: 'When the opportunity was closed (won or lost); cleared on reopen.' })
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  closedAt: Date | null;

  /** ERP contract created from this opportunity at closed-won (set by the closed-won workflow). */
  @Column('uuid', { nullable: true })
  contractId: string | null;

  /** PSA project created from this opportunity at closed-won (set by the closed-won workflow). */
  @Column('uuid', { nullable: true })
  projectId: string | null;

  @Field(() => Money, { description: 'Expected deal value.' })
  get amount(): Money {
    return moneyOf(this.amountAmount, this.currency) as Money;
  }
}
