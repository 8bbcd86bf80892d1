import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { decimal, money, sumAmounts, toAmount, type DecimalValue } from '@concord/common';
import { childListLoader, CLOCK, type Clock } from '@concord/graphql';
import { ExpenseStatus } from '../expense/expense.entity';
import { TimeEntryStatus } from '../time-entry/time-entry.entity';
import { DELIVERED_TIME_STATUSES, UTILIZED_TIME_STATUSES } from '../time-entry/time-entry.states';
import { DELIVERY_KPI_OPTIONS, type DeliveryKpiOptions } from './delivery-kpi.options';
import type { DeliveryKpisArgs, KpiRangeArgs } from './dtos/delivery-kpi.input';
import type {
  DeliveryKpis,
  EffectiveBillRate,
  HoursUtilization,
  Realization,
  ResourceDeliveryKpis,
  RevenueLeakage,
  TimeCompliance,
} from './dtos/delivery-kpi.output';
import { assertKpiRange, minOf, percentOf, weekdaysBetween } from './kpi-math';

/** One resource's hours in a range, as the KPI statement returns them (decimal strings). */
interface ResourceHoursRow {
  resourceId: string;
  capacity: string;
  billable: string;
  total: string;
  billed: string;
  submitted: string;
  daysWithTime: number;
}

interface BillRateRow {
  resourceId: string | null;
  currency: string;
  billed: string;
  hours: string;
}

interface LeakageRow {
  currency: string;
  timeEntries: number;
  hours: string;
  timeAmount: string;
  expenses: number;
  expenseAmount: string;
}

/**
 * Delivery KPIs (DOMAIN.md §3) over a date range, each computed by SQL aggregates over the time and expense
 * indexes: a portfolio costs three statements, `Resource.deliveryKpis` two for a whole page of resources.
 */
@Injectable()
export class DeliveryKpiService {
  private readonly ofResources = childListLoader<KpiRangeArgs, ResourceDeliveryKpis>((resourceIds, range) =>
    this.loadOfResources(resourceIds, range),
  );

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DELIVERY_KPI_OPTIONS) private readonly options: DeliveryKpiOptions,
  ) {}

  async portfolio({ from, to, legalEntityId, asOf, graceDays }: DeliveryKpisArgs): Promise<DeliveryKpis> {
    assertKpiRange(from, to);
    const measuredOn = asOf ?? this.clock.today();
    const grace = graceDays ?? this.options.leakageGraceDays;
    const [hours, rates, leakage] = await Promise.all([
      this.resourceHours(from, to, { legalEntityId: legalEntityId ?? null }),
      this.billRates(from, to, { legalEntityId: legalEntityId ?? null }),
      this.leakage(from, to, legalEntityId ?? null, measuredOn, grace),
    ]);
    const weekdays = weekdaysBetween(from, to);
    return {
      from,
      to,
      legalEntityId: legalEntityId ?? null,
      asOf: measuredOn,
      resources: hours.length,
      utilization: utilizationOf(hours, weekdays),
      realization: realizationOf(hours),
      compliance: complianceOf(hours, weekdays),
      effectiveBillRates: rates.map(billRateOf),
      leakage,
      leakageGraceDays: grace,
    };
  }

  /** `Resource.deliveryKpis(from, to)`, batched over every resource of the response. */
  async ofResource(resourceId: string, range: KpiRangeArgs): Promise<ResourceDeliveryKpis> {
    assertKpiRange(range.from, range.to);
    const [kpis] = await this.ofResources.load({ parentId: resourceId, args: { from: range.from, to: range.to } });
    return kpis;
  }

  private async loadOfResources(resourceIds: string[], { from, to }: KpiRangeArgs): Promise<ResourceDeliveryKpis[][]> {
    const [hours, rates] = await Promise.all([this.resourceHours(from, to, { resourceIds }), this.billRates(from, to, { resourceIds })]);
    const weekdays = weekdaysBetween(from, to);
    return resourceIds.map((resourceId) => {
      const own = hours.filter((row) => row.resourceId === resourceId);
      return [
        {
          from,
          to,
          utilization: utilizationOf(own, weekdays),
          realization: realizationOf(own),
          compliance: complianceOf(own, weekdays),
          effectiveBillRates: rates.filter((row) => row.resourceId === resourceId).map(billRateOf),
        },
      ];
    });
  }

  /**
   * Hours per resource in the range: the resources asked for, or those of a legal entity (every one when null) that
   * are active or logged time in the range. Summed per resource (LATERAL) from the covering index on
   * (resource_id, date): one range of the index each, already in date order, instead of scanning and sorting the
   * whole range's time.
   */
  private resourceHours(
    from: string,
    to: string,
    scope: { resourceIds: string[] } | { legalEntityId: string | null },
  ): Promise<ResourceHoursRow[]> {
    const byIds = 'resourceIds' in scope;
    return this.dataSource.query(
      `SELECT resource.id AS "resourceId", resource.capacity_hours_per_week::text AS capacity,
              COALESCE(logged.billable, 0)::text AS billable, COALESCE(logged.total, 0)::text AS total,
              COALESCE(logged.billed, 0)::text AS billed, COALESCE(logged.submitted, 0)::text AS submitted,
              COALESCE(logged.days_with_time, 0)::int AS "daysWithTime"
         FROM psa.resource resource
         LEFT JOIN LATERAL (
           SELECT COUNT(*) AS entries,
                  SUM(entry.billable_hours) FILTER (WHERE entry.status = ANY($4::text[])) AS billable,
                  SUM(entry.hours) FILTER (WHERE entry.status = ANY($4::text[])) AS total,
                  SUM(entry.billable_hours) FILTER (WHERE entry.status = $6) AS billed,
                  SUM(entry.hours) FILTER (WHERE entry.status = ANY($5::text[])) AS submitted,
                  COUNT(DISTINCT entry.date) FILTER (WHERE entry.status = ANY($5::text[]) AND extract(isodow FROM entry.date) < 6) AS days_with_time
             FROM psa.time_entry entry
            WHERE entry.resource_id = resource.id AND entry.date BETWEEN $1::date AND $2::date
         ) logged ON true
        WHERE ${
          byIds
            ? 'resource.id = ANY($3::uuid[])'
            : '(resource.active OR logged.entries > 0) AND ($3::uuid IS NULL OR resource.legal_entity_id = $3::uuid)'
        }
        ORDER BY resource.id`,
      [
        from,
        to,
        byIds ? scope.resourceIds : scope.legalEntityId,
        UTILIZED_TIME_STATUSES,
        DELIVERED_TIME_STATUSES,
        TimeEntryStatus.INVOICED,
      ],
    );
  }

  /** Billed amount and hours worked per currency (and per resource when resources are asked for). */
  private billRates(from: string, to: string, scope: { resourceIds: string[] } | { legalEntityId: string | null }): Promise<BillRateRow[]> {
    if ('resourceIds' in scope) {
      return this.dataSource.query(
        `SELECT entry.resource_id AS "resourceId", entry.currency,
                COALESCE(SUM(entry.bill_amount) FILTER (WHERE entry.status = $5), 0)::text AS billed, SUM(entry.hours)::text AS hours
           FROM psa.time_entry entry
          WHERE entry.resource_id = ANY($3::uuid[]) AND entry.date BETWEEN $1::date AND $2::date AND entry.status = ANY($4::text[])
          GROUP BY entry.resource_id, entry.currency
          ORDER BY entry.currency`,
        [from, to, scope.resourceIds, UTILIZED_TIME_STATUSES, TimeEntryStatus.INVOICED],
      );
    }
    // the whole portfolio needs no project: the join is only there to scope to a legal entity
    const ofEntity = scope.legalEntityId !== null;
    return this.dataSource.query(
      `SELECT NULL AS "resourceId", entry.currency,
              COALESCE(SUM(entry.bill_amount) FILTER (WHERE entry.status = $4), 0)::text AS billed, SUM(entry.hours)::text AS hours
         FROM psa.time_entry entry
         ${ofEntity ? 'JOIN psa.project project ON project.id = entry.project_id AND project.legal_entity_id = $5::uuid' : ''}
        WHERE entry.date BETWEEN $1::date AND $2::date AND entry.status = ANY($3::text[])
        GROUP BY entry.currency
        ORDER BY entry.currency`,
      [from, to, UTILIZED_TIME_STATUSES, TimeEntryStatus.INVOICED, ...(ofEntity ? [scope.legalEntityId] : [])],
    );
  }

  /**
   * APPROVED billable time and expenses dated in the range whose month ended more than `graceDays` before `asOf`:
   * month end + grace < asOf ⇔ date < first day of the month of (asOf − grace), a bound the partial indexes serve.
   */
  private async leakage(
    from: string,
    to: string,
    legalEntityId: string | null,
    asOf: string,
    graceDays: number,
  ): Promise<RevenueLeakage[]> {
    const rows: LeakageRow[] = await this.dataSource.query(
      `WITH bound AS (SELECT date_trunc('month', $4::date - $5::int)::date AS before)
       SELECT currency, SUM(time_entries)::int AS "timeEntries", SUM(hours)::text AS hours, SUM(time_amount)::text AS "timeAmount",
              SUM(expenses)::int AS expenses, SUM(expense_amount)::text AS "expenseAmount"
         FROM (
           SELECT entry.currency, COUNT(*) AS time_entries, SUM(entry.billable_hours) AS hours, SUM(entry.bill_amount) AS time_amount,
                  0 AS expenses, 0 AS expense_amount
             FROM psa.time_entry entry
             JOIN psa.project project ON project.id = entry.project_id, bound
            WHERE entry.status = $6 AND entry.billable_hours > 0 AND entry.date BETWEEN $1::date AND $2::date AND entry.date < bound.before
              AND ($3::uuid IS NULL OR project.legal_entity_id = $3::uuid)
            GROUP BY entry.currency
           UNION ALL
           SELECT expense.currency, 0, 0, 0, COUNT(*), SUM(expense.bill_amount)
             FROM psa.expense expense
             JOIN psa.project project ON project.id = expense.project_id, bound
            WHERE expense.status = $7 AND expense.billable AND expense.date BETWEEN $1::date AND $2::date AND expense.date < bound.before
              AND ($3::uuid IS NULL OR project.legal_entity_id = $3::uuid)
            GROUP BY expense.currency
         ) leaking
        GROUP BY currency
        ORDER BY currency`,
      [from, to, legalEntityId, asOf, graceDays, TimeEntryStatus.APPROVED, ExpenseStatus.APPROVED],
    );
    return rows.map((row) => ({
      currency: row.currency,
      timeEntries: row.timeEntries,
      hours: toAmount(row.hours),
      expenses: row.expenses,
      timeAmount: money(row.timeAmount, row.currency),
      expenseAmount: money(row.expenseAmount, row.currency),
      amount: money(decimal(row.timeAmount).plus(row.expenseAmount), row.currency),
    }));
  }
}

const availableOf = (row: ResourceHoursRow, weekdays: number): DecimalValue => decimal(row.capacity).dividedBy(5).times(weekdays);

function utilizationOf(rows: readonly ResourceHoursRow[], weekdays: number): HoursUtilization {
  const available = sumAmounts(rows.map((row) => availableOf(row, weekdays)));
  const billable = sumAmounts(rows.map((row) => row.billable));
  const total = sumAmounts(rows.map((row) => row.total));
  return {
    availableHours: toAmount(available),
    billableHours: toAmount(billable),
    totalHours: toAmount(total),
    billableUtilPct: percentOf(billable, available),
    totalUtilPct: percentOf(total, available),
  };
}

function realizationOf(rows: readonly ResourceHoursRow[]): Realization {
  const billable = sumAmounts(rows.map((row) => row.billable));
  const billed = sumAmounts(rows.map((row) => row.billed));
  return { billableHours: toAmount(billable), billedHours: toAmount(billed), realizationPct: percentOf(billed, billable) };
}

/** Resources without capacity expect nothing and are left out; each resource's hours count up to its expected hours. */
function complianceOf(rows: readonly ResourceHoursRow[], weekdays: number): TimeCompliance {
  const expecting = rows.filter((row) => decimal(row.capacity).greaterThan(0));
  const expectedDays = expecting.length * weekdays;
  const daysWithTime = expecting.reduce((sum, row) => sum + row.daysWithTime, 0);
  const expectedHours = sumAmounts(expecting.map((row) => availableOf(row, weekdays)));
  const submitted = sumAmounts(expecting.map((row) => minOf(decimal(row.submitted), availableOf(row, weekdays))));
  return {
    expectedDays,
    daysWithTime,
    dayCompliancePct: percentOf(decimal(daysWithTime), decimal(expectedDays)),
    expectedHours: toAmount(expectedHours),
    submittedHours: toAmount(submitted),
    hourCompliancePct: percentOf(submitted, expectedHours),
  };
}

function billRateOf(row: BillRateRow): EffectiveBillRate {
  const hours = decimal(row.hours);
  return {
    currency: row.currency,
    billedAmount: money(row.billed, row.currency),
    hoursWorked: toAmount(hours),
    rate: hours.isZero() ? null : money(decimal(row.billed).dividedBy(hours), row.currency),
  };
}
