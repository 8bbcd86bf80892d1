import { Inject, Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { DataSource } from 'typeorm';
import { assertMonthRange, groupByKeys, money } from '@concord/common';
import { CLOCK, type Clock } from '@concord/graphql';
import { PORTFOLIO_SCOPE_ID, RevenueForecastScope, type RevenueForecast, type RevenueForecastPart } from './dtos/revenue-forecast.output';

interface PartRow {
  scope_id: string;
  period: string;
  currency: string;
  amount: string;
}

/** The project column a scope filters on (PORTFOLIO: every project). */
const SCOPE_COLUMN: Record<RevenueForecastScope, string> = {
  [RevenueForecastScope.PORTFOLIO]: `'${PORTFOLIO_SCOPE_ID}'`,
  [RevenueForecastScope.PROJECT]: 'project.id::text',
  [RevenueForecastScope.CLIENT]: 'project.client_id::text',
  [RevenueForecastScope.LEGAL_ENTITY]: 'project.legal_entity_id::text',
};

/**
 * The T&M part of the revenue forecast (DOMAIN.md §3, Ruddr): for each SOFT or HARD assignment of a live project,
 * the remaining hours (scheduled − hours already logged APPROVED or INVOICED on it) spread evenly over the days
 * left (from today, or its start when later, to its end), × its bill rate, summed per month and currency in SQL.
 * Read at request time, so an approved timesheet or a changed assignment shows in the next read.
 */
@Injectable()
export class RevenueForecastService {
  private readonly timeAndMaterialsLoader = new DataLoader<RevenueForecast, RevenueForecastPart[], string>(
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
        const rows = await this.timeAndMaterialsRows(scope, from, to, scopeIds);
        groupByKeys(scopeIds, rows, (row) => row.scope_id).forEach((found, index) => parts.set(group[index], found.map(toPart)));
      }
      return forecasts.map((forecast) => parts.get(forecast) ?? []);
    },
    { cache: false, cacheKeyFn: (forecast) => JSON.stringify([forecast.scope, forecast.scopeId, forecast.from, forecast.to]) },
  );

  private readonly contractLoader = new DataLoader<string, string | null>(
    async (projectIds) => {
      const rows: { id: string; contract_id: string | null }[] = await this.dataSource.query(
        `SELECT id::text, contract_id::text FROM psa.project WHERE id::text = ANY($1::text[])`,
        [projectIds],
      );
      const byId = new Map(rows.map((row) => [row.id, row.contract_id]));
      return projectIds.map((id) => byId.get(id) ?? null);
    },
    { cache: false },
  );

  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The forecast of one scope; the range is checked here, where every read of a forecast starts. */
  forecastOf(scope: RevenueForecastScope, scopeId: string, { from, to }: { from: string; to: string }): RevenueForecast {
    assertMonthRange(from, to);
    return { scope, scopeId, from, to };
  }

  timeAndMaterials(forecast: RevenueForecast): Promise<RevenueForecastPart[]> {
    assertMonthRange(forecast.from, forecast.to);
    return this.timeAndMaterialsLoader.load(forecast);
  }

  /** The contract of a PROJECT forecast's project (ERP adds that contract's billing schedule); null for other scopes. */
  async projectContractId(forecast: RevenueForecast): Promise<string | null> {
    return forecast.scope === RevenueForecastScope.PROJECT ? this.contractLoader.load(forecast.scopeId) : null;
  }

  private timeAndMaterialsRows(scope: RevenueForecastScope, from: string, to: string, scopeIds: string[]): Promise<PartRow[]> {
    const scopeColumn = SCOPE_COLUMN[scope];
    return this.dataSource.query(
      `WITH remaining AS (
         SELECT ${scopeColumn} AS scope_id, assignment.currency, assignment.bill_rate,
                GREATEST(assignment.scheduled_hours - COALESCE(logged.hours, 0), 0) AS hours,
                GREATEST(assignment.start_date, $3::date) AS first_day, assignment.end_date AS last_day
           FROM psa.assignment assignment
           JOIN psa.project project ON project.id = assignment.project_id
           LEFT JOIN LATERAL (
             SELECT SUM(time_entry.hours) AS hours FROM psa.time_entry time_entry
              WHERE time_entry.assignment_id = assignment.id AND time_entry.status IN ('APPROVED', 'INVOICED')
           ) logged ON true
          WHERE assignment.status IN ('SOFT', 'HARD') AND assignment.end_date >= $3::date
            AND project.status NOT IN ('COMPLETED', 'CLOSED', 'CANCELLED')
            AND ($4::text[] IS NULL OR ${scopeColumn} = ANY($4::text[]))
       ), months AS (
         SELECT month::date AS first_day, (month + interval '1 month - 1 day')::date AS last_day
           FROM generate_series($1::date, $2::date, interval '1 month') AS month
       )
       SELECT remaining.scope_id, to_char(months.first_day, 'YYYY-MM') AS period, remaining.currency,
              SUM(remaining.hours * remaining.bill_rate
                  * (LEAST(remaining.last_day, months.last_day) - GREATEST(remaining.first_day, months.first_day) + 1)
                  / (remaining.last_day - remaining.first_day + 1))::text AS amount
         FROM remaining
         JOIN months ON months.first_day <= remaining.last_day AND months.last_day >= remaining.first_day
        WHERE remaining.hours > 0
        GROUP BY 1, 2, 3
        ORDER BY 2, 3`,
      [`${from}-01`, `${to}-01`, this.clock.today(), scope === RevenueForecastScope.PORTFOLIO ? null : scopeIds],
    );
  }
}

function toPart(row: PartRow): RevenueForecastPart {
  return { period: row.period, currency: row.currency, amount: money(row.amount, row.currency) };
}
