import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, QueryRunner } from 'typeorm';
import type { Logger } from '@concord/common';
import { GOVERNANCE_LOGGER } from '../common/governance-core.module';

/** Key of the session-level advisory lock whose holder runs the SLA jobs ("slal"). */
export const SLA_LEADER_LOCK = 0x736c616c;

/**
 * Leader election for the SLA jobs (ARCHITECTURE.md §2: one governance scheduler leader chosen by a Postgres advisory
 * lock): the replica whose dedicated connection holds `pg_try_advisory_lock(SLA_LEADER_LOCK)` evaluates SLOs,
 * delivers notifications and applies retention; the others skip. The lock lives as long as that connection: a
 * leader that dies or loses its connection frees it, and another replica takes it at its next try. A follower holds
 * no connection between tries.
 */
@Injectable()
export class SlaLeader implements OnModuleDestroy {
  private connection: QueryRunner | undefined;
  private leading = false;
  private checking: Promise<boolean> | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(GOVERNANCE_LOGGER) private readonly logger: Logger,
  ) {}

  /** Whether this replica leads now, taking the lead when it is free; concurrent calls share one check. */
  isLeader(): Promise<boolean> {
    this.checking ??= this.check().finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  private async check(): Promise<boolean> {
    if (this.leading && this.connection) {
      try {
        await this.connection.query('SELECT 1');
        return true;
      } catch (error) {
        this.logger.warn({ err: error }, 'the SLA leader lost its lock connection: leading no more');
        await this.drop();
      }
    }
    const connection = this.dataSource.createQueryRunner();
    try {
      await connection.connect();
      const [{ locked }]: { locked: boolean }[] = await connection.query('SELECT pg_try_advisory_lock($1) AS locked', [SLA_LEADER_LOCK]);
      if (!locked) {
        await connection.release();
        return false;
      }
      this.connection = connection;
      this.leading = true;
      this.logger.info('this replica leads the SLA jobs (SLO evaluation, webhook delivery, retention)');
      return true;
    } catch (error) {
      await connection.release().catch(() => undefined);
      throw error;
    }
  }

  private async drop(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    this.leading = false;
    await connection?.release().catch(() => undefined);
  }

  /** Hands the lead over (unlock, connection back to the pool) when the application stops. */
  async onModuleDestroy(): Promise<void> {
    await this.checking?.catch(() => false);
    if (this.leading && this.connection) {
      await this.connection.query('SELECT pg_advisory_unlock($1)', [SLA_LEADER_LOCK]).catch(() => undefined);
    }
    await this.drop();
  }
}
