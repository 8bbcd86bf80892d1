import { Injectable } from '@nestjs/common';
import { SubgraphStatus, type SubgraphEntity } from '../subgraph/subgraph.entity';
import { SubgraphService } from '../subgraph/subgraph.service';
import type { HealthReport, SubgraphHealth } from './dtos/health.output';

@Injectable()
export class HealthService {
  constructor(private readonly subgraphs: SubgraphService) {}

  /** Reads the last probe results (the cron probes), so /health stays cheap; the read doubles as the database check. */
  async report(): Promise<HealthReport> {
    let rows: SubgraphEntity[];
    try {
      rows = await this.subgraphs.list();
    } catch {
      return { status: 'down', service: 'governance', database: 'down', subgraphs: [] };
    }
    const allUp = rows.every((row) => row.status === SubgraphStatus.UP);
    return { status: allUp ? 'ok' : 'degraded', service: 'governance', database: 'up', subgraphs: rows.map(toSubgraphHealth) };
  }
}

function toSubgraphHealth(row: SubgraphEntity): SubgraphHealth {
  return {
    name: row.name,
    routingUrl: row.routingUrl,
    status: row.status,
    lastCheckedAt: row.lastCheckedAt?.toISOString() ?? null,
    lastOkAt: row.lastOkAt?.toISOString() ?? null,
    lastLatencyMs: row.lastLatencyMs,
    lastError: row.lastError,
  };
}
