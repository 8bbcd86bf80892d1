import { Directive, Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, Entity, Index } from 'typeorm';
import { Money, moneyOf, RecordEntity } from '@concord/graphql';

export enum MilestoneStatus {
  PLANNED = 'PLANNED',
  REACHED = 'REACHED',
  ACCEPTED = 'ACCEPTED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(MilestoneStatus, { name: 'MilestoneStatus' });

/**
 * A delivery milestone; ERP billing schedule lines point at it and bill once it is ACCEPTED.
 * Without sign-off (requiresSignOff = false), reaching it accepts it in the same transaction.
 */
@ObjectType('Milestone')
@Directive('@key(fields: "id")')
@Entity({ name: 'milestone', schema: 'psa' })
@Index('ix_milestone_project_id', ['projectId'])
@Index('ix_milestone_target_date_id', ['targetDate', 'id'])
@Index('ix_milestone_name_id', ['name', 'id'])
@Index('ix_milestone_created_at_id', ['createdAt', 'id'])
export class MilestoneEntity extends RecordEntity {
  @Field(() => ID)
  @Column('uuid')
  projectId: string;

  @Field()
  @Column('text')
  name: string;

  @Field({ description: 'ISO date (YYYY-MM-DD).' })
  @Column('date')
  targetDate: string;

  @Field(() => MilestoneStatus)
  @Column('text', { default: MilestoneStatus.PLANNED })
  status: MilestoneStatus;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  reachedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  acceptedAt: Date | null;

  @Field({ description: 'When false, reaching the milestone accepts it at once.' })
  @Column('boolean', { default: true })
  requiresSignOff: boolean;

  @Column('numeric', { name: 'amount', precision: 18, scale: 2, nullable: true })
  amountAmount: string | null;

  @Field(() => String, { nullable: true, description: 'Share of the contract line, 0 to 100, decimal string (instead of an amount).' })
  @Column('numeric', { precision: 5, scale: 2, nullable: true })
  percentage: string | null;

  @Field({ description: 'ISO-4217 currency: the project currency.' })
  @Column('char', { length: 3 })
  currency: string;

  @Field(() => ID, { nullable: true, description: 'The ERP contract line this milestone bills.' })
  @Column('uuid', { nullable: true })
  contractLineId: string | null;

  @Field(() => Money, { nullable: true, description: 'Fixed amount billed at acceptance (or use percentage).' })
  get amount(): Money | null {
    return moneyOf(this.amountAmount, this.currency);
  }
}
