import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';
import { Column, Entity, Index } from 'typeorm';
import { Money, rateOf, RecordEntity } from '@concord/graphql';

/** A person who delivers work: capacity, cost and utilization target (DOMAIN.md §1 Resource). */
@ObjectType('Resource', { description: 'A person who delivers project work, owned by the PSA.' })
@Directive('@key(fields: "id")')
@Entity({ name: 'resource', schema: 'psa' })
@Index('ix_resource_name_id', ['name', 'id'])
@Index('ix_resource_created_at_id', ['createdAt', 'id'])
@Index('ix_resource_legal_entity_id', ['legalEntityId'])
export class ResourceEntity extends RecordEntity {
  @Field({ description: 'Id of the person in the identity system (the user `sub`); one resource per person.' })
  @Column('text')
  @Index('ux_resource_person_id', { unique: true })
  personId: string;

  @Field()
  @Column('text')
  name: string;

  @Field({ description: 'Main role, e.g. "Senior Consultant" (matched against resource requests).' })
  @Column('text')
  primaryRole: string;

  @Column('numeric', { name: 'cost_rate', precision: 18, scale: 6 })
  costRateAmount: string;

  @Field({ description: 'ISO-4217 currency of the cost rate.' })
  @Column('char', { length: 3 })
  currency: string;

  @Field(() => String, { description: 'Hours per week the resource can work, decimal string (available hours before time off).' })
  @Column('numeric', { precision: 5, scale: 2 })
  capacityHoursPerWeek: string;

  @Field(() => String, { nullable: true, description: 'Billable utilization target, percent 0 to 100, decimal string.' })
  @Column('numeric', { precision: 5, scale: 2, nullable: true })
  utilizationTargetPct: string | null;

  @Field(() => String, { nullable: true, description: 'ISO date from which the utilization target applies.' })
  @Column('date', { nullable: true })
  utilizationTargetEffectiveDate: string | null;

  @Field(() => ID, { nullable: true, description: 'The ERP legal entity that employs the resource.' })
  @Column('uuid', { nullable: true })
  legalEntityId: string | null;

  @Field({ description: 'Inactive resources cannot be assigned.' })
  @Column('boolean', { default: true })
  active: boolean;

  @Field(() => Money, { description: 'Internal cost per hour (ERPNext Activity Cost), in the resource currency.' })
  get costRate(): Money {
    return rateOf(this.costRateAmount, this.currency);
  }
}
