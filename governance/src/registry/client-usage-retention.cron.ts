import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import type { Logger } from '@concord/common';
import { GOVERNANCE_LOGGER } from '../common/governance-core.module';
import { DatabaseSchemaUsage } from './client-usage';
import { REGISTRY_OPTIONS, type RegistryOptions } from './registry.options';

export const CLIENT_USAGE_RETENTION_JOB = 'client-usage-retention';
const DAY_MS = 86_400_000;

/**
 * Client usage retention, run only with GOVERNANCE_JOBS=on (the schedule module is then loaded): every hour the days
 * of usage older than REGISTRY_USAGE_RETENTION_DAYS are deleted, in batches. Replicas may run it at once (they skip
 * each other's rows), so it needs no leader. A round never rejects: a failure is logged and the next hour tries again.
 */
@Injectable()
export class ClientUsageRetentionCron implements OnModuleDestroy {
  private running: Promise<number | null> | undefined;

  constructor(
    private readonly usage: DatabaseSchemaUsage,
    @Inject(REGISTRY_OPTIONS) private readonly options: RegistryOptions,
    @Inject(GOVERNANCE_LOGGER) private readonly logger: Logger,
  ) {}

  /** Deletes the usage past retention; answers how many rows went (null when the round failed). */
  @Cron(CronExpression.EVERY_HOUR, { name: CLIENT_USAGE_RETENTION_JOB, waitForCompletion: true })
  applyRetention(): Promise<number | null> {
    this.running ??= this.deleteExpired().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async deleteExpired(): Promise<number | null> {
    const before = new Date(this.options.now().getTime() - this.options.usageRetentionDays * DAY_MS);
    try {
      const deleted = await this.usage.deleteBefore(before);
      if (deleted > 0) {
        this.logger.info({ deleted, before: before.toISOString() }, 'client usage past retention deleted');
      }
      return deleted;
    } catch (error) {
      this.logger.error({ err: error, job: CLIENT_USAGE_RETENTION_JOB }, 'client usage retention failed');
      return null;
    }
  }

  /** Lets a running round finish before the database pool closes. */
  async onModuleDestroy(): Promise<void> {
    await this.running;
  }
}
