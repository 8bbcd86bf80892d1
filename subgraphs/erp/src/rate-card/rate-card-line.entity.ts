import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Column, Entity, Index } from 'typeorm';
import { Money, rateOf, RecordEntity } from '@concord/graphql';

/** One bill rate of a rate card: for a role, optionally narrowed to an activity. */
@ObjectType('RateCardLine')
@Entity({ name: 'rate_card_line', schema: 'erp' })
@Index('ux_rate_card_line_rate_card_id_role_activity', ['rateCardId', 'role', 'activity'], { unique: true, where: 'activity IS NOT NULL' })
@Index('ux_rate_card_line_rate_card_id_role', ['rateCardId', 'role'], { unique: true, where: 'activity IS NULL' })
@Index('ix_rate_card_line_created_at_id', ['createdAt', 'id'])
export class RateCardLineEntity extends RecordEntity {
  @Field(() => ID)
  @Column('uuid')
  rateCardId: string;

  @Field({ description: 'Role, e.g. "Senior Consultant".' })
  @Column('text')
  role: string;

  @Field(() => String, { nullable: true, description: 'Activity the rate is specific to; null = any activity of the role.' })
  @Column('text', { nullable: true })
  activity: string | null;

  /** Hourly rate, numeric(18,6) like every rate. */
  @Column('numeric', { name: 'bill_rate', precision: 18, scale: 6 })
  billRateAmount: string;

  @Field({ description: 'The rate card currency (copied, so the line is self-describing).' })
  @Column('char', { length: 3 })
  currency: string;

  @Field(() => Money, { description: 'Hourly bill rate.' })
  get billRate(): Money {
    return rateOf(this.billRateAmount, this.currency);
  }
}
