import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import type { Logger } from '@concord/common';
import { GOVERNANCE_LOGGER } from '../common/governance-core.module';
import { SUBGRAPH_PROBE_OPTIONS, SubgraphService, type SubgraphProbeOptions } from './subgraph.service';

export const SUBGRAPH_HEALTH_JOB = 'subgraph-health';

/**
 * Keeps governance.subgraph current: probes each configured subgraph's /health every 30 s. Registered only
 * when GOVERNANCE_JOBS=on (the schedule module is then loaded); probes are idempotent upserts, so replicas
 * that all run it agree.
 */
@Injectable()
export class SubgraphHealthCron implements OnApplicationBootstrap, OnModuleDestroy {
  private running: Promise<void> | null = null;

  constructor(
    private readonly subgraphs: SubgraphService,
    @Inject(SUBGRAPH_PROBE_OPTIONS) private readonly options: SubgraphProbeOptions,
    @Inject(GOVERNANCE_LOGGER) private readonly logger: Logger,
  ) {}

  /** First probe at start, not 30 s later. */
  onApplicationBootstrap(): void {
    if (this.options.jobs) {
      void this.run();
    }
  }

  /** One probe round at a time: a call while one runs joins it. Never rejects (a failed round is logged). */
  @Cron(CronExpression.EVERY_30_SECONDS, { name: SUBGRAPH_HEALTH_JOB, waitForCompletion: true })
  run(): Promise<void> {
    this.running ??= this.subgraphs
      .probeAll()
      .then(
        () => undefined,
        (error: unknown) => this.logger.error({ err: error }, 'subgraph health probe failed'),
      )
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  /** Lets a running round finish before the database pool closes. */
  async onModuleDestroy(): Promise<void> {
    await this.running;
  }
}
