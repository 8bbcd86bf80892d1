import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, Entity, Index } from 'typeorm';
import { RecordEntity } from '@concord/graphql';

export enum BillingScheduleType {
  FIXED_DATE = 'FIXED_DATE',
  MILESTONE = 'MILESTONE',
  PERIODIC = 'PERIODIC',
  TM_RUN = 'TM_RUN',
}
registerEnumType(BillingScheduleType, { name: 'BillingScheduleType' });

/** When and how a contract line is billed: a list of planned billing events (DOMAIN.md §1 BillingSchedule). */
@ObjectType('BillingSchedule', { description: 'The billing plan of one contract line.' })
@Entity({ name: 'billing_schedule', schema: 'erp' })
@Index('ix_billing_schedule_contract_line_id_created_at_id', ['contractLineId', 'createdAt', 'id'])
@Index('ix_billing_schedule_contract_id', ['contractId'])
@Index('ix_billing_schedule_created_at_id', ['createdAt', 'id'])
export class BillingScheduleEntity extends RecordEntity {
  @Field(() => ID)
  @Column('uuid')
  contractLineId: string;

  @Field(() => ID, { description: "The line's contract (denormalised for filtering)." })
  @Column('uuid')
  contractId: string;

  @Field(() => BillingScheduleType)
  @Column('text')
  type: BillingScheduleType;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  description: string | null;
}
