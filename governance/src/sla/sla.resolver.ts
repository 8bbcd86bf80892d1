import { UseFilters, UseGuards } from '@nestjs/common';
import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { toConnection, type ConnectionShape } from '@concord/graphql';
import { currentCaller } from '../common/caller';
import { GovernanceGraphQLErrorFilter } from '../common/graphql-error.filter';
import { PolicyGuard, RequireAbility } from '../policy/policy.guard';
import { CreateServiceLevelObjectiveInput, IncidentsArgs, SlaReportArgs, TargetHealthArgs, UpdateServiceLevelObjectiveInput } from './dtos/sla.input';
import {
  IncidentChangeOutput,
  IncidentConnection,
  IncidentOutput,
  ServiceLevelObjectiveOutput,
  SlaReportOutput,
  SloStatusOutput,
  TargetHealthOutput,
} from './dtos/sla.output';
import { IncidentService, type Incident } from './incident.service';
import { SlaInsightsService, type IncidentChange, type SloStatus, type TargetHealth } from './sla-insights.service';
import { SlaReportService } from './sla-report.service';
import { SloService } from './slo.service';
import { describePair } from './burn-rate';

function sloStatusOutputOf(status: SloStatus): SloStatusOutput {
  return {
    slo: status.slo,
    health: status.health,
    windowEnd: status.windowEnd,
    windowEvents: status.window.events,
    windowBad: status.window.bad,
    budgetRemaining: status.budgetRemaining,
    currentBurnRate: status.currentBurnRate,
    exhaustsAt: status.exhaustsAt,
    minutesToExhaustion: status.minutesToExhaustion,
    lowTraffic: status.lowTraffic,
    explanation: status.explanation,
    pairs: status.pairs.map((pair) => ({
      severity: pair.severity,
      factor: pair.factor,
      longWindowMinutes: pair.longMinutes,
      shortWindowMinutes: pair.shortMinutes,
      longBurnRate: pair.long.burnRate,
      shortBurnRate: pair.short.burnRate,
      longEvents: pair.long.events,
      shortEvents: pair.short.events,
      firing: pair.firing,
      lowTraffic: pair.lowTraffic,
      description: describePair(pair),
    })),
  };
}

/**
 * SLOs, SLA reports and incidents. Reading needs `read` on ServiceLevelObjective (SLOs and reports) or Incident;
 * changing SLOs `create`/`update` on ServiceLevelObjective, notes `update` on Incident. By default operators manage
 * SLOs and handle incidents; executives, auditors and data stewards read.
 */
@Resolver(() => ServiceLevelObjectiveOutput)
@UseGuards(PolicyGuard)
@UseFilters(GovernanceGraphQLErrorFilter)
export class SlaResolver {
  constructor(
    private readonly slos: SloService,
    private readonly reports: SlaReportService,
    private readonly incidentService: IncidentService,
    private readonly insights: SlaInsightsService,
  ) {}

  @Query(() => [SloStatusOutput], {
    description: 'Each enabled SLO now (or the one asked for): burn of each window pair against its threshold, budget left, time to exhaustion.',
  })
  @RequireAbility('read', 'ServiceLevelObjective')
  async sloStatuses(@Args('id', { type: () => ID, nullable: true }) id?: string | null): Promise<SloStatusOutput[]> {
    return (await this.insights.statuses(id)).map(sloStatusOutputOf);
  }

  @Query(() => [TargetHealthOutput], { description: 'Per subgraph, operation or workflow: traffic, latency percentiles and errors by code over a range.' })
  @RequireAbility('read', 'ServiceLevelObjective')
  slaTargetHealth(@Args() args: TargetHealthArgs): Promise<TargetHealth[]> {
    return this.insights.targetHealth(args.kind, new Date(args.from), new Date(args.to));
  }

  @Query(() => [ServiceLevelObjectiveOutput], { description: 'Every SLO, enabled or not, by kind, target and name.' })
  @RequireAbility('read', 'ServiceLevelObjective')
  serviceLevelObjectives(): Promise<ServiceLevelObjectiveOutput[]> {
    return this.slos.list();
  }

  @Query(() => SlaReportOutput, {
    description: 'Per UTC day: traffic, availability, latency percentiles, error budget left per SLO, and incidents.',
  })
  @RequireAbility('read', 'ServiceLevelObjective')
  slaReport(@Args() args: SlaReportArgs): Promise<SlaReportOutput> {
    return this.reports.report(args);
  }

  @Query(() => IncidentConnection, { description: 'Incidents with their timelines, the latest opened first.' })
  @RequireAbility('read', 'Incident')
  async incidents(@Args() args: IncidentsArgs): Promise<ConnectionShape<IncidentOutput>> {
    return toConnection(await this.incidentService.page(args));
  }

  @Mutation(() => ServiceLevelObjectiveOutput, { description: 'Evaluated from the next minute on; audited.' })
  @RequireAbility('create', 'ServiceLevelObjective')
  createServiceLevelObjective(@Args('input') input: CreateServiceLevelObjectiveInput): Promise<ServiceLevelObjectiveOutput> {
    return this.slos.create(input, currentCaller());
  }

  @Mutation(() => ServiceLevelObjectiveOutput, { description: 'Changes only what is given; enabled: false disables it. Audited.' })
  @RequireAbility('update', 'ServiceLevelObjective')
  updateServiceLevelObjective(
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateServiceLevelObjectiveInput,
  ): Promise<ServiceLevelObjectiveOutput> {
    return this.slos.update(id, input, currentCaller());
  }

  @Mutation(() => IncidentOutput, { description: 'Adds a note to the incident’s timeline (open or resolved); audited.' })
  @RequireAbility('update', 'Incident')
  addIncidentNote(@Args('id', { type: () => ID }) id: string, @Args('note') note: string): Promise<IncidentOutput> {
    return this.incidentService.addNote(id, note, currentCaller());
  }
}

/** The changes around an incident (schema publishes, ownership rules …), read from the ledger with the incident. */
@Resolver(() => IncidentOutput)
@UseGuards(PolicyGuard)
@UseFilters(GovernanceGraphQLErrorFilter)
export class IncidentChangesResolver {
  constructor(private readonly insights: SlaInsightsService) {}

  @RequireAbility('read', 'Incident')
  @ResolveField(() => [IncidentChangeOutput], {
    description: 'Changes from an hour before the incident opened until it resolved: schema publishes, ownership and policy changes, SLO edits. Oldest first.',
  })
  changes(@Parent() incident: Incident): Promise<IncidentChange[]> {
    return this.insights.changesAround(incident);
  }
}
