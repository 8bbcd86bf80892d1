import { Directive, Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, Entity, Index } from 'typeorm';
import { Money, rateOf, RecordEntity } from '@concord/graphql';

export enum AssignmentStatus {
  SOFT = 'SOFT',
  HARD = 'HARD',
  COMPLETED = 'COMPLETED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(AssignmentStatus, {
  name: 'AssignmentStatus',
  valuesMap: {
    SOFT: { description: 'Tentative booking (pencilled in).' },
    HARD: { description: 'Confirmed booking.' },
  },
});

/** A resource booked on a project for a role, with its rates snapshotted in the project currency (DOMAIN.md §1). */
@ObjectType('Assignment', { description: 'A resource booked on a project; bill and cost rates are snapshots in the project currency.' })
@Directive('@key(fields: "id")')
@Entity({ name: 'assignment', schema: 'psa' })
@Index('ix_assignment_project_id_start_date', ['projectId', 'startDate', 'id'])
@Index('ix_assignment_resource_id_start_date', ['resourceId', 'startDate', 'id'])
@Index('ix_assignment_start_date_id', ['startDate', 'id'])
@Index('ix_assignment_created_at_id', ['createdAt', 'id'])
@Index('ix_assignment_resource_request_id', ['resourceRequestId'])
export class AssignmentEntity extends RecordEntity {
  @Field(() => ID)
  @Column('uuid')
  projectId: string;

  @Field(() => ID)
  @Column('uuid')
  resourceId: string;

  @Field(() => ID, { nullable: true, description: 'The resource request this assignment fulfilled.' })
  @Column('uuid', { nullable: true })
  resourceRequestId: string | null;

  @Field()
  @Column('text')
  role: string;

  @Column('numeric', { name: 'bill_rate', precision: 18, scale: 6 })
  billRateAmount: string;

  @Column('numeric', { name: 'cost_rate', precision: 18, scale: 6 })
  costRateAmount: string;

  @Field({ description: 'ISO-4217 currency of the rates: the project currency.' })
  @Column('char', { length: 3 })
  currency: string;

  @Field(() => String, { description: 'Hours booked over the period, decimal string.' })
  @Column('numeric', { precision: 10, scale: 2 })
  scheduledHours: string;

  @Field({ description: 'ISO date.' })
  @Column('date')
  startDate: string;

  @Field({ description: 'ISO date, on or after startDate; time can be logged only inside the period.' })
  @Column('date')
  endDate: string;

  @Field(() => AssignmentStatus)
  @Column('text', { default: AssignmentStatus.SOFT })
  status: AssignmentStatus;

  @Field(() => Money, { description: 'Bill rate per hour (snapshot; defaults time entries).' })
  get billRate(): Money {
    return rateOf(this.billRateAmount, this.currency);
  }

  @Field(() => Money, { description: 'Cost rate per hour (snapshot of the resource cost rate; defaults time entries).' })
  get costRate(): Money {
    return rateOf(this.costRateAmount, this.currency);
  }
}
