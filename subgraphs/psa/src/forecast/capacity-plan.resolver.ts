import { Args, Directive, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
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
    description: 'One row per role and week: capacity, assigned, requested and weighted pipeline hours, demand and what is left.',
  })
  @Directive('@requires(fields: "pipelineDemand { role week hours }")')
  rows(@Parent() plan: CapacityPlan): Promise<CapacityDemandRow[]> {
    return this.capacityPlanService.rows(plan);
  }
}
