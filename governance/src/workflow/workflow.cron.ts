import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import type { Logger } from '@concord/common';
import { GOVERNANCE_LOGGER } from '../common/governance-core.module';
import { WORKFLOW_DEFINITIONS, type WorkflowDefinition } from './workflow-definition';
import { WorkflowEngine } from './workflow-engine';
import { WorkflowRunStore } from './workflow-run.store';
import { WORKFLOW_OPTIONS, type WorkflowOptions } from './workflow.options';

export const WORKFLOW_SCHEDULE_JOB = 'workflow-schedule';
export const WORKFLOW_RETENTION_JOB = 'workflow-retention';
const DAY_MS = 86_400_000;
/** the actor of scheduled runs in their `started` event and the ledger */
export const WORKFLOW_SCHEDULER = { sub: 'workflow-scheduler', roles: ['integration'] };

/**
 * The workflow calendar and retention, run only with GOVERNANCE_JOBS=on (the schedule module is then loaded).
 *
 * - Every hour, on replicas with workers, each flow's `scheduled(now)` names the run the calendar wants (this month's
 *   forecast snapshot, last month's revenue recognition); it is requested unless its kind and business key exist.
 *   Asking hourly rather than once at midnight on the 1st means a replica that was down then still starts it, and the
 *   unique business key means it starts once whichever replica asks first.
 * - Every hour, finished runs older than WORKFLOW_RETENTION_DAYS are deleted in batches (the ledger keeps their audit).
 *
 * Neither needs a leader. A round never rejects: a failure is logged and the next hour tries again.
 */
@Injectable()
export class WorkflowCron implements OnModuleDestroy {
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: WorkflowRunStore,
    private readonly engine: WorkflowEngine,
    @Inject(WORKFLOW_DEFINITIONS) private readonly definitions: readonly WorkflowDefinition[],
    @Inject(WORKFLOW_OPTIONS) private readonly options: WorkflowOptions,
    @Inject(GOVERNANCE_LOGGER) private readonly logger: Logger,
  ) {}

  /** Requests the runs the calendar wants now; answers the ids of those it started (null when the round failed). */
  @Cron(CronExpression.EVERY_HOUR, { name: WORKFLOW_SCHEDULE_JOB, waitForCompletion: true })
  startScheduled(): Promise<string[] | null> {
    return this.once(WORKFLOW_SCHEDULE_JOB, async () => {
      if (!this.options.workers) {
        // a replica without workers leaves the calendar to those that will run what it starts
        return [];
      }
      const now = this.options.now();
      const started: string[] = [];
      for (const definition of this.definitions) {
        const start = definition.scheduled?.(now);
        if (!start) {
          continue;
        }
        const { run, created } = await this.store.requestOnce(
          WORKFLOW_SCHEDULER,
          start,
          `scheduled ${start.kind} for ${start.businessKey}`,
        );
        if (created) {
          started.push(run.id);
          this.logger.info({ runId: run.id, kind: run.kind, businessKey: run.businessKey }, 'scheduled workflow run started');
        }
      }
      if (started.length > 0) {
        this.engine.poke();
      }
      return started;
    });
  }

  /** Deletes the finished runs past retention; answers how many went (null when the round failed). */
  @Cron(CronExpression.EVERY_HOUR, { name: WORKFLOW_RETENTION_JOB, waitForCompletion: true })
  applyRetention(): Promise<number | null> {
    return this.once(WORKFLOW_RETENTION_JOB, async () => {
      const before = new Date(this.options.now().getTime() - this.options.retentionDays * DAY_MS);
      const deleted = await this.store.deleteFinishedBefore(before);
      if (deleted > 0) {
        this.logger.info({ deleted, before: before.toISOString() }, 'finished workflow runs past retention deleted');
      }
      return deleted;
    });
  }

  /** Lets running rounds finish before the database pool closes. */
  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled(this.running.values());
  }

  /** One round of a job at a time (a call while one runs joins it); a failed round answers null. */
  private once<T>(job: string, work: () => Promise<T>): Promise<T | null> {
    const running = this.running.get(job) as Promise<T | null> | undefined;
    if (running) {
      return running;
    }
    const round = work()
      .catch((error: unknown) => {
        this.logger.error({ err: error, job }, 'workflow job failed');
        return null;
      })
      .finally(() => this.running.delete(job));
    this.running.set(job, round);
    return round;
  }
}
