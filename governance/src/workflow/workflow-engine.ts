import { hostname } from 'node:os';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { newId, type Logger } from '@concord/common';
import { GOVERNANCE_LOGGER } from '../common/governance-core.module';
import {
  WORKFLOW_DEFINITIONS,
  WorkflowStepError,
  type JsonObject,
  type WorkflowDefinition,
  type WorkflowKind,
} from './workflow-definition';
import { WorkflowGatewayClient } from './workflow-gateway-client';
import { WorkflowRunStore, type WorkflowRun, type WorkflowRunError } from './workflow-run.store';
import { WORKFLOW_OPTIONS, type WorkflowOptions } from './workflow.options';

/**
 * The workers of this replica (WORKFLOWS=on): they claim due runs from the queue, run each from the step it stopped
 * at, record every finished step, and hand failures to the store (retry with backoff, or the exception queue). Any
 * number of replicas can run workers: claims are `SKIP LOCKED` with a lease, and a run whose worker died is taken
 * over when its lease ends; steps are idempotent, so a step that ran but was not recorded runs again harmlessly.
 */
@Injectable()
export class WorkflowEngine implements OnApplicationBootstrap, OnModuleDestroy {
  /** this worker's lease owner id: host, pid and a random part (a restarted process never reuses a lease) */
  readonly owner = `${hostname()}:${process.pid}:${newId().slice(-8)}`;
  private readonly definitions: Map<WorkflowKind, WorkflowDefinition>;
  private readonly inFlight = new Map<string, Promise<void>>();
  private loop: Promise<void> | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;
  private readonly gateway: WorkflowGatewayClient | undefined;

  constructor(
    private readonly store: WorkflowRunStore,
    @Inject(WORKFLOW_OPTIONS) private readonly options: WorkflowOptions,
    @Inject(WORKFLOW_DEFINITIONS) definitions: readonly WorkflowDefinition[],
    @Inject(GOVERNANCE_LOGGER) private readonly logger: Logger,
  ) {
    this.definitions = new Map(definitions.map((definition) => [definition.kind, definition]));
    this.gateway = options.identity ? new WorkflowGatewayClient(options.identity, 'workflow-engine') : undefined;
  }

  onApplicationBootstrap(): void {
    if (!this.options.workers) {
      return;
    }
    if (!this.options.identity) {
      this.logger.warn('WORKFLOWS=on but no WORKFLOW_GATEWAY_URL / WORKFLOW_SIGNING_KEY: the workflow workers stay off');
      return;
    }
    this.logger.info(
      { owner: this.owner, gatewayUrl: this.options.identity.gatewayUrl, concurrency: this.options.concurrency },
      'workflow workers started',
    );
    this.loop = this.run();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    await Promise.allSettled(this.inFlight.values());
  }

  /** Looks for due runs now (a trigger just started one). */
  poke(): void {
    this.wake?.();
  }

  get running(): boolean {
    return this.loop !== undefined && !this.stopped;
  }

  /** Claims the runs due now and runs them to their end or first failure; how many it ran (tests, tools). */
  async runDue(limit = this.options.concurrency): Promise<number> {
    const runs = await this.store.claim(this.owner, limit);
    await Promise.all(runs.map((run) => this.execute(run)));
    return runs.length;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const free = this.options.concurrency - this.inFlight.size;
      let claimed = 0;
      if (free > 0) {
        try {
          const runs = await this.store.claim(this.owner, free);
          claimed = runs.length;
          for (const run of runs) {
            const work = this.execute(run).finally(() => {
              this.inFlight.delete(run.id);
              this.wake?.();
            });
            this.inFlight.set(run.id, work);
          }
        } catch (error) {
          this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'workflow claim failed');
        }
      }
      if (claimed === 0 || this.inFlight.size >= this.options.concurrency) {
        await this.sleep(this.options.pollMs);
      }
    }
  }

  /** Runs one claimed run from its current step to the end, or to its first failure. */
  async execute(run: WorkflowRun): Promise<void> {
    const definition = this.definitions.get(run.kind);
    const log = this.logger.child({ runId: run.id, kind: run.kind, correlationId: run.correlationId, attempt: run.attempts });
    if (!definition) {
      await this.store.fail(run, this.owner, {
        code: 'UNKNOWN_WORKFLOW',
        message: `no workflow ${run.kind} in this version of governance`,
        permanent: true,
        step: null,
        reasons: [],
        details: null,
      });
      return;
    }
    if (!this.gateway) {
      throw new Error('the workflow engine has no gateway identity (WORKFLOW_GATEWAY_URL, WORKFLOW_SIGNING_KEY)');
    }
    const gateway = this.gateway.forRun(run.correlationId);
    let state: JsonObject = run.state;
    for (let index = run.step; index < definition.steps.length; index++) {
      const step = definition.steps[index];
      let output: JsonObject;
      // a long step (an invoice run over a large period) keeps its lease, so no other worker takes the run meanwhile
      const heartbeat = setInterval(
        () => {
          void this.store.renewLease(run, this.owner).then(
            (held) => held || log.warn({ step: step.name }, 'lost the lease of a running step: another worker may take the run'),
            (error: unknown) =>
              log.warn({ err: error instanceof Error ? error.message : String(error) }, 'could not renew a workflow lease'),
          );
        },
        Math.max(100, Math.floor(this.options.leaseMs / 3)),
      );
      heartbeat.unref();
      try {
        output =
          (await step.run({
            runId: run.id,
            kind: run.kind,
            businessKey: run.businessKey,
            correlationId: run.correlationId,
            payload: run.payload,
            state,
            gateway,
            logger: log,
          })) ?? {};
      } catch (error) {
        clearInterval(heartbeat);
        const failure = runErrorOf(error, step.name);
        const status = await this.store.fail(run, this.owner, failure).catch((storeError: unknown) => {
          log.error({ err: storeError }, 'could not record a workflow failure: the lease will expire and the run be retried');
          return null;
        });
        log.warn({ step: step.name, code: failure.code, status, err: failure.message }, 'workflow step failed');
        return;
      }
      clearInterval(heartbeat);
      if (!(await this.store.recordStep(run, this.owner, { index, name: step.name, output }))) {
        log.warn({ step: step.name }, 'lost the lease of a workflow run: another worker has it now');
        return;
      }
      state = { ...state, ...output };
    }
    await this.store.succeed(run, this.owner);
    log.info('workflow run succeeded');
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const wake = () => done();
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = wake;
    });
  }
}

function runErrorOf(error: unknown, step: string): WorkflowRunError {
  if (error instanceof WorkflowStepError) {
    return {
      code: error.options.code,
      message: error.message,
      permanent: error.options.permanent,
      step,
      reasons: error.options.reasons ?? [],
      details: error.options.details ?? null,
    };
  }
  // a bug in a step, or a database error: retried (it may be transient), and in the queue after the last attempt
  return {
    code: 'STEP_FAILED',
    message: error instanceof Error ? error.message : String(error),
    permanent: false,
    step,
    reasons: [],
    details: null,
  };
}
