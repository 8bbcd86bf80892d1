import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from '@concord/graphql';
import { JsonScalar } from '../../common/json.scalar';
import { WorkflowKind } from '../workflow-definition';
import { WorkflowRunStatus } from '../workflow-run.store';
import { ExceptionCaseState } from '../exception-case.store';

registerEnumType(WorkflowKind, {
  name: 'WorkflowKind',
  description:
    'OPPORTUNITY_TO_PROJECT: closed-won → contract, billing, project; CHANGE_ORDER: approved change order → contract, billing, budget; RENEWAL: consumption threshold → renewal opportunity; INVOICE_POSTED / INVOICE_CANCELLED: the invoice’s PSA time and expenses stamped INVOICED / back to APPROVED; MILESTONE_ACCEPTED: accepted milestone → its billing schedule lines READY; INVOICE_RUN: finance’s invoice run for a period → one draft invoice per contract; INTERCOMPANY: approved time on another legal entity’s project → the intercompany charge; REVENUE_RECOGNITION: a month’s revenue recognition → ERP revenue entries per contract line.',
});
registerEnumType(WorkflowRunStatus, {
  name: 'WorkflowRunStatus',
  description: 'PENDING and RETRYING wait for a worker, RUNNING has one; EXCEPTION waits for a steward; SUCCEEDED and DISMISSED are final.',
});

@ObjectType('WorkflowRunError', { description: 'Why the last attempt failed.' })
export class WorkflowRunErrorOutput {
  @Field({ description: 'GATE_FAILED, a subgraph error code (BAD_USER_INPUT, OWNERSHIP_VIOLATION…), SERVICE_UNAVAILABLE, STEP_FAILED.' })
  code: string;

  @Field()
  message: string;

  @Field({ description: 'True when retrying cannot help until data, payload or policy change.' })
  permanent: boolean;

  @Field(() => String, { nullable: true })
  step: string | null;

  @Field(() => [String], { description: 'The data-quality gate’s reasons, one per problem.' })
  reasons: string[];

  @Field(() => JsonScalar, { nullable: true })
  details: unknown;
}

@ObjectType('WorkflowRunEvent', { description: 'One entry of a run’s history.' })
export class WorkflowRunEventOutput {
  @Field()
  at: Date;

  @Field({ description: 'started, step, failed, exception, succeeded, replayed or dismissed.' })
  kind: string;

  @Field(() => String, { nullable: true })
  step: string | null;

  @Field(() => Int, { nullable: true })
  attempt: number | null;

  @Field()
  message: string;

  @Field(() => JsonScalar, { nullable: true, description: 'A step’s output, a failure’s errors, a replay’s payload before and after.' })
  details: unknown;

  @Field(() => String, { nullable: true, description: 'The steward of a replay or dismissal.' })
  actor: string | null;
}

@ObjectType('WorkflowRun', {
  description: 'One cross-system flow for one business key (an opportunity, a change order, a contract threshold).',
})
export class WorkflowRunOutput {
  @Field(() => ID)
  id: string;

  @Field(() => WorkflowKind)
  kind: WorkflowKind;

  @Field({ description: 'What the run is about: the opportunity id, the change order id, contract id and threshold.' })
  businessKey: string;

  @Field(() => WorkflowRunStatus)
  status: WorkflowRunStatus;

  @Field({ description: 'The id every step’s request carried: search the ledger with it.' })
  correlationId: string;

  @Field(() => JsonScalar, { description: 'The run’s input; a replay can replace it.' })
  payload: unknown;

  @Field(() => JsonScalar, { description: 'The finished steps’ outputs (ids created or found).' })
  state: unknown;

  @Field(() => [String], { description: 'The steps of this kind of run, in order.' })
  steps: string[];

  @Field(() => Int, { description: 'How many steps are done.' })
  stepsDone: number;

  @Field(() => Int, { description: 'Attempts since the start or the last replay.' })
  attempts: number;

  @Field({ description: 'When a worker takes it next (pending or retrying).' })
  nextAttemptAt: Date;

  @Field(() => WorkflowRunErrorOutput, { nullable: true })
  lastError: WorkflowRunErrorOutput | null;

  @Field()
  startedAt: Date;

  @Field(() => Date, { nullable: true })
  completedAt: Date | null;

  @Field()
  updatedAt: Date;

  @Field(() => [WorkflowRunEventOutput], { description: 'The run’s history, oldest first.' })
  events: WorkflowRunEventOutput[];
}

export const WorkflowRunConnection = Connection(WorkflowRunOutput, 'WorkflowRun');

@ObjectType('ProjectSetupCycle', {
  description: 'One won deal: when it closed, when its setup flow finished, when its project went ACTIVE.',
})
export class ProjectSetupCycleOutput {
  @Field(() => ID)
  opportunityId: string;

  @Field(() => ID)
  projectId: string;

  @Field()
  closedWonAt: Date;

  @Field({ description: 'The OPPORTUNITY_TO_PROJECT run finished: contract, billing, project, tasks and requests in place.' })
  setupReadyAt: Date;

  @Field(() => Date, { nullable: true, description: 'The project’s activation (delivery manager confirmed); null while in SETUP.' })
  activatedAt: Date | null;

  @Field(() => Float, { description: 'setupReadyAt − closedWonAt in seconds.' })
  setupSeconds: number;

  @Field(() => Float, { nullable: true, description: 'activatedAt − closedWonAt in days (DOMAIN.md §3); null while not activated.' })
  cycleDays: number | null;
}

@ObjectType('ProjectSetupCycleReport', { description: 'Project setup cycle time of the deals won in a period (by close date).' })
export class ProjectSetupCycleReportOutput {
  @Field()
  from: string;

  @Field()
  to: string;

  @Field(() => Int)
  count: number;

  @Field(() => Int, { description: 'Of count, the projects already ACTIVE.' })
  activated: number;

  @Field(() => Float, { nullable: true })
  averageSetupSeconds: number | null;

  @Field(() => Float, { nullable: true })
  p95SetupSeconds: number | null;

  @Field(() => Float, { nullable: true })
  averageCycleDays: number | null;

  @Field(() => Float, { nullable: true })
  p90CycleDays: number | null;

  @Field(() => [ProjectSetupCycleOutput])
  projects: ProjectSetupCycleOutput[];
}

registerEnumType(ExceptionCaseState, {
  name: 'ExceptionCaseState',
  description: 'NEW → ACKNOWLEDGED → ASSIGNED (assignee) → RESOLVED (reason) → REOPENED; a run that succeeds on a retry resolves its case.',
});

@ObjectType('ExceptionCase', { description: 'One workflow run that needed a person, as a case stewards work.' })
export class ExceptionCaseOutput {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  runId: string;

  @Field(() => WorkflowKind)
  kind: WorkflowKind;

  @Field()
  businessKey: string;

  @Field(() => WorkflowRunStatus, { description: 'Where the run is now (EXCEPTION while it waits; PENDING after a replay…).' })
  runStatus: WorkflowRunStatus;

  @Field()
  correlationId: string;

  @Field(() => ExceptionCaseState)
  state: ExceptionCaseState;

  @Field(() => String, { nullable: true })
  assignee: string | null;

  @Field(() => String, { nullable: true, description: 'Why it was resolved (retry succeeded, run dismissed: …, or the steward’s reason).' })
  resolution: string | null;

  @Field(() => String, { nullable: true })
  resolvedBy: string | null;

  @Field(() => String, { nullable: true, description: 'The last error’s code.' })
  failureCode: string | null;

  @Field(() => String, { nullable: true, description: 'The last error’s message: why the run failed.' })
  failureReason: string | null;

  @Field(() => String, { nullable: true })
  failedStep: string | null;

  @Field(() => Int)
  attempts: number;

  @Field({ description: 'When the run first needed a person.' })
  openedAt: Date;

  @Field(() => Float, { description: 'Seconds since openedAt (until resolvedAt once resolved).' })
  ageSeconds: number;

  @Field(() => Date, { nullable: true })
  resolvedAt: Date | null;

  @Field()
  updatedAt: Date;
}

export const ExceptionCaseConnection = Connection(ExceptionCaseOutput, 'ExceptionCase');

@ObjectType('BulkReplayReview', { description: 'The review step of a bulk replay: the runs it would replay, capped.' })
export class BulkReplayReviewOutput {
  @Field(() => Int, { description: 'The most runs one bulk replay takes.' })
  cap: number;

  @Field(() => Int, { description: 'How many runs of the exception queue match the filter.' })
  matching: number;

  @Field({ description: 'True when matching exceeds cap: only the cap’s oldest are listed (replay, then review again).' })
  capped: boolean;

  @Field(() => [WorkflowRunOutput], { description: 'The matching runs, oldest parked first, at most cap.' })
  runs: WorkflowRunOutput[];
}

@ObjectType('BulkReplayResult')
export class BulkReplayResultOutput {
  @Field(() => ID, { description: 'Ties the replays’ ledger events together (after.bulkReplay.id).' })
  batchId: string;

  @Field(() => [WorkflowRunOutput])
  runs: WorkflowRunOutput[];
}
