import { UseFilters, UseGuards } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { toConnection, type ConnectionShape } from '@concord/graphql';
import { currentCaller } from '../common/caller';
import { GovernanceGraphQLErrorFilter } from '../common/graphql-error.filter';
import { PolicyGuard, RequireAbility } from '../policy/policy.guard';
import { CreateServiceLevelObjectiveInput, IncidentsArgs, SlaReportArgs, UpdateServiceLevelObjectiveInput } from './dtos/sla.input';
import { IncidentConnection, IncidentOutput, ServiceLevelObjectiveOutput, SlaReportOutput } from './dtos/sla.output';
import { IncidentService } from './incident.service';
import { SlaReportService } from './sla-report.service';
import { SloService } from './slo.service';

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
  ) {}

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
