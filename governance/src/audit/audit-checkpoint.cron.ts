import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import type { Logger } from '@concord/common';
import { GOVERNANCE_LOGGER } from '../common/governance-core.module';
import { AuditLedgerService } from './audit-ledger.service';

export const AUDIT_CHECKPOINT_JOB = 'audit-checkpoint';

/**
 * Signs the ledger's end every minute, so a quiet ledger is still covered by a recent checkpoint. Runs only with
 * GOVERNANCE_JOBS=on; a round with nothing new is a no-op (ON CONFLICT), so replicas may all run it.
 */
@Injectable()
export class AuditCheckpointCron implements OnModuleDestroy {
  private running: Promise<void> | null = null;

  constructor(
    private readonly ledger: AuditLedgerService,
    @Inject(GOVERNANCE_LOGGER) private readonly logger: Logger,
  ) {}

  /** Never rejects: a failed round is logged and the next minute tries again. */
  @Cron(CronExpression.EVERY_MINUTE, { name: AUDIT_CHECKPOINT_JOB, waitForCompletion: true })
  run(): Promise<void> {
    this.running ??= this.ledger
      .checkpoint()
      .then(
        () => undefined,
        (error: unknown) => this.logger.error({ err: error }, 'audit checkpoint failed'),
      )
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  async onModuleDestroy(): Promise<void> {
    await this.running;
  }
}
