import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Money } from '@concord/graphql';
import { BillableWorkSourceType } from './billable-work.output';

@ObjectType('RevenueDelivery', {
  description:
    'Delivered billable work of one project on one ERP contract line in a period: APPROVED and INVOICED, per source type and currency.',
})
export class RevenueDelivery {
  @Field(() => ID)
  contractId: string;

  @Field(() => ID)
  projectId: string;

  @Field(() => ID, {
    nullable: true,
    description: "The contract line of the time entries' task; null for expenses and for time without a task naming a line.",
  })
  contractLineId: string | null;

  @Field(() => BillableWorkSourceType)
  sourceType: BillableWorkSourceType;

  @Field(() => Money, { description: 'Σ billAmount of the sources, exactly.' })
  amount: Money;

  @Field(() => Int)
  count: number;
}

@ObjectType('ProjectProgress', { description: "A project's percent complete now, with the contract lines its tasks deliver." })
export class ProjectProgress {
  @Field(() => ID)
  projectId: string;

  @Field(() => ID)
  contractId: string;

  @Field({ description: 'Percent complete, 0 to 100, decimal string.' })
  percentComplete: string;

  @Field(() => [ID], { description: 'The distinct contract lines named by the tasks of the project.' })
  contractLineIds: string[];
}

@ObjectType('RevenueDeliveries', { description: 'The PSA facts revenue recognition reads for a period.' })
export class RevenueDeliveries {
  @Field(() => [RevenueDelivery])
  delivered: RevenueDelivery[];

  @Field(() => [ProjectProgress], { description: 'Every project of the contracts but CANCELLED ones.' })
  progress: ProjectProgress[];
}
