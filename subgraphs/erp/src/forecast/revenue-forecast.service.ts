import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { DataSource } from 'typeorm';
import { assertMonthRange, decimal, groupByKeys, money, type DecimalValue } from '@concord/common';
import {
  PORTFOLIO_SCOPE_ID,
  RevenueForecastScope,
  type RevenueForecast,
  type RevenueForecastMonth,
  type RevenueForecastPart,
} from './dtos/revenue-forecast.output';

interface PartRow {
  scope_id: string;
  period: string;
  currency: string;
  amount: string;
}

/** The contract column a scope filters on; a PROJECT forecast filters on the project's contract (PSA says which). */
const SCOPE_COLUMN: Record<RevenueForecastScope, string> = {
  [RevenueForecastScope.PORTFOLIO]: `'${PORTFOLIO_SCOPE_ID}'`,
  [RevenueForecastScope.PROJECT]: 'contract.id::text',
  [RevenueForecastScope.CLIENT]: 'contract.client_id::text',
  [RevenueForecastScope.LEGAL_ENTITY]: 'contract.legal_entity_id::text',
};

/** The id the ERP filters a forecast on: the project's contract for a PROJECT forecast, else the scope id. */
function filterIdOf(forecast: RevenueForecast): string | null {
  return forecast.scope === RevenueForecastScope.PROJECT ? (forecast.projectContractId ?? null) : forecast.scopeId;
}

/**
 * The fixed-fee and milestone part of the revenue forecast (DOMAIN.md §3, "future billing-schedule items, as
 * invoiced"): PLANNED and READY billing-schedule lines of contracts that are not cancelled or terminated, by planned
 * month and currency, summed in SQL. The monthly totals add PSA's T&M part and CRM's weighted pipeline, which the
 * gateway fetches first (@requires); currencies are never added together.
 */
@Injectable()
export class RevenueForecastService {
  private readonly fixedFeeLoader = new DataLoader<RevenueForecast, RevenueForecastPart[], string>(
    async (forecasts) => {
      const groups = new Map<string, RevenueForecast[]>();
      for (const forecast of forecasts) {
        const group = JSON.stringify([forecast.scope, forecast.from, forecast.to]);
        groups.set(group, [...(groups.get(group) ?? []), forecast]);
      }
      const parts = new Map<RevenueForecast, RevenueForecastPart[]>();
      for (const group of groups.values()) {
        const { scope, from, to } = group[0];
        const filterIds = group.map(filterIdOf);
        const wanted = filterIds.filter((id): id is string => id !== null);
        const rows = wanted.length === 0 ? [] : await this.fixedFeeRows(scope, from, to, wanted);
        groupByKeys(filterIds, rows, (row) => row.scope_id).forEach((found, index) => parts.set(group[index], found.map(toPart)));
      }
      return forecasts.map((forecast) => parts.get(forecast) ?? []);
    },
    {
      cache: false,
      cacheKeyFn: (forecast) =>
        JSON.stringify([forecast.scope, forecast.scopeId, forecast.from, forecast.to, forecast.projectContractId ?? null]),
    },
  );

  constructor(private readonly dataSource: DataSource) {}

  forecastOf(scope: RevenueForecastScope, scopeId: string, { from, to }: { from: string; to: string }): RevenueForecast {
    assertMonthRange(from, to);
    return { scope, scopeId, from, to };
  }

  fixedFee(forecast: RevenueForecast): Promise<RevenueForecastPart[]> {
    assertMonthRange(forecast.from, forecast.to);
    return this.fixedFeeLoader.load(forecast);
  }

  /**
   * Per month and currency, PSA's T&M part, ERP's fixed-fee part and their total; months and currencies with nothing
   * are left out. CRM's weighted pipeline is the forecast's `weightedPipeline` beside them, not in the total: ERP
   * requiring a CRM field would make ERP and CRM (whose client health requires ERP fields) need each other, and neither
   * could then be published to the schema registry first.
   */
  async months(forecast: RevenueForecast): Promise<RevenueForecastMonth[]> {
    const fixedFee = await this.fixedFee(forecast);
    const months = new Map<string, { period: string; currency: string; parts: [DecimalValue, DecimalValue] }>();
    const add = (parts: RevenueForecastPart[] | null | undefined, index: 0 | 1) => {
      for (const part of parts ?? []) {
        const key = `${part.period} ${part.currency}`;
        const month = months.get(key) ?? { period: part.period, currency: part.currency, parts: [decimal(0), decimal(0)] };
        month.parts[index] = month.parts[index].plus(part.amount.amount);
        months.set(key, month);
      }
    };
    add(forecast.timeAndMaterials, 0);
    add(fixedFee, 1);
    return [...months.values()]
      .sort((left, right) =>
        left.period === right.period ? left.currency.localeCompare(right.currency) : left.period.localeCompare(right.period),
      )
      .map(({ period, currency, parts: [timeAndMaterials, fixed] }) => ({
        period,
        currency,
        timeAndMaterials: money(timeAndMaterials, currency),
        fixedFee: money(fixed, currency),
        total: money(timeAndMaterials.plus(fixed), currency),
      }));
  }

  private fixedFeeRows(scope: RevenueForecastScope, from: string, to: string, filterIds: string[]): Promise<PartRow[]> {
    const scopeColumn = SCOPE_COLUMN[scope];
    return this.dataSource.query(
      `SELECT ${scopeColumn} AS scope_id, to_char(line.planned_date, 'YYYY-MM') AS period, line.currency, SUM(line.amount)::text AS amount
         FROM erp.billing_schedule_line line
         JOIN erp.contract contract ON contract.id = line.contract_id
        WHERE line.status IN ('PLANNED', 'READY') AND line.amount IS NOT NULL
          AND contract.status NOT IN ('CANCELLED', 'TERMINATED')
          AND line.planned_date >= $1::date AND line.planned_date < ($2::date + interval '1 month')
          AND ($3::text[] IS NULL OR ${scopeColumn} = ANY($3::text[]))
        GROUP BY 1, 2, 3
        ORDER BY 2, 3`,
      [`${from}-01`, `${to}-01`, scope === RevenueForecastScope.PORTFOLIO ? null : filterIds],
    );
  }
}

function toPart(row: PartRow): RevenueForecastPart {
  return { period: row.period, currency: row.currency, amount: money(row.amount, row.currency) };
}
