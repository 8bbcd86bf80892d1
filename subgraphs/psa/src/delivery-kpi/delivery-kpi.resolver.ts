import { Args, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { SubgraphPolicyService } from '@concord/graphql';
import { ProjectEntity } from '../project/project.entity';
import { ResourceEntity } from '../resource/resource.entity';
import { DeliveryAnomalyService } from './delivery-anomaly.service';
import { DeliveryKpiService } from './delivery-kpi.service';
import { AnomaliesArgs, DeliveryAnomaliesArgs, DeliveryKpisArgs, EarnedValueArgs, KpiRangeArgs } from './dtos/delivery-kpi.input';
import { DeliveryAnomaly, DeliveryKpis, ProjectEarnedValue, ResourceDeliveryKpis } from './dtos/delivery-kpi.output';
import { EarnedValueService } from './earned-value.service';

/** The portfolio's delivery KPIs and anomaly flags. */
@Resolver(() => DeliveryKpis)
export class DeliveryKpiResolver {
  constructor(
    private readonly deliveryKpiService: DeliveryKpiService,
    private readonly deliveryAnomalyService: DeliveryAnomalyService,
  ) {}

  @Query(() => DeliveryKpis, {
    description: 'Utilization, realization, effective bill rates, time-entry compliance and revenue leakage over a date range.',
  })
  deliveryKpis(@Args() args: DeliveryKpisArgs): Promise<DeliveryKpis> {
    return this.deliveryKpiService.portfolio(args);
  }

  @Query(() => [DeliveryAnomaly], {
    description:
      'Anomaly flags of the ACTIVE projects (burn ahead of progress, margin erosion) and of the resources (timesheets) over a date range.',
  })
  deliveryAnomalies(@Args() args: DeliveryAnomaliesArgs): Promise<DeliveryAnomaly[]> {
    return this.deliveryAnomalyService.portfolio(args);
  }
}

@Resolver(() => ProjectEntity)
export class ProjectDeliveryKpiResolver {
  constructor(
    private readonly earnedValueService: EarnedValueService,
    private readonly deliveryAnomalyService: DeliveryAnomalyService,
    private readonly policy: SubgraphPolicyService,
  ) {}

  // cost-based (AC, CPI, EAC, burn): the row rule of Project.costToDate, null with FORBIDDEN_FIELD where it refuses
  @ResolveField(() => ProjectEarnedValue, {
    nullable: true,
    description: 'Earned value, estimates, burn and runway as of a date. Null with FORBIDDEN_FIELD where the caller may not see cost.',
  })
  earnedValue(@Parent() project: ProjectEntity, @Args() { asOf }: EarnedValueArgs): Promise<ProjectEarnedValue | null> {
    this.policy.assertCanRead('Project', project as unknown as Record<string, unknown>, 'earnedValue');
    return this.earnedValueService.earnedValue(project.id, asOf);
  }

  @ResolveField(() => [DeliveryAnomaly], { description: 'Burn ahead of progress (as of `to`) and margin erosion over the range.' })
  anomalies(@Parent() project: ProjectEntity, @Args() args: AnomaliesArgs): Promise<DeliveryAnomaly[]> {
    return this.deliveryAnomalyService.ofProject(project.id, args);
  }
}

@Resolver(() => ResourceEntity)
export class ResourceDeliveryKpiResolver {
  constructor(
    private readonly deliveryKpiService: DeliveryKpiService,
    private readonly deliveryAnomalyService: DeliveryAnomalyService,
  ) {}

  @ResolveField(() => ResourceDeliveryKpis, {
    description: 'Utilization, realization, compliance and effective bill rates over a date range.',
  })
  deliveryKpis(@Parent() resource: ResourceEntity, @Args() range: KpiRangeArgs): Promise<ResourceDeliveryKpis> {
    return this.deliveryKpiService.ofResource(resource.id, range);
  }

  @ResolveField(() => [DeliveryAnomaly], { description: 'Impossible days, weekend spikes and weekly outliers over a date range.' })
  anomalies(@Parent() resource: ResourceEntity, @Args() args: AnomaliesArgs): Promise<DeliveryAnomaly[]> {
    return this.deliveryAnomalyService.ofResource(resource.id, args);
  }
}
