import { Directive, Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, Entity, Index } from 'typeorm';
import { RecordEntity } from '@concord/graphql';

export enum ResourceRequestStatus {
  OPEN = 'OPEN',
  FULFILLED = 'FULFILLED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(ResourceRequestStatus, { name: 'ResourceRequestStatus' });

/** A staffing need of a project (a role for some hours), fulfilled by an Assignment (DOMAIN.md §1). */
@ObjectType('ResourceRequest', { description: 'A staffing need of a project: a role and hours over a period, fulfilled by an assignment.' })
@Directive('@key(fields: "id")')
@Entity({ name: 'resource_request', schema: 'psa' })
@Index('ix_resource_request_project_id_start_date', ['projectId', 'startDate', 'id'])
@Index('ix_resource_request_start_date_id', ['startDate', 'id'])
@Index('ix_resource_request_created_at_id', ['createdAt', 'id'])
@Index('ix_resource_request_assignment_id', ['assignmentId'])
@Index('ux_resource_request_source_quote_line_id', ['sourceQuoteLineId'], { unique: true, where: 'source_quote_line_id IS NOT NULL' })
export class ResourceRequestEntity extends RecordEntity {
  @Field(() => ID)
  @Column('uuid')
  projectId: string;

  @Field({ description: 'Role needed, e.g. "Senior Consultant".' })
  @Column('text')
  role: string;

  @Field(() => [String])
  @Column('text', { array: true })
  skills: string[];

  @Field(() => String, { description: 'Hours requested, decimal string.' })
  @Column('numeric', { precision: 10, scale: 2 })
  hours: string;

  @Field({ description: 'ISO date.' })
  @Column('date')
  startDate: string;

  @Field({ description: 'ISO date, on or after startDate.' })
  @Column('date')
  endDate: string;

  @Field(() => ResourceRequestStatus)
  @Column('text', { default: ResourceRequestStatus.OPEN })
  status: ResourceRequestStatus;

  @Field(() => ID, { nullable: true, description: 'The CRM quote line the request was created from (closed-won workflow); unique.' })
  @Column('uuid', { nullable: true })
  sourceQuoteLineId: string | null;

  @Field(() => ID, { nullable: true, description: 'The assignment that fulfilled the request.' })
  @Column('uuid', { nullable: true })
  assignmentId: string | null;
}
