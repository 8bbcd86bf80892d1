import { Args, Parent, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { ClientEntity } from '../client/client.entity';
import { RevenueForecast, RevenueForecastArgs, RevenueForecastPart, RevenueForecastScope } from './dtos/revenue-forecast.output';
import { RevenueForecastService } from './revenue-forecast.service';

/** CRM's part of every revenue forecast: the weighted pipeline by close month. */
@Resolver(() => RevenueForecast)
export class RevenueForecastResolver {
  constructor(private readonly revenueForecastService: RevenueForecastService) {}

  @ResolveReference()
  resolveReference(reference: RevenueForecast): RevenueForecast {
    return this.revenueForecastService.forecastOf(reference.scope, reference.scopeId, reference);
  }

  @ResolveField(() => [RevenueForecastPart], {
    nullable: true,
    description: 'Weighted pipeline: open opportunities’ amount × probability / 100 by close month, per currency (client and portfolio only).',
  })
  weightedPipeline(@Parent() forecast: RevenueForecast): Promise<RevenueForecastPart[]> {
    return this.revenueForecastService.weightedPipeline(forecast);
  }
}

@Resolver(() => ClientEntity)
export class ClientRevenueForecastResolver {
  constructor(private readonly revenueForecastService: RevenueForecastService) {}

  @ResolveField(() => RevenueForecast, {
    description: "The client's monthly revenue forecast over a month range: its projects' T&M, its contracts' fixed fee, its weighted pipeline.",
  })
  revenueForecast(@Parent() client: ClientEntity, @Args() args: RevenueForecastArgs): RevenueForecast {
    return this.revenueForecastService.forecastOf(RevenueForecastScope.CLIENT, client.id, args);
  }
}
