import { Parent, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { CapacityPlan, RoleWeekHours } from './dtos/capacity-plan.output';
import { PipelineDemandService } from './pipeline-demand.service';

/** CRM's part of the capacity plan: the weighted pipeline demand per role and week. */
@Resolver(() => CapacityPlan)
export class PipelineDemandResolver {
  constructor(private readonly pipelineDemandService: PipelineDemandService) {}

  @ResolveReference()
  resolveReference(reference: CapacityPlan): CapacityPlan {
    return reference;
  }

  @ResolveField(() => [RoleWeekHours], {
    nullable: true,
    description: "Open opportunities' quote role lines: hours × probability / 100 spread from the expected start, per role and week.",
  })
  pipelineDemand(@Parent() plan: CapacityPlan): Promise<RoleWeekHours[]> {
    return this.pipelineDemandService.pipelineDemand(plan);
  }
}
