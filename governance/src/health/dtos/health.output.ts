import type { SubgraphStatus } from '../../subgraph/subgraph.entity';

export interface SubgraphHealth {
  name: string;
  routingUrl: string;
  status: SubgraphStatus;
  lastCheckedAt: string | null;
  lastOkAt: string | null;
  lastLatencyMs: number | null;
  lastError: string | null;
}

/** GET /health: `down` (503) when governance cannot reach its database, `degraded` when a subgraph is not UP. */
export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  service: 'governance';
  database: 'up' | 'down';
  subgraphs: SubgraphHealth[];
}
