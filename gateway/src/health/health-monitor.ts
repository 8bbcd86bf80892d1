import type { HealthCheck } from '../pipeline/pipeline.types';
import type { LoadedSupergraph, SupergraphSourceKind } from '../supergraph/supergraph';
import type { SubgraphDataSource } from '../subgraph/subgraph-data-source';

export type GatewayStatus = 'ok' | 'starting' | 'degraded';

export interface SubgraphHealth {
  name: string;
  url: string;
  status: 'up' | 'down';
  latencyMs: number;
  error?: string;
}

export interface HealthReport {
  status: GatewayStatus;
  supergraph: { loaded: boolean; source: SupergraphSourceKind | null; hash: string | null };
  subgraphs: SubgraphHealth[];
  checks?: Record<string, { ready: boolean; degraded: boolean; details?: Record<string, unknown> }>;
}

export interface HealthMonitorOptions {
  /** how long a probe result is reused (a few seconds: /health must stay cheap under frequent polling) */
  cacheMs: number;
  probeTimeoutMs: number;
  checks: readonly HealthCheck[];
}

/**
 * /health: ready (200) once a supergraph is loaded and every extra check is ready; `degraded` when a subgraph
 * is down or a check says so; 503 `starting` before. Subgraph probes are cached and shared between callers.
 */
export class HealthMonitor {
  private supergraph: LoadedSupergraph | undefined;
  private dataSources: readonly SubgraphDataSource[] = [];
  private cached: { at: number; subgraphs: SubgraphHealth[] } | undefined;
  private probing: Promise<SubgraphHealth[]> | undefined;

  constructor(private readonly options: HealthMonitorOptions) {}

  supergraphLoaded(supergraph: LoadedSupergraph, dataSources: readonly SubgraphDataSource[]): void {
    this.supergraph = supergraph;
    this.dataSources = dataSources;
    this.cached = undefined;
  }

  async report(): Promise<{ httpStatus: number; body: HealthReport }> {
    const supergraph = this.supergraph;
    const subgraphs = supergraph ? await this.subgraphHealth() : [];
    const checks: NonNullable<HealthReport['checks']> = {};
    let ready = Boolean(supergraph);
    let degraded = subgraphs.some((subgraph) => subgraph.status === 'down');
    for (const check of this.options.checks) {
      let result;
      try {
        result = await check.check();
      } catch (error) {
        result = { ready: false, details: { error: error instanceof Error ? error.message : String(error) } };
      }
      checks[check.name] = {
        ready: result.ready,
        degraded: Boolean(result.degraded),
        ...(result.details ? { details: result.details } : {}),
      };
      ready &&= result.ready;
      degraded ||= Boolean(result.degraded);
    }
    const status: GatewayStatus = !ready ? 'starting' : degraded ? 'degraded' : 'ok';
    const body: HealthReport = {
      status,
      supergraph: { loaded: Boolean(supergraph), source: supergraph?.source ?? null, hash: supergraph?.hash ?? null },
      subgraphs,
      ...(this.options.checks.length ? { checks } : {}),
    };
    return { httpStatus: ready ? 200 : 503, body };
  }

  private async subgraphHealth(): Promise<SubgraphHealth[]> {
    if (this.cached && Date.now() - this.cached.at < this.options.cacheMs) {
      return this.cached.subgraphs;
    }
    this.probing ??= Promise.all(
      this.dataSources.map(async (dataSource): Promise<SubgraphHealth> => {
        const probe = await dataSource.probe(this.options.probeTimeoutMs);
        return {
          name: dataSource.name,
          url: dataSource.url,
          status: probe.up ? 'up' : 'down',
          latencyMs: probe.latencyMs,
          ...(probe.error ? { error: probe.error } : {}),
        };
      }),
    ).finally(() => {
      this.probing = undefined;
    });
    const subgraphs = await this.probing;
    this.cached = { at: Date.now(), subgraphs };
    return subgraphs;
  }
}
