import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { Logger } from '@concord/common';
import { GOVERNANCE_LOGGER } from '../common/governance-core.module';
import { SubgraphEntity, SubgraphStatus } from './subgraph.entity';

export interface SubgraphTarget {
  name: string;
  /** the subgraph's GraphQL URL (e.g. http://127.0.0.1:4001/graphql); /health is probed on its origin */
  routingUrl: string;
}

export interface SubgraphProbeOptions {
  targets: SubgraphTarget[];
  jobs: boolean;
  probeTimeoutMs: number;
}

export const SUBGRAPH_PROBE_OPTIONS = Symbol('SUBGRAPH_PROBE_OPTIONS');

export interface ProbeResult {
  name: string;
  routingUrl: string;
  status: SubgraphStatus.UP | SubgraphStatus.DOWN;
  checkedAt: Date;
  latencyMs: number | null;
  error: string | null;
}

@Injectable()
export class SubgraphService implements OnApplicationBootstrap {
  constructor(
    @InjectRepository(SubgraphEntity) private readonly subgraphs: Repository<SubgraphEntity>,
    @Inject(SUBGRAPH_PROBE_OPTIONS) private readonly options: SubgraphProbeOptions,
    @Inject(GOVERNANCE_LOGGER) private readonly logger: Logger,
  ) {}

  /** The configured subgraphs are known (UNKNOWN) from the first second, before any probe ran. */
  async onApplicationBootstrap(): Promise<void> {
    await this.register(this.options.targets);
  }

  list(): Promise<SubgraphEntity[]> {
    return this.subgraphs.find({ order: { name: 'ASC' } });
  }

  async register(targets: SubgraphTarget[]): Promise<void> {
    if (targets.length === 0) {
      return;
    }
    await this.subgraphs.query(
      `INSERT INTO governance.subgraph (name, routing_url)
       SELECT * FROM unnest($1::text[], $2::text[])
       ON CONFLICT (name) DO UPDATE SET routing_url = EXCLUDED.routing_url, updated_at = now()
       WHERE subgraph.routing_url IS DISTINCT FROM EXCLUDED.routing_url`,
      [targets.map((target) => target.name), targets.map((target) => target.routingUrl)],
    );
  }

  /** Probes every configured subgraph in parallel and records the results in one statement. */
  async probeAll(): Promise<ProbeResult[]> {
    const targets = this.options.targets;
    if (targets.length === 0) {
      return [];
    }
    const [previous, results] = await Promise.all([this.list(), Promise.all(targets.map((target) => this.probe(target)))]);
    await this.subgraphs.query(
      `INSERT INTO governance.subgraph (name, routing_url, status, last_checked_at, last_ok_at, last_latency_ms, last_error)
       SELECT name, routing_url, status, checked_at, CASE WHEN status = 'UP' THEN checked_at END, latency_ms, error
       FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::integer[], $6::text[])
         AS probe (name, routing_url, status, checked_at, latency_ms, error)
       ON CONFLICT (name) DO UPDATE SET
         routing_url = EXCLUDED.routing_url,
         status = EXCLUDED.status,
         last_checked_at = EXCLUDED.last_checked_at,
         last_ok_at = COALESCE(EXCLUDED.last_ok_at, subgraph.last_ok_at),
         last_latency_ms = EXCLUDED.last_latency_ms,
         last_error = EXCLUDED.last_error,
         updated_at = now()`,
      [
        results.map((result) => result.name),
        results.map((result) => result.routingUrl),
        results.map((result) => result.status),
        results.map((result) => result.checkedAt.toISOString()),
        results.map((result) => result.latencyMs),
        results.map((result) => result.error),
      ],
    );
    this.logChanges(previous, results);
    return results;
  }

  private async probe(target: SubgraphTarget): Promise<ProbeResult> {
    const checkedAt = new Date();
    const started = performance.now();
    const result = (status: ProbeResult['status'], latencyMs: number | null, error: string | null): ProbeResult => ({
      name: target.name,
      routingUrl: target.routingUrl,
      status,
      checkedAt,
      latencyMs,
      error,
    });
    try {
      const response = await fetch(healthUrlOf(target.routingUrl), { signal: AbortSignal.timeout(this.options.probeTimeoutMs) });
      await response.arrayBuffer(); // drain, so the connection is released
      const latencyMs = Math.round(performance.now() - started);
      return response.status === 200
        ? result(SubgraphStatus.UP, latencyMs, null)
        : result(SubgraphStatus.DOWN, latencyMs, `HTTP ${response.status}`);
    } catch (error) {
      return result(SubgraphStatus.DOWN, null, this.describeFailure(error));
    }
  }

  private describeFailure(error: unknown): string {
    // DOMException: not always `instanceof Error` (other realms), so compare by name
    const name = (error as { name?: string } | null)?.name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return `no answer within ${this.options.probeTimeoutMs} ms`;
    }
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  }

  private logChanges(previous: SubgraphEntity[], results: ProbeResult[]): void {
    const before = new Map(previous.map((row) => [row.name, row.status]));
    for (const result of results) {
      if (before.get(result.name) === result.status) {
        continue;
      }
      const line = {
        subgraph: result.name,
        from: before.get(result.name) ?? SubgraphStatus.UNKNOWN,
        to: result.status,
        error: result.error,
      };
      if (result.status === SubgraphStatus.UP) {
        this.logger.info(line, `subgraph ${result.name} is up`);
      } else {
        this.logger.warn(line, `subgraph ${result.name} is down`);
      }
    }
  }
}

/** `/health` on the routing URL's origin: http://host:4001/graphql → http://host:4001/health. */
export function healthUrlOf(routingUrl: string): string {
  return new URL('/health', routingUrl).toString();
}
