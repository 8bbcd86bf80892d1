import { Inject, UseFilters, UseGuards } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ISO_MONTH, isIsoDate, isUuid, newId } from '@concord/common';
import { toConnection, type ConnectionShape } from '@concord/graphql';
import { currentCaller } from '../common/caller';
import { GovernanceGraphQLErrorFilter } from '../common/graphql-error.filter';
import { JsonScalar } from '../common/json.scalar';
import { PolicyGuard, RequireAbility } from '../policy/policy.guard';
import { BulkReplayFilterInput, WorkflowRunsArgs } from './dtos/workflow.input';
import {
  BulkReplayResultOutput,
  BulkReplayReviewOutput,
  ProjectSetupCycleReportOutput,
  WorkflowRunConnection,
  WorkflowRunOutput,
} from './dtos/workflow.output';
import { forecastSnapshotKey } from './flows/forecast-snapshot';
import { requestRevenueRecognition } from './flows/revenue-recognition';
import { SetupCycleService } from './setup-cycle.service';
import { WORKFLOW_DEFINITIONS, WorkflowKind, type JsonObject, type WorkflowDefinition } from './workflow-definition';
import { WorkflowEngine } from './workflow-engine';
import { WorkflowException, WorkflowExceptionCode } from './workflow.exception';
import { BULK_REPLAY_CAP, WorkflowRunStore, type WorkflowRun } from './workflow-run.store';

/**
 * Workflow runs and the exception queue. Reading needs `read` on WorkflowRun (stewards, auditors, executives,
 * operators by default); `replay` and `dismiss` (data stewards) act on runs in the exception queue, with a reason,
 * recorded in the ledger under the flow's correlation id; `start` (finance) starts an invoice run, a month's forecast snapshot or
 * a revenue recognition.
 */
@Resolver(() => WorkflowRunOutput)
@UseGuards(PolicyGuard)
@UseFilters(GovernanceGraphQLErrorFilter)
export class WorkflowResolver {
  private readonly steps: Map<string, string[]>;

  constructor(
    private readonly store: WorkflowRunStore,
    private readonly engine: WorkflowEngine,
    private readonly setupCycles: SetupCycleService,
    @Inject(WORKFLOW_DEFINITIONS) definitions: readonly WorkflowDefinition[],
  ) {
    this.steps = new Map(definitions.map((definition) => [definition.kind, definition.steps.map((step) => step.name)]));
  }

  @Query(() => WorkflowRunConnection, {
    description: 'Workflow runs, the most recently changed first; the exception queue is statusIn: [EXCEPTION].',
  })
  @RequireAbility('read', 'WorkflowRun')
  async workflowRuns(@Args() args: WorkflowRunsArgs): Promise<ConnectionShape<WorkflowRunOutput>> {
    const page = await this.store.page(args);
    return toConnection({ ...page, nodes: await this.outputs(page.nodes) });
  }

  @Query(() => WorkflowRunOutput, { nullable: true })
  @RequireAbility('read', 'WorkflowRun')
  async workflowRun(@Args('id', { type: () => ID }) id: string): Promise<WorkflowRunOutput | null> {
    const run = await this.store.get(id);
    return run ? (await this.outputs([run]))[0] : null;
  }

  @Query(() => ProjectSetupCycleReportOutput, {
    description:
      'Project setup cycle time (DOMAIN.md §3) of the deals won from `from` to `to` (ISO dates, both included): closed-won → setup ready (the flow) → ACTIVE.',
  })
  @RequireAbility('read', 'WorkflowRun')
  projectSetupCycleTime(@Args('from') from: string, @Args('to') to: string): Promise<ProjectSetupCycleReportOutput> {
    return this.setupCycles.report(from, to);
  }

  @Mutation(() => WorkflowRunOutput, {
    description:
      'Starts an invoice run (finance): the date-based billing schedule lines due by periodEnd become READY, then one DRAFT invoice per contract (or only contractId) bills its READY schedule lines and its T&M projects’ APPROVED billable uninvoiced time and expenses dated up to periodEnd. A contract with a live invoice for periodEnd is left alone. Audited.',
  })
  @RequireAbility('start', 'WorkflowRun')
  async startInvoiceRun(
    @Args('periodEnd') periodEnd: string,
    @Args('contractId', { type: () => ID, nullable: true }) contractId?: string | null,
  ): Promise<WorkflowRunOutput> {
    const problems = [
      ...(isIsoDate(periodEnd) ? [] : ['periodEnd must be an ISO date (YYYY-MM-DD)']),
      ...(contractId && !isUuid(contractId) ? ['contractId must be a UUID'] : []),
    ];
    if (problems.length > 0) {
      throw new WorkflowException(WorkflowExceptionCode.INVALID_INPUT, problems.join('; '), { problems });
    }
    const caller = currentCaller();
    const run = await this.store.request(
      caller,
      {
        kind: WorkflowKind.INVOICE_RUN,
        // a new run each time: a later run for the same period bills what became billable since (drafts are found by contract and period)
        businessKey: `${periodEnd}:${contractId ?? 'all'}:${newId()}`,
        payload: { periodEnd, contractId: contractId ?? null },
      },
      `invoice run for the period ending ${periodEnd}${contractId ? ` of contract ${contractId}` : ''}`,
    );
    this.engine.poke();
    return (await this.outputs([run]))[0];
  }

  @Mutation(() => WorkflowRunOutput, {
    description:
      "Records the revenue forecast snapshot of `month` (YYYY-MM) now (finance): PSA's T&M forecast of the month per SETUP, ACTIVE or ON_HOLD project and ERP's fixed fee from their contracts' billing schedules. The hourly schedule starts this month's on its own (GOVERNANCE_JOBS=on); once per month: a second call answers the run already started. Audited.",
  })
  @RequireAbility('start', 'WorkflowRun')
  async startForecastSnapshot(@Args('month') month: string): Promise<WorkflowRunOutput> {
    if (!ISO_MONTH.test(month)) {
      throw new WorkflowException(WorkflowExceptionCode.INVALID_INPUT, 'month must be a month written YYYY-MM', {
        problems: ['month must be a month written YYYY-MM'],
      });
    }
    const { run, created } = await this.store.requestOnce(
      currentCaller(),
      { kind: WorkflowKind.FORECAST_SNAPSHOT, businessKey: forecastSnapshotKey(month), payload: { month } },
      `revenue forecast snapshot of ${month}`,
    );
    if (created) {
      this.engine.poke();
    }
    return (await this.outputs([run]))[0];
  }

  @Mutation(() => WorkflowRunOutput, {
    description:
      'Starts the revenue recognition of a month (finance): period is its first day (YYYY-MM-01); every contract in a billable state started by its end, or only contractId, gets the month’s revenue entry per contract line and revRecMethod from PSA’s delivered work and progress, with the functional-currency amount at the period end’s FX rate. Once per period and scope: a second call answers the run already started. Audited.',
  })
  @RequireAbility('start', 'WorkflowRun')
  async startRevenueRecognition(
    @Args('period') period: string,
    @Args('contractId', { type: () => ID, nullable: true }) contractId?: string | null,
  ): Promise<WorkflowRunOutput> {
    const { run, created } = await requestRevenueRecognition(this.store, currentCaller(), period, contractId ?? null);
    if (created) {
      this.engine.poke();
    }
    return (await this.outputs([run]))[0];
  }

  @Mutation(() => WorkflowRunOutput, {
    description:
      'Sends a run from the exception queue back to work from the step that failed, with fresh attempts; `payload` (optional) replaces its input, e.g. { legalEntityId } or { customer: { taxId } }. Audited with the payload before and after.',
  })
  @RequireAbility('replay', 'WorkflowRun')
  async replayWorkflowRun(
    @Args('id', { type: () => ID }) id: string,
    @Args('reason') reason: string,
    @Args('payload', { type: () => JsonScalar, nullable: true }) payload?: unknown,
  ): Promise<WorkflowRunOutput> {
    if (payload !== undefined && payload !== null && (typeof payload !== 'object' || Array.isArray(payload))) {
      throw new WorkflowException(WorkflowExceptionCode.INVALID_INPUT, 'payload must be a JSON object', {
        problems: ['payload must be an object'],
      });
    }
    const run = await this.store.replay(id, currentCaller(), reason, payload as JsonObject | null | undefined);
    return (await this.outputs([run]))[0];
  }

  @Query(() => BulkReplayReviewOutput, {
    description:
      'The review step of a bulk replay: the runs of the exception queue matching the filter (kind, error code, age), oldest first, at most cap (100); replay exactly those with bulkReplayWorkflowRuns.',
  })
  @RequireAbility('replay', 'WorkflowRun')
  async bulkReplayReview(@Args('filter') filter: BulkReplayFilterInput): Promise<BulkReplayReviewOutput> {
    const { total, runs } = await this.store.bulkReplayCandidates(filter);
    return { cap: BULK_REPLAY_CAP, matching: total, capped: total > BULK_REPLAY_CAP, runs: await this.outputs(runs) };
  }

  @Mutation(() => BulkReplayResultOutput, {
    description:
      'Replays exactly the reviewed runs (at most 100) with one reason, all or none: refused (CONFLICT) when one left the exception queue since the review. Each replay audited, tied by the batch id.',
  })
  @RequireAbility('replay', 'WorkflowRun')
  async bulkReplayWorkflowRuns(
    @Args('ids', { type: () => [ID] }) ids: string[],
    @Args('reason') reason: string,
  ): Promise<BulkReplayResultOutput> {
    const { batchId, runs } = await this.store.bulkReplay(ids, currentCaller(), reason);
    this.engine.poke();
    return { batchId, runs: await this.outputs(runs) };
  }

  @Mutation(() => WorkflowRunOutput, { description: 'Closes a run of the exception queue without running it again; audited.' })
  @RequireAbility('dismiss', 'WorkflowRun')
  async dismissWorkflowRun(@Args('id', { type: () => ID }) id: string, @Args('reason') reason: string): Promise<WorkflowRunOutput> {
    const run = await this.store.dismiss(id, currentCaller(), reason);
    return (await this.outputs([run]))[0];
  }

  private async outputs(runs: WorkflowRun[]): Promise<WorkflowRunOutput[]> {
    const events = await this.store.events(runs.map((run) => run.id));
    return runs.map((run) => ({
      ...run,
      steps: this.steps.get(run.kind) ?? [],
      stepsDone: run.step,
      events: events.get(run.id) ?? [],
    }));
  }
}
