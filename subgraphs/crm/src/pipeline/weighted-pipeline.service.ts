import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { DataSource } from 'typeorm';
import { BadInputError, groupByKeys, money } from '@concord/common';
import { OPEN_STAGES } from '../opportunity/opportunity.states';
import type { WeightedPipelineArgs, WeightedPipelineRow } from './weighted-pipeline.output';

interface PipelineRow {
  scope_id: string;
  period: string;
  currency: string;
  opportunities: number;
  amount: string;
  weighted: string;
}

/**
 * Weighted pipeline (DOMAIN.md §3, proposal): Σ amount × probability / 100 of the open opportunities (PROSPECTING
 * to NEGOTIATION), per close-date month and currency, never adding currencies. Exact numeric sums in SQL; rounded
 * to cents once, at the end.
 */
@Injectable()
export class WeightedPipelineService {
  private readonly byClient = new DataLoader<string, WeightedPipelineRow[]>(
    async (keys) => {
      const groups = new Map<string, string[]>();
      for (const key of keys) {
        const [from, to, clientId] = JSON.parse(key) as [string, string, string];
        groups.set(JSON.stringify([from, to]), [...(groups.get(JSON.stringify([from, to])) ?? []), clientId]);
      }
      const rows = new Map<string, WeightedPipelineRow[]>();
      for (const [period, clientIds] of groups) {
        const [from, to] = JSON.parse(period) as [string, string];
        const found = await this.query('opportunity.client_id::text', 'opportunity.client_id::text = ANY($3::text[])', [
          from,
          to,
          clientIds,
        ]);
        groupByKeys(clientIds, found, (row) => row.scope_id).forEach((group, index) =>
          rows.set(JSON.stringify([from, to, clientIds[index]]), group.map(toRow)),
        );
      }
      return keys.map((key) => rows.get(key) ?? []);
    },
    { cache: false },
  );

  constructor(private readonly dataSource: DataSource) {}

  async portfolio({ from, to, ownerId }: WeightedPipelineArgs): Promise<WeightedPipelineRow[]> {
    assertPeriod(from, to);
    const rows = await this.query(`'*'`, '($3::text IS NULL OR opportunity.owner_id = $3::text)', [from, to, ownerId ?? null]);
    return rows.map(toRow);
  }

  ofClient(clientId: string, from: string, to: string): Promise<WeightedPipelineRow[]> {
    assertPeriod(from, to);
    return this.byClient.load(JSON.stringify([from, to, clientId]));
  }

  private query(scope: string, filter: string, parameters: unknown[]): Promise<PipelineRow[]> {
    return this.dataSource.query(
      `SELECT ${scope} AS scope_id, to_char(opportunity.close_date, 'YYYY-MM') AS period, opportunity.currency,
              count(*)::int AS opportunities, SUM(opportunity.amount)::text AS amount,
              (SUM(opportunity.amount * opportunity.probability) / 100)::text AS weighted
         FROM crm.opportunity opportunity
        WHERE opportunity.close_date BETWEEN $1::date AND $2::date AND opportunity.stage = ANY($4::text[]) AND ${filter}
        GROUP BY 1, 2, 3 ORDER BY 2, 3`,
      [...parameters, OPEN_STAGES],
    );
  }
}

function toRow(row: PipelineRow): WeightedPipelineRow {
  return {
    period: row.period,
    currency: row.currency,
    opportunities: row.opportunities,
    amount: money(row.amount, row.currency),
    weightedAmount: money(row.weighted, row.currency),
  };
}

function assertPeriod(from: string, to: string): void {
  if (from > to) {
    throw new BadInputError('from must be on or before to', { field: 'from', from, to });
  }
}
