import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { DataSource, EntityManager, ObjectLiteral } from 'typeorm';
import {
  auditEventOfRow,
  createLogger,
  currentContext,
  newId,
  type AuditAction,
  type AuditEventColumns,
  type ConcordError,
  type Logger,
} from '@concord/common';
import { BACKGROUND_SQL } from './service-metrics';
import type { WriteHook, WriteIntent } from './write-point';

/**
 * The audit outbox of a subgraph (ARCHITECTURE.md §6): every write adds one row to `<schema>.outbox` in its own
 * transaction, and a relay ships undelivered rows to governance's ledger. A rolled-back write leaves no row; a
 * crash between delivery and marking re-sends, which the ledger absorbs by event id.
 */
export class OutboxWriteHook implements WriteHook {
  private readonly committedListeners: (() => void)[] = [];

  constructor(private readonly service: string) {}

  /** Calls listener after each committed unit of work (the relay: new rows to ship now). */
  onCommit(listener: () => void): void {
    this.committedListeners.push(listener);
  }

  afterCommit(): void {
    for (const listener of this.committedListeners) {
      listener();
    }
  }

  async afterWrite(intent: WriteIntent, manager: EntityManager): Promise<void> {
    await this.insert(manager, intent, intent.action, intent.onBehalfOf ? `on behalf of ${intent.onBehalfOf.toUpperCase()}` : null);
  }

  /** A refused write: what was attempted, and why it was refused (code and message). */
  async afterDenied(intent: WriteIntent, error: ConcordError, manager: EntityManager): Promise<void> {
    await this.insert(manager, intent, 'denied', `${error.code}: ${error.message}`);
  }

  private async insert(manager: EntityManager, intent: WriteIntent, action: AuditAction, reason: string | null): Promise<void> {
    const context = currentContext();
    await manager.query(
      `INSERT INTO ${this.service}.outbox
         (event_id, service, actor, action, entity, entity_id, "before", "after", changed_fields, reason, correlation_id, policy_version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        newId(),
        this.service,
        context?.actor ? JSON.stringify({ sub: context.actor.sub, roles: context.actor.roles }) : null,
        action,
        intent.entity,
        intent.id,
        serializeRow(manager, intent.target, intent.before),
        serializeRow(manager, intent.target, intent.after),
        intent.changedFields,
        reason,
        context?.correlationId ?? null,
        context?.policyVersion !== undefined ? String(context.policyVersion) : null,
      ],
    );
  }
}

const NUMERIC_TYPES = new Set(['numeric', 'decimal']);

/** The row's column values as JSON text: dates ISO, numerics as decimal strings, relations left out. */
function serializeRow(manager: EntityManager, entity: string, row: ObjectLiteral | null): string | null {
  if (!row) {
    return null;
  }
  const values: Record<string, unknown> = {};
  for (const column of manager.connection.getMetadata(entity).columns) {
    const value: unknown = column.getEntityValue(row);
    if (value === undefined) {
      continue;
    }
    values[column.propertyName] =
      value instanceof Date
        ? value.toISOString()
        : typeof value === 'number' && NUMERIC_TYPES.has(String(column.type))
          ? String(value)
          : value;
  }
  return JSON.stringify(values);
}

export interface OutboxRelayOptions {
  service: string;
  /** governance's `POST /audit/events`; the relay is off without it */
  ingestUrl?: string;
  /** GOVERNANCE_TOKEN, sent as a bearer token when governance requires it */
  governanceToken?: string;
  batchSize?: number;
  /** how long an idle relay waits before looking again */
  pollIntervalMs?: number;
  firstBackoffMs?: number;
  maxBackoffMs?: number;
  requestTimeoutMs?: number;
}

type OutboxRow = AuditEventColumns;

export interface OutboxBacklog {
  undelivered: number;
  oldestAgeSeconds: number;
}

/**
 * Ships undelivered outbox rows to governance, oldest first. Each batch is locked (`FOR UPDATE SKIP LOCKED`, so two
 * instances never send the same row at once), POSTed, and marked delivered in the same transaction once governance
 * answered 200. Failures keep the rows and retry with capped exponential backoff.
 *
 * A write of this process pokes it once committed (OutboxWriteHook.onCommit), so its event leaves at once: the
 * ledger starts workflows from it (a closed-won deal's project setup waited up to a poll for it). Otherwise it polls
 * (every 500 ms when idle), for rows of other instances and after failures, instead of LISTEN/NOTIFY: a LISTEN needs
 * a dedicated connection outside the pool that must be re-established after every database restart, while a poll is
 * one index-only look-up on the partial index of undelivered rows, and keeps delivery within a second of the commit.
 */
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger: Logger;
  private running: Promise<void> | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;
  /** a commit poked the relay since its last look */
  private poked = false;
  private wakeOnPoke: (() => void) | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: OutboxRelayOptions,
  ) {
    this.logger = createLogger(options.service);
  }

  onApplicationBootstrap(): void {
    if (!this.options.ingestUrl) {
      this.logger.info('AUDIT_INGEST_URL is not set: the audit outbox relay is off, outbox rows stay undelivered');
      return;
    }
    this.logger.info({ ingestUrl: this.options.ingestUrl }, 'audit outbox relay started');
    this.running = this.loop(this.options.ingestUrl);
  }

  /** Stops before the database pool closes (TypeORM closes it in its application-shutdown hook). */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
  }

  /** Looks for undelivered rows now (a write just committed one), or right after the batch under way. */
  poke(): void {
    this.poked = true;
    this.wakeOnPoke?.();
  }

  /** Undelivered rows and the age of the oldest, for /metrics. */
  async backlog(): Promise<OutboxBacklog> {
    const [row] = (await this.dataSource.query(
      `${BACKGROUND_SQL} SELECT count(*)::int AS undelivered, COALESCE(EXTRACT(EPOCH FROM now() - min(occurred_at)), 0)::float8 AS oldest
         FROM ${this.options.service}.outbox WHERE delivered_at IS NULL`,
    )) as { undelivered: number; oldest: number }[];
    return { undelivered: row?.undelivered ?? 0, oldestAgeSeconds: row?.oldest ?? 0 };
  }

  /** Delivers one batch; returns how many rows it delivered (0 when there was nothing to send). */
  async deliverBatch(ingestUrl: string): Promise<number> {
    const schema = this.options.service;
    return this.dataSource.transaction(async (manager) => {
      const rows = (await manager.query(
        `${BACKGROUND_SQL} SELECT event_id, occurred_at, service, actor, action, entity, entity_id, "before", "after", changed_fields, reason, correlation_id, policy_version
           FROM ${schema}.outbox WHERE delivered_at IS NULL
          ORDER BY occurred_at, event_id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.options.batchSize ?? 500],
      )) as OutboxRow[];
      if (rows.length === 0) {
        return 0;
      }
      const response = await fetch(ingestUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.options.governanceToken ? { authorization: `Bearer ${this.options.governanceToken}` } : {}),
        },
        body: JSON.stringify({ events: rows.map(auditEventOfRow) }),
        signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 10_000),
      });
      if (response.status !== 200) {
        throw new Error(`audit ingest answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
      }
      await response.body?.cancel();
      await manager.query(`${BACKGROUND_SQL} UPDATE ${schema}.outbox SET delivered_at = now() WHERE event_id = ANY($1::uuid[])`, [
        rows.map((row) => row.event_id),
      ]);
      return rows.length;
    });
  }

  private async loop(ingestUrl: string): Promise<void> {
    const batchSize = this.options.batchSize ?? 500;
    let failures = 0;
    while (!this.stopped) {
      let delay: number;
      // a poke from here on may be about a row this batch's look-up does not see: it is looked for again at once
      this.poked = false;
      try {
        const delivered = await this.deliverBatch(ingestUrl);
        if (failures > 0) {
          this.logger.info({ failures }, 'audit outbox relay recovered');
        }
        failures = 0;
        delay = delivered === batchSize || this.poked ? 0 : (this.options.pollIntervalMs ?? 500);
      } catch (error) {
        failures++;
        delay = Math.min(this.options.maxBackoffMs ?? 30_000, (this.options.firstBackoffMs ?? 250) * 2 ** (failures - 1));
        this.logger.warn(
          { err: error instanceof Error ? error.message : String(error), failures, retryInMs: delay },
          'audit outbox delivery failed',
        );
      }
      // stopped while a batch was under way: its wake-up came before this sleep
      if (delay > 0 && !this.stopped) {
        await this.sleep(delay, failures === 0);
      }
    }
  }

  /** Waits ms, or until stopped, or (unless backing off after a failure) until poked. */
  private sleep(ms: number, pokeable: boolean): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
      this.wakeOnPoke = pokeable ? done : undefined;
    });
  }
}
