import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { DataSource } from 'typeorm';
import { assertMonthRange, groupByKeys, money } from '@concord/common';
import { OPEN_STAGES } from '../opportunity/opportunity.states';
import { PORTFOLIO_SCOPE_ID, RevenueForecastScope, type RevenueForecast, type RevenueForecastPart } from './dtos/revenue-forecast.output';

interface PartRow {
  scope_id: string;
  period: string;
  currency: string;
  amount: string;
}

/**
 * The weighted-pipeline part of the revenue forecast: Σ amount × probability / 100 of the open opportunities, by
 * close month and currency (as `weightedPipeline`). Only a client and the portfolio have one: an opportunity
 * belongs to no project or legal entity until it is won, and then it has left the pipeline.
 */
@Injectable()
export class RevenueForecastService {
  private readonly pipelineLoader = new DataLoader<RevenueForecast, RevenueForecastPart[], string>(
    async (forecasts) => {
      const groups = new Map<string, RevenueForecast[]>();
      for (const forecast of forecasts) {
        const group = JSON.stringify([forecast.scope, forecast.from, forecast.to]);
        groups.set(group, [...(groups.get(group) ?? []), forecast]);
      }
      const parts = new Map<RevenueForecast, RevenueForecastPart[]>();
      for (const group of groups.values()) {
        const { scope, from, to } = group[0];
        const scopeIds = group.map((forecast) => forecast.scopeId);
        const rows = await this.pipelineRows(scope, from, to, scopeIds);
        groupByKeys(scopeIds, rows, (row) => row.scope_id).forEach((found, index) => parts.set(group[index], found.map(toPart)));
      }
      return forecasts.map((forecast) => parts.get(forecast) ?? []);
    },
    { cache: false, cacheKeyFn: (forecast) => JSON.stringify([forecast.scope, forecast.scopeId, forecast.from, forecast.to]) },
  );

  constructor(private readonly dataSource: DataSource) {}

  forecastOf(scope: RevenueForecastScope, scopeId: string, { from, to }: { from: string; to: string }): RevenueForecast {
    assertMonthRange(from, to);
    return { scope, scopeId, from, to };
  }

  async weightedPipeline(forecast: RevenueForecast): Promise<RevenueForecastPart[]> {
    assertMonthRange(forecast.from, forecast.to);
    if (forecast.scope !== RevenueForecastScope.CLIENT && forecast.scope !== RevenueForecastScope.PORTFOLIO) {
      return [];
    }
    return this.pipelineLoader.load(forecast);
  }

  private pipelineRows(scope: RevenueForecastScope, from: string, to: string, scopeIds: string[]): Promise<PartRow[]> {
    const portfolio = scope === RevenueForecastScope.PORTFOLIO;
    return this.dataSource.query(
      `SELECT ${portfolio ? `'${PORTFOLIO_SCOPE_ID}'` : 'opportunity.client_id::text'} AS scope_id, to_char(opportunity.close_date, 'YYYY-MM') AS period,
              opportunity.currency, (SUM(opportunity.amount * opportunity.probability) / 100)::text AS amount
         FROM crm.opportunity opportunity
        WHERE opportunity.close_date >= $1::date AND opportunity.close_date < ($2::date + interval '1 month')
          AND opportunity.stage = ANY($3::text[])
          AND ($4::text[] IS NULL OR opportunity.client_id::text = ANY($4::text[]))
        GROUP BY 1, 2, 3
        ORDER BY 2, 3`,
      [`${from}-01`, `${to}-01`, OPEN_STAGES, portfolio ? null : scopeIds],
    );
  }
}

function toPart(row: PartRow): RevenueForecastPart {
  return { period: row.period, currency: row.currency, amount: money(row.amount, row.currency) };
}
