import { Args, ID, Parent, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { ProjectEntity } from '../project/project.entity';
import { RevenueForecast, RevenueForecastArgs, RevenueForecastPart, RevenueForecastScope } from './dtos/revenue-forecast.output';
import { RevenueForecastService } from './revenue-forecast.service';

/** PSA's part of every revenue forecast: the T&M months and, for a project, its contract (for ERP's fixed fee). */
@Resolver(() => RevenueForecast)
export class RevenueForecastResolver {
  constructor(private readonly revenueForecastService: RevenueForecastService) {}

  @ResolveReference()
  resolveReference(reference: RevenueForecast): RevenueForecast {
    return this.revenueForecastService.forecastOf(reference.scope, reference.scopeId, reference);
  }

  @ResolveField(() => [RevenueForecastPart], {
    nullable: true,
    description:
      'T&M: remaining scheduled hours of SOFT/HARD assignments (scheduled − logged APPROVED/INVOICED) spread evenly over their days left × bill rate, per month and currency.',
  })
  timeAndMaterials(@Parent() forecast: RevenueForecast): Promise<RevenueForecastPart[]> {
    return this.revenueForecastService.timeAndMaterials(forecast);
  }

  @ResolveField(() => ID, { nullable: true, description: "A PROJECT forecast's contract (ERP adds its billing schedule); null otherwise." })
  projectContractId(@Parent() forecast: RevenueForecast): Promise<string | null> {
    return this.revenueForecastService.projectContractId(forecast);
  }
}

@Resolver(() => ProjectEntity)
export class ProjectRevenueForecastResolver {
  constructor(private readonly revenueForecastService: RevenueForecastService) {}

  @ResolveField(() => RevenueForecast, {
    description: "The project's monthly revenue forecast over a month range: T&M from PSA, fixed fee from ERP, computed at read time.",
  })
  revenueForecast(@Parent() project: ProjectEntity, @Args() args: RevenueForecastArgs): RevenueForecast {
    return this.revenueForecastService.forecastOf(RevenueForecastScope.PROJECT, project.id, args);
  }
}
