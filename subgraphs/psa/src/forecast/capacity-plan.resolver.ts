import { Args, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { CapacityDemandRow, CapacityPlan, CapacityPlanArgs } from './dtos/capacity-plan.output';
import { CapacityPlanService } from './capacity-plan.service';

@Resolver(() => CapacityPlan)
export class CapacityPlanResolver {
  constructor(private readonly capacityPlanService: CapacityPlanService) {}

  @Query(() => CapacityPlan, { description: 'Capacity against demand per role for the coming weeks (12 by default), from a Monday.' })
  capacityPlan(@Args() { from, weeks }: CapacityPlanArgs): CapacityPlan {
    return this.capacityPlanService.planOf(from, weeks);
  }

  @ResolveReference()
  resolveReference(reference: CapacityPlan): CapacityPlan {
    return { ...reference, ...this.capacityPlanService.planOf(reference.from, reference.weeks) };
  }

  @ResolveField(() => [CapacityDemandRow], {
    nullable: true,
    description:
      'One row per role and week: capacity, assigned and requested hours, demand and what is left. CRM’s weighted pipeline demand is the plan’s pipelineDemand beside them.',
  })
  rows(@Parent() plan: CapacityPlan): Promise<CapacityDemandRow[]> {
    return this.capacityPlanService.rows(plan);
  }
}
