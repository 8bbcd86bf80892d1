import type { WorkflowIdentity } from './workflow-gateway-client';

export interface WorkflowOptions {
  /** the workers (WORKFLOWS): off, runs are still started by the ledger and wait until a replica with workers takes them */
  workers: boolean;
  /** how the engine reaches the graph; workers need it */
  identity?: WorkflowIdentity;
  /** how often an idle worker looks for due runs */
  pollMs: number;
  /** runs one replica works on at once */
  concurrency: number;
  /** attempts before a run lands in the exception queue */
  maxAttempts: number;
  /** the wait after the first failed attempt, doubled after each further one up to maxBackoffMs */
  firstBackoffMs: number;
  maxBackoffMs: number;
  /** a claimed run is someone else's to take over when its worker has not reported for this long */
  leaseMs: number;
  /** days a SUCCEEDED or DISMISSED run is kept (the ledger keeps its audit trail for good); WorkflowCron deletes older ones */
  retentionDays: number;
  /** the clock of the schedule and of retention (tests set it) */
  now: () => Date;
}

export const WORKFLOW_OPTIONS = Symbol('WORKFLOW_OPTIONS');

export const defaultWorkflowOptions: WorkflowOptions = {
  workers: false,
  pollMs: 250,
  concurrency: 4,
  maxAttempts: 8,
  firstBackoffMs: 1_000,
  maxBackoffMs: 300_000,
  leaseMs: 60_000,
  retentionDays: 90,
  now: () => new Date(),
};
