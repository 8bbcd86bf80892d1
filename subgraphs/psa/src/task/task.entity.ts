import { Directive, Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, Entity, Index } from 'typeorm';
import { RecordEntity } from '@concord/graphql';

export enum TaskStatus {
  OPEN = 'OPEN',
  IN_PROGRESS = 'IN_PROGRESS',
  DONE = 'DONE',
  CANCELLED = 'CANCELLED',
}
registerEnumType(TaskStatus, { name: 'TaskStatus' });

/** A unit of work in a project; time is booked against it (DOMAIN.md §1). */
@ObjectType('Task')
@Directive('@key(fields: "id")')
@Entity({ name: 'task', schema: 'psa' })
@Index('ix_task_project_id', ['projectId'])
@Index('ix_task_parent_task_id', ['parentTaskId'])
@Index('ix_task_milestone_id', ['milestoneId'])
@Index('ix_task_name_id', ['name', 'id'])
@Index('ix_task_created_at_id', ['createdAt', 'id'])
export class TaskEntity extends RecordEntity {
  @Field(() => ID)
  @Column('uuid')
  projectId: string;

  @Field(() => ID, { nullable: true, description: 'Parent task in the same project (work breakdown).' })
  @Column('uuid', { nullable: true })
  parentTaskId: string | null;

  @Field()
  @Column('text')
  name: string;

  @Field(() => TaskStatus)
  @Column('text', { default: TaskStatus.OPEN })
  status: TaskStatus;

  @Field(() => String, { description: 'Allocated hours, decimal string.' })
  @Column('numeric', { precision: 10, scale: 2, default: 0 })
  allocatedHours: string;

  @Field(() => String, { description: 'Progress 0 to 100, decimal string (100 once DONE).' })
  @Column('numeric', { precision: 5, scale: 2, default: 0 })
  progress: string;

  @Field(() => String, { description: 'Weight for WEIGHTED_PROGRESS, decimal string (default 1).' })
  @Column('numeric', { precision: 10, scale: 2, default: 1 })
  weight: string;

  @Field(() => ID, { nullable: true, description: 'Milestone of the same project this task delivers.' })
  @Column('uuid', { nullable: true })
  milestoneId: string | null;

  @Field()
  @Column('boolean', { default: true })
  billable: boolean;

  @Field(() => ID, { nullable: true, description: 'The ERP contract line this task is billed under.' })
  @Column('uuid', { nullable: true })
  contractLineId: string | null;
}
