import { Directive, Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, Entity, Index } from 'typeorm';
import { Money, moneyOf, RecordEntity } from '@concord/graphql';

export enum ChangeOrderStatus {
  DRAFT = 'DRAFT',
  SUBMITTED = 'SUBMITTED',
  APPROVED = 'APPROVED',
  APPLIED = 'APPLIED',
  REJECTED = 'REJECTED',
  WITHDRAWN = 'WITHDRAWN',
}
registerEnumType(ChangeOrderStatus, { name: 'ChangeOrderStatus' });

/** A change to a project's scope: applying it adds its deltas to the project budget (DOMAIN.md §2). */
@ObjectType('ChangeOrder')
@Directive('@key(fields: "id")')
@Entity({ name: 'change_order', schema: 'psa' })
@Index('ux_change_order_project_id_number', ['projectId', 'number'], { unique: true })
@Index('ix_change_order_number_id', ['number', 'id'])
@Index('ix_change_order_created_at_id', ['createdAt', 'id'])
@Index('ix_change_order_contract_id', ['contractId'])
export class ChangeOrderEntity extends RecordEntity {
  @Field(() => ID)
  @Column('uuid')
  projectId: string;

  @Field(() => ID, { nullable: true, description: 'The ERP contract it amends (the project contract by default).' })
  @Column('uuid', { nullable: true })
  contractId: string | null;

  @Field({ description: 'Unique within the project, e.g. "CO-001"; the ERP contract line records it.' })
  @Column('text')
  number: string;

  @Field(() => ChangeOrderStatus)
  @Column('text', { default: ChangeOrderStatus.DRAFT })
  status: ChangeOrderStatus;

  @Column('numeric', { name: 'delta', precision: 18, scale: 2, default: 0 })
  deltaAmount: string;

  @Field(() => String, { description: 'Hours added to (or removed from) the budget, decimal string.' })
  @Column('numeric', { precision: 10, scale: 2, default: 0 })
  deltaHours: string;

  @Field(() => String, { nullable: true, description: 'New planned end date of the project (ISO date).' })
  @Column('date', { nullable: true })
  newEndDate: string | null;

  @Field()
  @Column('text')
  reason: string;

  @Field({ description: 'ISO-4217 currency: the project currency.' })
  @Column('char', { length: 3 })
  currency: string;

  @Field(() => String, { nullable: true, description: 'User id of the approver.' })
  @Column('text', { nullable: true })
  approvedBy: string | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  approvedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  appliedAt: Date | null;

  @Field(() => ID, {
    nullable: true,
    description: "The task whose allocated hours took this change order's deltaHours (set once, by allocateChangeOrderHours).",
  })
  @Column('uuid', { nullable: true })
  allocatedTaskId: string | null;

  @Field(() => Money, { description: 'Amount added to (or removed from) the budget (DOMAIN deltaAmount).' })
  get delta(): Money {
    return moneyOf(this.deltaAmount, this.currency) as Money;
  }
}
