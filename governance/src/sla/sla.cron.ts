import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import type { Logger } from '@concord/common';
import { GOVERNANCE_LOGGER } from '../common/governance-core.module';
import { SLA_OPTIONS, type SlaOptions } from './sla.options';
import { SlaLeader } from './sla-leader';
import { SlaSampleService } from './sla-sample.service';
import { SloEvaluator, type SloAssessment } from './slo-evaluator';
import { WebhookDeliveryService, type DeliveryOutcome } from './webhook-delivery.service';

export const SLA_EVALUATION_JOB = 'sla-evaluation';
export const SLA_WEBHOOK_JOB = 'sla-webhook';
export const SLA_RETENTION_JOB = 'sla-retention';
const DAY_MS = 86_400_000;
/** 15 s into each minute: the previous minute's last samples (gateways ship every 5 s) are in by then */
const EVERY_MINUTE_AT_15_SECONDS = '15 * * * * *';

/**
 * The SLA jobs, run only with GOVERNANCE_JOBS=on (the schedule module is then loaded) and only on the replica that
 * holds the SLA leader lock (SlaLeader), so every minute exactly one replica evaluates: SLO evaluation every
 * minute (then the notifications it made go out at once), webhook delivery (retries) every 10 s, retention hourly.
 * Each job runs one round at a time (a call while one runs joins it) and never rejects: a failed round is logged
 * and the next one tries again. The methods answer what they did, or null when this replica is not the leader.
 */
@Injectable()
export class SlaCron implements OnModuleDestroy {
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(
    private readonly leader: SlaLeader,
    private readonly evaluator: SloEvaluator,
    private readonly delivery: WebhookDeliveryService,
    private readonly samples: SlaSampleService,
    @Inject(SLA_OPTIONS) private readonly options: SlaOptions,
    @Inject(GOVERNANCE_LOGGER) private readonly logger: Logger,
  ) {}

  @Cron(EVERY_MINUTE_AT_15_SECONDS, { name: SLA_EVALUATION_JOB, waitForCompletion: true })
  evaluate(): Promise<SloAssessment[] | null> {
    return this.asLeader(SLA_EVALUATION_JOB, async () => {
      const assessments = await this.evaluator.evaluate(this.options.now());
      if (assessments.some((assessment) => assessment.incident)) {
        await this.deliver();
      }
      return assessments;
    });
  }

  @Cron(CronExpression.EVERY_10_SECONDS, { name: SLA_WEBHOOK_JOB, waitForCompletion: true })
  deliver(): Promise<DeliveryOutcome | null> {
    return this.asLeader(SLA_WEBHOOK_JOB, () => this.delivery.deliverDue(this.options.now()));
  }

  @Cron(CronExpression.EVERY_HOUR, { name: SLA_RETENTION_JOB, waitForCompletion: true })
  applyRetention(): Promise<number | null> {
    return this.asLeader(SLA_RETENTION_JOB, async () => {
      const cutoff = new Date(this.options.now().getTime() - this.options.retentionDays * DAY_MS);
      const deleted = await this.samples.deleteBefore(cutoff);
      if (deleted > 0) {
        this.logger.info({ deleted, before: cutoff.toISOString() }, 'SLA samples past retention deleted');
      }
      return deleted;
    });
  }

  private asLeader<T>(job: string, work: () => Promise<T>): Promise<T | null> {
    const running = this.running.get(job) as Promise<T | null> | undefined;
    if (running) {
      return running;
    }
    const round = this.leader
      .isLeader()
      .then((leading) => (leading ? work() : null))
      .catch((error: unknown) => {
        this.logger.error({ err: error, job }, 'SLA job failed');
        return null;
      })
      .finally(() => this.running.delete(job));
    this.running.set(job, round);
    return round;
  }

  /** Lets running rounds finish before the database pool closes. */
  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.running.values());
  }
}
