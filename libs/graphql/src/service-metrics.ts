import { Controller, Get, Inject, Res } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { Logger as TypeOrmLogger, QueryRunner } from 'typeorm';

/**
 * Marks a statement as the service's own background work (audit relay, metrics), so
 * `concord_db_statements_total{origin="request"}` counts only what serving requests cost.
 */
export const BACKGROUND_SQL = '/* background */';

/**
 * Prometheus metrics of one service (`GET /metrics`): process metrics and the number of SQL statements it sent,
 * which shows an N+1 regression in production and lets the end-to-end tests count statements per request.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly statements: Counter;

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.statements = new Counter({
      name: 'concord_db_statements_total',
      help: 'SQL statements sent to PostgreSQL (transaction control excluded), by origin: request or background',
      labelNames: ['origin'],
      registers: [this.registry],
    });
  }

  /** Exposes a subgraph's audit outbox backlog, read at each scrape. */
  observeOutbox(read: () => Promise<{ undelivered: number; oldestAgeSeconds: number }>): void {
    // each gauge reads the backlog on its own: the registry collects metrics concurrently, in no set order
    new Gauge({
      name: 'concord_outbox_undelivered',
      help: 'audit outbox rows not yet delivered to governance',
      registers: [this.registry],
      async collect() {
        const backlog = await read();
        this.set(backlog.undelivered);
      },
    });
    new Gauge({
      name: 'concord_outbox_oldest_age_seconds',
      help: 'age of the oldest undelivered audit outbox row (0 when none)',
      registers: [this.registry],
      async collect() {
        const backlog = await read();
        this.set(backlog.oldestAgeSeconds);
      },
    });
  }
}

export const SERVICE_METRICS = Symbol('SERVICE_METRICS');

const TRANSACTION_CONTROL = /^(START TRANSACTION|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT)/i;

/** TypeORM logger that counts statements into ServiceMetrics and hands them on to an optional logger. */
export class StatementCountingLogger implements TypeOrmLogger {
  constructor(
    private readonly metrics: ServiceMetrics,
    private readonly next?: TypeOrmLogger,
  ) {}

  logQuery(query: string, parameters?: unknown[], queryRunner?: QueryRunner): void {
    if (!TRANSACTION_CONTROL.test(query)) {
      this.metrics.statements.inc({ origin: query.startsWith(BACKGROUND_SQL) ? 'background' : 'request' });
    }
    this.next?.logQuery(query, parameters, queryRunner);
  }

  logQueryError(error: string | Error, query: string, parameters?: unknown[], queryRunner?: QueryRunner): void {
    this.next?.logQueryError(error, query, parameters, queryRunner);
  }

  logQuerySlow(time: number, query: string, parameters?: unknown[], queryRunner?: QueryRunner): void {
    this.next?.logQuerySlow(time, query, parameters, queryRunner);
  }

  logSchemaBuild(message: string, queryRunner?: QueryRunner): void {
    this.next?.logSchemaBuild(message, queryRunner);
  }

  logMigration(message: string, queryRunner?: QueryRunner): void {
    this.next?.logMigration(message, queryRunner);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown, queryRunner?: QueryRunner): void {
    this.next?.log(level, message, queryRunner);
  }
}

interface MetricsResponse {
  setHeader(name: string, value: string): void;
  send(body: string): void;
}

@Controller('metrics')
export class MetricsController {
  constructor(@Inject(SERVICE_METRICS) private readonly metrics: ServiceMetrics) {}

  @Get()
  async metricsText(@Res() res: MetricsResponse): Promise<void> {
    res.setHeader('content-type', this.metrics.registry.contentType);
    res.send(await this.metrics.registry.metrics());
  }
}
