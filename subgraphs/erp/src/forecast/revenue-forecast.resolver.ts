import { Args, Directive, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { LegalEntityEntity } from '../legal-entity/legal-entity.entity';
import {
  PORTFOLIO_SCOPE_ID,
  RevenueForecast,
  RevenueForecastArgs,
  RevenueForecastMonth,
  RevenueForecastPart,
  RevenueForecastScope,
} from './dtos/revenue-forecast.output';
import { RevenueForecastService } from './revenue-forecast.service';

const PART = 'period currency amount { amount currency }';

/** ERP's part of every revenue forecast: the fixed fee, and the monthly totals of the three parts. */
@Resolver(() => RevenueForecast)
export class RevenueForecastResolver {
  constructor(private readonly revenueForecastService: RevenueForecastService) {}

  @Query(() => RevenueForecast, {
    description: 'The portfolio revenue forecast over a month range (every project, client and open opportunity), per currency.',
  })
  revenueForecast(@Args() args: RevenueForecastArgs): RevenueForecast {
    return this.revenueForecastService.forecastOf(RevenueForecastScope.PORTFOLIO, PORTFOLIO_SCOPE_ID, args);
  }

  @ResolveReference()
  resolveReference(reference: RevenueForecast): RevenueForecast {
    return { ...reference, ...this.revenueForecastService.forecastOf(reference.scope, reference.scopeId, reference) };
  }

  @ResolveField(() => [RevenueForecastPart], {
    nullable: true,
    description: 'Fixed fee and milestones: PLANNED and READY billing-schedule lines by planned month, per currency.',
  })
  @Directive('@requires(fields: "projectContractId")')
  fixedFee(@Parent() forecast: RevenueForecast): Promise<RevenueForecastPart[]> {
    return this.revenueForecastService.fixedFee(forecast);
  }

  @ResolveField(() => [RevenueForecastMonth], {
    nullable: true,
    description: 'Per month and currency: T&M + fixed fee + weighted pipeline, never adding currencies.',
  })
  @Directive(`@requires(fields: "projectContractId timeAndMaterials { ${PART} }")`)
  months(@Parent() forecast: RevenueForecast): Promise<RevenueForecastMonth[]> {
    return this.revenueForecastService.months(forecast);
  }
}

@Resolver(() => LegalEntityEntity)
export class LegalEntityRevenueForecastResolver {
  constructor(private readonly revenueForecastService: RevenueForecastService) {}

  @ResolveField(() => RevenueForecast, {
    description: "The legal entity's monthly revenue forecast over a month range: its contracts' fixed fee and its projects' T&M.",
  })
  revenueForecast(@Parent() legalEntity: LegalEntityEntity, @Args() args: RevenueForecastArgs): RevenueForecast {
    return this.revenueForecastService.forecastOf(RevenueForecastScope.LEGAL_ENTITY, legalEntity.id, args);
  }
}
