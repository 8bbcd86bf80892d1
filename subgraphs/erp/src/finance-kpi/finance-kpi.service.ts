import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { DataSource } from 'typeorm';
import { BadInputError, decimal, money, type DecimalValue, type MoneyValue } from '@concord/common';
import { fxRateOf, loadFxRates } from '../common/fx';
import { LegalEntityEntity } from '../legal-entity/legal-entity.entity';
import type { ProjectExtension } from '../project/project.type';
import type { FinanceKpisArgs, KpiPeriodArgs } from './dtos/finance-kpi.input';
import type { ArAgeing, FinanceKpis, FunctionalCurrencyKpis, InvoiceAccuracy, WriteOffTotal } from './dtos/finance-kpi.output';

/** What the KPIs are about: the whole portfolio, or each of some clients, projects, legal entities or contracts. */
export type KpiScope = 'portfolio' | 'client' | 'project' | 'legalEntity' | 'contract';

/** The tables the KPIs read, by their SQL alias. */
type Source = 'i' | 'c' | 'w' | 'k' | 'r';

/**
 * The column each source groups a scope by (`r` is a revenue entry joined to its contract `k`). Null where the
 * source does not know the scope: the ERP cannot say which contract value a project carries (that link is PSA's),
 * so a project's backlog is empty.
 */
const SCOPE_COLUMNS: Record<Exclude<KpiScope, 'portfolio'>, Record<Source, string | null>> = {
  client: { i: 'i.client_id', c: 'c.client_id', w: 'w.client_id', k: 'k.client_id', r: 'k.client_id' },
  project: { i: 'i.project_id', c: 'c.project_id', w: 'w.project_id', k: null, r: 'r.project_id' },
  legalEntity: { i: 'i.legal_entity_id', c: 'c.legal_entity_id', w: 'w.legal_entity_id', k: 'k.legal_entity_id', r: 'k.legal_entity_id' },
  contract: { i: 'i.contract_id', c: 'c.contract_id', w: 'w.contract_id', k: 'k.id', r: 'r.contract_id' },
};

/** Posted invoices that still count as issued: POSTED, or voided by credit notes (a plain void never was a sale). */
const ISSUED = `i.posted_at IS NOT NULL AND (i.status = 'POSTED' OR i.credited_total > 0)`;

const MAX_PERIOD_DAYS = 3660;

interface Query {
  scope: KpiScope;
  from: string;
  to: string;
  ids: string[];
  legalEntityId: string | null;
  currency: string | null;
}

interface CurrencyRow {
  scope_id: string;
  currency: string;
}

/**
 * The finance KPIs of DOMAIN.md §3 for a period, per currency, as SQL aggregates: nine statements answer a whole
 * page of clients (projects, legal entities, contracts) asking the same period, whatever the page size. Balances
 * (receivables, ageing, backlog, WIP) are as of the period's last day, rebuilt from dated facts (payments, credit
 * notes and write-offs dated after it do not count), so a past period reads as it was.
 */
@Injectable()
export class FinanceKpiService {
  private readonly byScope = new DataLoader<string, FinanceKpis>((keys) => this.loadScoped(keys), { cache: false });

  constructor(private readonly dataSource: DataSource) {}

  portfolio({ from, to, legalEntityId, currency }: FinanceKpisArgs): Promise<FinanceKpis> {
    assertPeriod(from, to);
    const query: Query = { scope: 'portfolio', from, to, ids: ['*'], legalEntityId: legalEntityId ?? null, currency: currency ?? null };
    return this.compute(query).then(async (result) => {
      const kpis = result.get('*') as FinanceKpis;
      if (legalEntityId) {
        kpis.inFunctionalCurrency = (await this.convert(new Map([[legalEntityId, kpis]]))).get(legalEntityId) ?? null;
      }
      return kpis;
    });
  }

  of(scope: Exclude<KpiScope, 'portfolio'>, id: string, { from, to }: KpiPeriodArgs): Promise<FinanceKpis> {
    assertPeriod(from, to);
    return this.byScope.load(JSON.stringify([scope, from, to, id]));
  }

  private async loadScoped(keys: readonly string[]): Promise<FinanceKpis[]> {
    const groups = new Map<string, { scope: KpiScope; from: string; to: string; ids: string[] }>();
    for (const key of keys) {
      const [scope, from, to, id] = JSON.parse(key) as [KpiScope, string, string, string];
      const groupKey = JSON.stringify([scope, from, to]);
      const group = groups.get(groupKey) ?? { scope, from, to, ids: [] };
      group.ids.push(id);
      groups.set(groupKey, group);
    }
    const results = new Map<string, FinanceKpis>();
    for (const group of groups.values()) {
      const ids = [...new Set(group.ids)];
      const computed = await this.compute({ ...group, ids, legalEntityId: null, currency: null });
      if (group.scope === 'legalEntity') {
        const converted = await this.convert(computed);
        for (const [id, kpis] of computed) {
          kpis.inFunctionalCurrency = converted.get(id) ?? null;
        }
      }
      for (const [id, kpis] of computed) {
        results.set(JSON.stringify([group.scope, group.from, group.to, id]), kpis);
      }
    }
    return keys.map((key) => results.get(key) as FinanceKpis);
  }

  private async compute(query: Query): Promise<Map<string, FinanceKpis>> {
    const days = daysBetween(query.from, query.to);
    const result = new Map<string, FinanceKpis>(
      query.ids.map((id) => [
        id,
        {
          from: query.from,
          to: query.to,
          days,
          dso: [],
          arAgeing: [],
          backlog: [],
          unbilled: [],
          revenueRecognized: [],
          invoiceCycleTime: { invoices: 0, averageDays: null, p90Days: null },
          invoiceAccuracy: [],
          writeOffs: [],
          inFunctionalCurrency: null,
          projects: [],
        },
      ]),
    );
    const of = (row: { scope_id: string }) => result.get(row.scope_id);
    const [receivables, sales, backlog, unbilled, revenue, cycle, accuracy, writeOffs, projects] = await Promise.all([
      this.receivables(query),
      this.sums(query, this.creditSalesSql(query)),
      this.sums(query, this.backlogSql(query)),
      this.sums(query, query.scope === 'project' ? this.projectUnbilledSql() : this.unbilledSql(query)),
      this.sums(query, this.revenueSql(query)),
      this.run<{ scope_id: string; invoices: number; average: string; p90: number }>(query, this.cycleTimeSql(query)),
      this.run<CurrencyRow & { invoices: number; credited: number; invoiced: string; credited_amount: string }>(
        query,
        this.accuracySql(query),
      ),
      this.run<CurrencyRow & { count: number; amount: string }>(query, this.writeOffSql(query)),
      this.run<{ scope_id: string; project_id: string }>(query, this.projectsSql(query)),
    ]);

    for (const [id, kpis] of result) {
      const owed = receivables.get(id) ?? new Map<string, ArAgeing>();
      const sold = sales.get(id) ?? new Map<string, string>();
      const currencies = [...new Set([...owed.keys(), ...sold.keys()])].sort();
      kpis.arAgeing = [...owed.values()];
      kpis.dso = currencies.map((currency) => {
        const ar = decimal(owed.get(currency)?.total.amount ?? 0);
        const credit = decimal(sold.get(currency) ?? 0);
        return {
          currency,
          receivables: money(ar, currency),
          creditSales: money(credit, currency),
          days: dso(ar, credit, days),
        };
      });
      kpis.backlog = moneyRows(backlog.get(id));
      kpis.unbilled = moneyRows(unbilled.get(id));
      kpis.revenueRecognized = moneyRows(revenue.get(id));
    }
    for (const row of cycle) {
      of(row)!.invoiceCycleTime = { invoices: row.invoices, averageDays: decimal(row.average).toFixed(2), p90Days: row.p90 };
    }
    for (const row of accuracy) {
      const accuracyRow: InvoiceAccuracy = {
        currency: row.currency,
        invoices: row.invoices,
        creditedInvoices: row.credited,
        invoicedAmount: money(row.invoiced, row.currency),
        creditedAmount: money(row.credited_amount, row.currency),
        creditedCountPct: percent(decimal(row.credited), decimal(row.invoices)),
        creditedAmountPct: percent(decimal(row.credited_amount), decimal(row.invoiced)),
      };
      of(row)!.invoiceAccuracy.push(accuracyRow);
    }
    for (const row of writeOffs) {
      const total: WriteOffTotal = { currency: row.currency, count: row.count, amount: money(row.amount, row.currency) };
      of(row)!.writeOffs.push(total);
    }
    for (const row of projects) {
      of(row)!.projects.push({ id: row.project_id } as ProjectExtension);
    }
    return result;
  }

  /** Receivables as of `to` per scope and currency, in ageing buckets by days past due on that day. */
  private async receivables(query: Query): Promise<Map<string, Map<string, ArAgeing>>> {
    const rows = await this.run<CurrencyRow & { current: string; d30: string; d60: string; d90: string; over90: string; total: string }>(
      query,
      `WITH issued AS (
         SELECT i.id, ${this.scope(query, 'i')} AS scope_id, i.currency, i.total, i.due_date
           FROM erp.invoice i
          WHERE ${ISSUED} AND i.issue_date <= $3::date AND ${this.filter(query, 'i')}),
       settled AS (
         SELECT allocation.invoice_id, allocation.allocated_amount AS amount
           FROM erp.payment_allocation allocation JOIN erp.payment payment ON payment.id = allocation.payment_id
          WHERE payment.status = 'POSTED' AND payment.date <= $3::date AND allocation.invoice_id IN (SELECT id FROM issued)
         UNION ALL
         SELECT c.invoice_id, c.total FROM erp.credit_note c WHERE c.issue_date <= $3::date AND c.invoice_id IN (SELECT id FROM issued)
         UNION ALL
         SELECT w.invoice_id, w.amount FROM erp.write_off w WHERE w.date <= $3::date AND w.invoice_id IN (SELECT id FROM issued)),
       open AS (
         SELECT issued.scope_id, issued.currency, $3::date - issued.due_date AS overdue,
                issued.total - COALESCE(settled_by_invoice.amount, 0) AS outstanding
           FROM issued
           LEFT JOIN (SELECT invoice_id, SUM(amount) AS amount FROM settled GROUP BY invoice_id) settled_by_invoice
             ON settled_by_invoice.invoice_id = issued.id)
       SELECT scope_id, currency,
              COALESCE(SUM(outstanding) FILTER (WHERE overdue <= 0), 0)::text AS current,
              COALESCE(SUM(outstanding) FILTER (WHERE overdue BETWEEN 1 AND 30), 0)::text AS d30,
              COALESCE(SUM(outstanding) FILTER (WHERE overdue BETWEEN 31 AND 60), 0)::text AS d60,
              COALESCE(SUM(outstanding) FILTER (WHERE overdue BETWEEN 61 AND 90), 0)::text AS d90,
              COALESCE(SUM(outstanding) FILTER (WHERE overdue > 90), 0)::text AS over90,
              SUM(outstanding)::text AS total
         FROM open WHERE outstanding > 0
        GROUP BY scope_id, currency ORDER BY currency`,
    );
    const byScope = new Map<string, Map<string, ArAgeing>>();
    for (const row of rows) {
      const buckets = byScope.get(row.scope_id) ?? new Map<string, ArAgeing>();
      buckets.set(row.currency, {
        currency: row.currency,
        current: money(row.current, row.currency),
        overdue1To30: money(row.d30, row.currency),
        overdue31To60: money(row.d60, row.currency),
        overdue61To90: money(row.d90, row.currency),
        overdueOver90: money(row.over90, row.currency),
        total: money(row.total, row.currency),
      });
      byScope.set(row.scope_id, buckets);
    }
    return byScope;
  }

  /** Invoiced in the period: totals of issued invoices less credit notes, by issue date. */
  private creditSalesSql(query: Query): string {
    return `SELECT scope_id, currency, SUM(amount)::text AS amount FROM (
              SELECT ${this.scope(query, 'i')} AS scope_id, i.currency, i.total AS amount FROM erp.invoice i
               WHERE ${ISSUED} AND i.issue_date BETWEEN $2::date AND $3::date AND ${this.filter(query, 'i')}
              UNION ALL
              SELECT ${this.scope(query, 'c')}, c.currency, -c.total FROM erp.credit_note c
               WHERE c.issue_date BETWEEN $2::date AND $3::date AND ${this.filter(query, 'c')}) sales
            GROUP BY scope_id, currency`;
  }

  /** Per signed contract: max(value − revenue recognised to `to`, 0). */
  private backlogSql(query: Query): string {
    return `WITH scoped AS (
              SELECT k.id, ${this.scope(query, 'k')} AS scope_id, k.currency, k.total_value FROM erp.contract k
               WHERE k.status IN ('ACTIVE', 'SUSPENDED') AND k.start_date <= $3::date AND ${this.filter(query, 'k')})
            SELECT scoped.scope_id, scoped.currency, SUM(GREATEST(scoped.total_value - COALESCE(recognized.amount, 0), 0))::text AS amount
              FROM scoped
              LEFT JOIN (SELECT r.contract_id, SUM(r.recognized_amount) AS amount FROM erp.revenue_entry r
                          WHERE r.period <= $3::date AND r.contract_id IN (SELECT id FROM scoped) GROUP BY r.contract_id) recognized
                ON recognized.contract_id = scoped.id
             GROUP BY scoped.scope_id, scoped.currency`;
  }

  /** Per contract: max(revenue recognised to `to` − invoiced net of credit notes to `to`, 0). */
  private unbilledSql(query: Query): string {
    return `WITH scoped AS (
              SELECT k.id, ${this.scope(query, 'k')} AS scope_id, k.currency FROM erp.contract k WHERE ${this.filter(query, 'k')}),
            recognized AS (
              SELECT r.contract_id AS id, SUM(r.recognized_amount) AS amount FROM erp.revenue_entry r
               WHERE r.period <= $3::date AND r.contract_id IN (SELECT id FROM scoped) GROUP BY r.contract_id),
            billed AS (
              SELECT id, SUM(amount) AS amount FROM (
                SELECT i.contract_id AS id, i.subtotal AS amount FROM erp.invoice i
                 WHERE ${ISSUED} AND i.issue_date <= $3::date AND i.contract_id IN (SELECT id FROM scoped)
                UNION ALL
                SELECT c.contract_id, -c.subtotal FROM erp.credit_note c
                 WHERE c.issue_date <= $3::date AND c.contract_id IN (SELECT id FROM scoped)) movements
               GROUP BY id)
            SELECT scoped.scope_id, scoped.currency, SUM(GREATEST(recognized.amount - COALESCE(billed.amount, 0), 0))::text AS amount
              FROM scoped JOIN recognized ON recognized.id = scoped.id LEFT JOIN billed ON billed.id = scoped.id
             GROUP BY scoped.scope_id, scoped.currency`;
  }

  /** A project's WIP: its revenue recognised to `to` − its invoices net of credit notes to `to`, per currency, never below 0. */
  private projectUnbilledSql(): string {
    return `WITH recognized AS (
              SELECT r.project_id::text AS scope_id, r.currency, SUM(r.recognized_amount) AS amount FROM erp.revenue_entry r
               WHERE r.period <= $3::date AND r.project_id::text = ANY($1::text[]) GROUP BY r.project_id, r.currency),
            billed AS (
              SELECT scope_id, currency, SUM(amount) AS amount FROM (
                SELECT i.project_id::text AS scope_id, i.currency, i.subtotal AS amount FROM erp.invoice i
                 WHERE ${ISSUED} AND i.issue_date <= $3::date AND i.project_id::text = ANY($1::text[])
                UNION ALL
                SELECT c.project_id::text, c.currency, -c.subtotal FROM erp.credit_note c
                 WHERE c.issue_date <= $3::date AND c.project_id::text = ANY($1::text[])) movements
               GROUP BY scope_id, currency)
            SELECT recognized.scope_id, recognized.currency, GREATEST(recognized.amount - COALESCE(billed.amount, 0), 0)::text AS amount
              FROM recognized LEFT JOIN billed USING (scope_id, currency)`;
  }

  /** Revenue entries of the months the period touches (periods are months: their first day in [month of from, to]). */
  private revenueSql(query: Query): string {
    return `SELECT ${this.scope(query, 'r')} AS scope_id, r.currency, SUM(r.recognized_amount)::text AS amount
              FROM erp.revenue_entry r JOIN erp.contract k ON k.id = r.contract_id
             WHERE r.period >= date_trunc('month', $2::date)::date AND r.period <= $3::date AND ${this.filter(query, 'r')}
             GROUP BY 1, r.currency`;
  }

  /** Days from billing period end (or issue date) to posting (UTC day), of invoices posted in the period. */
  private cycleTimeSql(query: Query): string {
    return `WITH cycle AS (
              SELECT ${this.scope(query, 'i')} AS scope_id,
                     (i.posted_at AT TIME ZONE 'UTC')::date - COALESCE(i.billing_period_end, i.issue_date) AS days
                FROM erp.invoice i
               WHERE ${ISSUED} AND i.posted_at >= ($2::date)::timestamp AT TIME ZONE 'UTC'
                 AND i.posted_at < ($3::date + 1)::timestamp AT TIME ZONE 'UTC' AND ${this.filter(query, 'i')})
            SELECT scope_id, count(*)::int AS invoices, AVG(days)::text AS average,
                   percentile_disc(0.9) WITHIN GROUP (ORDER BY days) AS p90
              FROM cycle GROUP BY scope_id`;
  }

  /** Invoices issued in the period and the credit notes against them by `to`. */
  private accuracySql(query: Query): string {
    return `WITH issued AS (
              SELECT i.id, ${this.scope(query, 'i')} AS scope_id, i.currency, i.total FROM erp.invoice i
               WHERE ${ISSUED} AND i.issue_date BETWEEN $2::date AND $3::date AND ${this.filter(query, 'i')}),
            credits AS (
              SELECT c.invoice_id, SUM(c.total) AS amount FROM erp.credit_note c
               WHERE c.issue_date <= $3::date AND c.invoice_id IN (SELECT id FROM issued) GROUP BY c.invoice_id)
            SELECT issued.scope_id, issued.currency, count(*)::int AS invoices, count(credits.invoice_id)::int AS credited,
                   SUM(issued.total)::text AS invoiced, COALESCE(SUM(credits.amount), 0)::text AS credited_amount
              FROM issued LEFT JOIN credits ON credits.invoice_id = issued.id
             GROUP BY issued.scope_id, issued.currency ORDER BY issued.currency`;
  }

  private writeOffSql(query: Query): string {
    return `SELECT ${this.scope(query, 'w')} AS scope_id, w.currency, count(*)::int AS count, SUM(w.amount)::text AS amount
              FROM erp.write_off w WHERE w.date BETWEEN $2::date AND $3::date AND ${this.filter(query, 'w')}
             GROUP BY 1, w.currency ORDER BY w.currency`;
  }

  private projectsSql(query: Query): string {
    return `SELECT DISTINCT ${this.scope(query, 'r')} AS scope_id, r.project_id::text AS project_id
              FROM erp.revenue_entry r JOIN erp.contract k ON k.id = r.contract_id
             WHERE r.project_id IS NOT NULL AND r.period >= date_trunc('month', $2::date)::date AND r.period <= $3::date
               AND ${this.filter(query, 'r')}
             ORDER BY 2`;
  }

  /** The scope id expression of a source (text), `'*'` for the portfolio. */
  private scope(query: Query, source: Source): string {
    if (query.scope === 'portfolio') {
      return `'*'::text`;
    }
    const column = SCOPE_COLUMNS[query.scope][source];
    return column ? `${column}::text` : 'NULL::text';
  }

  /** The rows of the scope ids ($1), and the portfolio's legal entity ($4) and currency ($5) filters. */
  private filter(query: Query, source: Source): string {
    const legalEntity = source === 'r' ? 'k.legal_entity_id' : `${source}.legal_entity_id`;
    const portfolio = `($4::uuid IS NULL OR ${legalEntity} = $4::uuid) AND ($5::text IS NULL OR ${source}.currency = $5::text)`;
    if (query.scope === 'portfolio') {
      return portfolio;
    }
    const column = SCOPE_COLUMNS[query.scope][source];
    return column ? `${column}::text = ANY($1::text[])` : 'FALSE';
  }

  /**
   * Runs a KPI statement with the same five typed parameters (a statement need not use them all: the cross join
   * types them), rows ordered by their second column (the currency, or the project id).
   */
  private run<T>(query: Query, sql: string): Promise<T[]> {
    return this.dataSource.query(
      `SELECT kpi.* FROM (${sql}) kpi,
              (SELECT $1::text[] AS ids, $2::date AS first_day, $3::date AS last_day, $4::uuid AS legal_entity_id, $5::text AS currency) parameters
        ORDER BY 2`,
      [query.ids, query.from, query.to, query.legalEntityId, query.currency],
    );
  }

  /** scope → currency → amount (a decimal string) from `scope_id, currency, amount` rows. */
  private async sums(query: Query, sql: string): Promise<Map<string, Map<string, string>>> {
    const rows = await this.run<CurrencyRow & { amount: string }>(query, sql);
    const byScope = new Map<string, Map<string, string>>();
    for (const row of rows) {
      const amounts = byScope.get(row.scope_id) ?? new Map<string, string>();
      amounts.set(row.currency, row.amount);
      byScope.set(row.scope_id, amounts);
    }
    return byScope;
  }

  /**
   * Each legal entity's figures in its functional currency: every currency's amount × the FxRate of the period's
   * last day (the latest quoted on or before it, or the inverse of the reverse pair), rounded to cents, then added.
   */
  private async convert(kpisByLegalEntity: Map<string, FinanceKpis>): Promise<Map<string, FunctionalCurrencyKpis>> {
    const legalEntities = await this.dataSource
      .getRepository(LegalEntityEntity)
      .createQueryBuilder('legalEntity')
      .where('legalEntity.id = ANY(:ids)', { ids: [...kpisByLegalEntity.keys()] })
      .getMany();
    const converted = new Map<string, FunctionalCurrencyKpis>();
    for (const legalEntity of legalEntities) {
      const kpis = kpisByLegalEntity.get(legalEntity.id) as FinanceKpis;
      const target = legalEntity.functionalCurrency;
      const all: MoneyValue[] = [
        ...kpis.dso.flatMap((row) => [row.receivables, row.creditSales]),
        ...kpis.backlog,
        ...kpis.unbilled,
        ...kpis.revenueRecognized,
        ...kpis.writeOffs.map((row) => row.amount),
      ];
      const pairs = [...new Set(all.map((amount) => amount.currency))].map((from) => ({ from, to: target }));
      const rates = await loadFxRates(this.dataSource.manager, pairs, kpis.to);
      const total = (amounts: MoneyValue[]): DecimalValue =>
        amounts.reduce((sum, amount) => {
          const rate = fxRateOf(rates, amount.currency, target);
          if (!rate) {
            throw new BadInputError(
              `no FX rate from ${amount.currency} to ${target} on or before ${kpis.to}: record one to total legal entity ${legalEntity.code}`,
              {
                from: amount.currency,
                to: target,
              },
            );
          }
          return sum.plus(decimal(amount.amount).times(rate).toFixed(2));
        }, decimal(0));
      const receivables = total(kpis.dso.map((row) => row.receivables));
      const creditSales = total(kpis.dso.map((row) => row.creditSales));
      converted.set(legalEntity.id, {
        currency: target,
        fxDate: kpis.to,
        receivables: money(receivables, target),
        creditSales: money(creditSales, target),
        dsoDays: dso(receivables, creditSales, kpis.days),
        backlog: money(total(kpis.backlog), target),
        unbilled: money(total(kpis.unbilled), target),
        revenueRecognized: money(total(kpis.revenueRecognized), target),
        writeOffs: money(total(kpis.writeOffs.map((row) => row.amount)), target),
      });
    }
    return converted;
  }
}

function assertPeriod(from: string, to: string): void {
  if (from > to) {
    throw new BadInputError('from must be on or before to', { field: 'from', from, to });
  }
  if (daysBetween(from, to) > MAX_PERIOD_DAYS) {
    throw new BadInputError(`a KPI period spans at most ${MAX_PERIOD_DAYS} days`, { field: 'to', from, to });
  }
}

/** Days from `from` to `to`, both included (calendar days, read at UTC midnight so no time zone shifts them). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** DSO = receivables / credit sales × days, 2 decimals; null without credit sales. */
export function dso(receivables: DecimalValue, creditSales: DecimalValue, days: number): string | null {
  return creditSales.greaterThan(0) ? receivables.dividedBy(creditSales).times(days).toFixed(2) : null;
}

function percent(part: DecimalValue, whole: DecimalValue): string {
  return whole.isZero() ? '0.00' : part.dividedBy(whole).times(100).toFixed(2);
}

function moneyRows(amounts: Map<string, string> | undefined): MoneyValue[] {
  return [...(amounts ?? new Map<string, string>())]
    .sort(([left], [right]) => (left < right ? -1 : 1))
    .map(([currency, amount]) => money(amount, currency));
}
