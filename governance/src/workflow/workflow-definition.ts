import type { AuditEvent, Logger } from '@concord/common';
import type { WorkflowGatewayClient } from './workflow-gateway-client';

/** The flows Concord runs across CRM, ERP and PSA (ARCHITECTURE.md §9, DOMAIN.md §2). */
export enum WorkflowKind {
  OPPORTUNITY_TO_PROJECT = 'OPPORTUNITY_TO_PROJECT',
  CHANGE_ORDER = 'CHANGE_ORDER',
  RENEWAL = 'RENEWAL',
  INVOICE_POSTED = 'INVOICE_POSTED',
  INVOICE_CANCELLED = 'INVOICE_CANCELLED',
  INTERCOMPANY = 'INTERCOMPANY',
  MILESTONE_ACCEPTED = 'MILESTONE_ACCEPTED',
  INVOICE_RUN = 'INVOICE_RUN',
  FORECAST_SNAPSHOT = 'FORECAST_SNAPSHOT',
  REVENUE_RECOGNITION = 'REVENUE_RECOGNITION',
}

/** The provider of every WorkflowDefinition this replica knows. */
export const WORKFLOW_DEFINITIONS = Symbol('WORKFLOW_DEFINITIONS');

export type JsonObject = Record<string, unknown>;

/** What a step sees: the run's payload, the outputs of the steps before it, and the gateway as `integration`. */
export interface StepContext {
  runId: string;
  kind: WorkflowKind;
  businessKey: string;
  correlationId: string;
  payload: JsonObject;
  /** the outputs of the finished steps, merged in order */
  state: JsonObject;
  gateway: WorkflowGatewayClient;
  logger: Logger;
}

/**
 * One step of a flow. A step must be idempotent: it may run again after a crash between its writes and the run
 * recording it (each step first looks its records up by a natural key — the opportunity, the quote line, the change
 * order number — and creates only what is missing). Its output (JSON) is merged into the run's state.
 */
export interface WorkflowStep {
  name: string;
  run(context: StepContext): Promise<JsonObject | void>;
}

export interface WorkflowDefinition {
  kind: WorkflowKind;
  description: string;
  steps: readonly WorkflowStep[];
  /** The run this ledger event starts, or null; runs are unique per kind and business key. */
  trigger(event: AuditEvent): WorkflowStart | null;
  /**
   * The run the calendar asks for at `now` (a month's snapshot, a closed month's recognition), or null. WorkflowCron
   * asks every hour; the business key makes it one run per period whichever replica asks first.
   */
  scheduled?(now: Date): WorkflowStart | null;
}

export interface WorkflowStart {
  kind: WorkflowKind;
  businessKey: string;
  payload: JsonObject;
  /** the flow's correlation id: the triggering request's, so one id ties the user's write to every step */
  correlationId?: string | null;
  triggerEventId?: string | null;
}

/**
 * A step's failure. `permanent` failures (a data-quality gate, input the subgraphs refuse, a policy denial) go to
 * the exception queue at once: retrying cannot help until a steward fixes the data or the payload. Others (a
 * service down, a timeout) are retried with backoff until the run's attempts are used up.
 */
export class WorkflowStepError extends Error {
  constructor(
    message: string,
    readonly options: { permanent: boolean; code: string; reasons?: string[]; details?: JsonObject },
  ) {
    super(message);
    this.name = 'WorkflowStepError';
  }
}

/** A data-quality gate refused the run's input: nothing was created, the reasons say what to fix. */
export function gateFailure(reasons: string[]): WorkflowStepError {
  return new WorkflowStepError(`data-quality gate: ${reasons.join('; ')}`, { permanent: true, code: 'GATE_FAILED', reasons });
}
