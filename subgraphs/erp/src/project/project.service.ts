import { Inject, Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { DataSource } from 'typeorm';
import { BadInputError, decimal, money, type DecimalValue, type MoneyValue } from '@concord/common';
import { CLOCK, type Clock } from '@concord/graphql';
import { fxRateOf, loadFxRates } from '../common/fx';
import type { ProjectExtension } from './project.type';

/** What the ERP knows about one project's money, per currency. */
interface ProjectFinancials {
  revenue: Map<string, string>;
  billed: Map<string, string>;
  /** currency of the project's latest contract (through its revenue entries or invoices), if any */
  contractCurrency: string | null;
}

interface FinancialRow {
  kind: 'REVENUE' | 'BILLED' | 'CONTRACT';
  projectId: string;
  currency: string;
  amount: string | null;
}

export interface ProjectMargin {
  revenue: DecimalValue;
  margin: DecimalValue;
  currency: string;
}

/**
 * Revenue, billing and margin of PSA projects: one statement answers revenueRecognized, billedToDate and margin
 * for every project of a request; amounts in another currency than the project's are converted with FxRate
 * (one more statement, only when that happens).
 */
@Injectable()
export class ProjectService {
  private readonly financials = new DataLoader<string, ProjectFinancials>((projectIds) => this.loadFinancials(projectIds), {
    cache: false,
  });

  private readonly fxRates = new DataLoader<string, string | null>(
    async (pairs) => {
      const wanted = pairs.map((pair) => ({ from: pair.slice(0, 3), to: pair.slice(3) }));
      const rates = await loadFxRates(this.dataSource.manager, wanted, this.clock.today());
      return wanted.map(({ from, to }) => fxRateOf(rates, from, to));
    },
    { cache: false },
  );

  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Sum of the project's recognised revenue in its currency; null when the ERP knows no currency for it. */
  async revenueRecognized(project: ProjectExtension): Promise<MoneyValue | null> {
    const financials = await this.financials.load(project.id);
    const currency = projectCurrency(financials, null);
    return currency ? money(await this.sumIn(financials.revenue, currency), currency) : null;
  }

  /** Sum of the totals of the project's POSTED invoices in its currency. */
  async billedToDate(project: ProjectExtension): Promise<MoneyValue | null> {
    const financials = await this.financials.load(project.id);
    const currency = projectCurrency(financials, null);
    return currency ? money(await this.sumIn(financials.billed, currency), currency) : null;
  }

  /** revenueRecognized − costToDate (converted to the project currency); null without costToDate. */
  async margin(project: ProjectExtension): Promise<MoneyValue | null> {
    const result = await this.marginOf(project);
    return result ? money(result.margin, result.currency) : null;
  }

  /** margin / revenueRecognized × 100 with 2 decimals; null without costToDate or when revenue is 0. */
  async marginPct(project: ProjectExtension): Promise<string | null> {
    const result = await this.marginOf(project);
    if (!result || result.revenue.isZero()) {
      return null;
    }
    return result.margin.dividedBy(result.revenue).times(100).toFixed(2);
  }

  private async marginOf(project: ProjectExtension): Promise<ProjectMargin | null> {
    const cost = project.costToDate;
    if (!cost) {
      return null;
    }
    const financials = await this.financials.load(project.id);
    const currency = projectCurrency(financials, cost.currency) as string;
    const revenue = await this.sumIn(financials.revenue, currency);
    const costInCurrency = decimal(cost.amount).times(await this.rate(cost.currency, currency));
    return { revenue, margin: revenue.minus(costInCurrency), currency };
  }

  private async sumIn(amounts: Map<string, string>, currency: string): Promise<DecimalValue> {
    let total = decimal(0);
    for (const [from, amount] of amounts) {
      total = total.plus(decimal(amount).times(await this.rate(from, currency)));
    }
    return decimal(total.toFixed(2));
  }

  private async rate(from: string, to: string): Promise<string> {
    if (from === to) {
      return '1';
    }
    const rate = await this.fxRates.load(`${from}${to}`);
    if (!rate) {
      throw new BadInputError(`no FX rate from ${from} to ${to}: record one to compare project amounts`, { from, to });
    }
    return rate;
  }

  private async loadFinancials(projectIds: readonly string[]): Promise<ProjectFinancials[]> {
    const rows: FinancialRow[] = await this.dataSource.query(
      `SELECT 'REVENUE' AS kind, project_id AS "projectId", currency, SUM(recognized_amount)::text AS amount
         FROM erp.revenue_entry WHERE project_id = ANY($1) GROUP BY project_id, currency
       UNION ALL
       SELECT 'BILLED', project_id, currency, SUM(total)::text
         FROM erp.invoice WHERE project_id = ANY($1) AND status = 'POSTED' GROUP BY project_id, currency
       UNION ALL
       SELECT 'CONTRACT', latest.project_id, latest.currency, NULL FROM (
         SELECT DISTINCT ON (source.project_id) source.project_id, contract.currency
           FROM (SELECT project_id, contract_id, created_at FROM erp.revenue_entry WHERE project_id = ANY($1)
                 UNION ALL
                 SELECT project_id, contract_id, created_at FROM erp.invoice WHERE project_id = ANY($1) AND contract_id IS NOT NULL AND status <> 'CANCELLED') source
           JOIN erp.contract contract ON contract.id = source.contract_id
          ORDER BY source.project_id, source.created_at DESC) latest`,
      [[...projectIds]],
    );
    const byProject = new Map<string, ProjectFinancials>();
    const of = (projectId: string): ProjectFinancials => {
      let financials = byProject.get(projectId);
      if (!financials) {
        byProject.set(projectId, (financials = { revenue: new Map(), billed: new Map(), contractCurrency: null }));
      }
      return financials;
    };
    for (const row of rows) {
      const financials = of(row.projectId);
      if (row.kind === 'CONTRACT') {
        financials.contractCurrency = row.currency;
      } else {
        (row.kind === 'REVENUE' ? financials.revenue : financials.billed).set(row.currency, row.amount ?? '0');
      }
    }
    return projectIds.map((projectId) => of(projectId));
  }
}

/**
 * The currency a project's sums are given in: its contract's, else the single currency its revenue (or billing)
 * was recorded in, else the fallback (costToDate's currency for margin).
 */
function projectCurrency(financials: ProjectFinancials, fallback: string | null): string | null {
  if (financials.contractCurrency) {
    return financials.contractCurrency;
  }
  const [revenueCurrency] = financials.revenue.keys();
  const [billedCurrency] = financials.billed.keys();
  return revenueCurrency ?? billedCurrency ?? fallback;
}
