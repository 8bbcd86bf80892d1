import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';
import { Column, Entity, Index } from 'typeorm';
import { RecordEntity } from '@concord/graphql';

/**
 * One resource's utilization in one ISO week (DOMAIN.md §3), derived from approved time and capacity by
 * refreshUtilization. available = capacity per week: time off and holidays are not modelled yet.
 */
@ObjectType('UtilizationPeriod', {
  description:
    'Utilization of a resource in one week (Monday start), derived from APPROVED/INVOICED time; available hours = weekly capacity (time off and holidays not modelled yet).',
})
@Directive('@key(fields: "id")')
@Entity({ name: 'utilization_period', schema: 'psa' })
@Index('ux_utilization_period_resource_id_period', ['resourceId', 'period'], { unique: true })
@Index('ix_utilization_period_period_id', ['period', 'id'])
export class UtilizationPeriodEntity extends RecordEntity {
  @Field(() => ID)
  @Column('uuid')
  resourceId: string;

  @Field({ description: 'ISO date of the Monday the week starts on.' })
  @Column('date')
  period: string;

  @Field(() => String, { description: 'Capacity of the week, decimal string.' })
  @Column('numeric', { precision: 10, scale: 2 })
  availableHours: string;

  @Field(() => String, { description: 'Σ billableHours of APPROVED/INVOICED entries in the week.' })
  @Column('numeric', { precision: 10, scale: 2 })
  billableHours: string;

  @Field(() => String, { description: 'Σ hours of APPROVED/INVOICED entries in the week.' })
  @Column('numeric', { precision: 10, scale: 2 })
  totalHours: string;

  @Field(() => String, { nullable: true, description: 'billableHours / availableHours × 100, 2 decimals; null when nothing is available.' })
  @Column('numeric', { precision: 7, scale: 2, nullable: true })
  billableUtilPct: string | null;

  @Field(() => String, { nullable: true, description: 'totalHours / availableHours × 100, 2 decimals; null when nothing is available.' })
  @Column('numeric', { precision: 7, scale: 2, nullable: true })
  totalUtilPct: string | null;

  @Field(() => String, { nullable: true, description: 'The resource billable utilization target in effect on the week start.' })
  @Column('numeric', { precision: 5, scale: 2, nullable: true })
  targetPct: string | null;
}
