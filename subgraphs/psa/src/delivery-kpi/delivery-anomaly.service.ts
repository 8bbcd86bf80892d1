import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { addDays, decimal, startOfIsoWeek, toAmount, type DecimalValue } from '@concord/common';
import { childListLoader, SubgraphPolicyService } from '@concord/graphql';
import { TimeEntryStatus } from '../time-entry/time-entry.entity';
import { DELIVERED_TIME_STATUSES } from '../time-entry/time-entry.states';
import { DELIVERY_KPI_OPTIONS, type DeliveryKpiOptions } from './delivery-kpi.options';
import type { AnomaliesArgs, AnomalyThresholdsInput, DeliveryAnomaliesArgs } from './dtos/delivery-kpi.input';
import { AnomalySeverity, DeliveryAnomalyKind, type DeliveryAnomaly } from './dtos/delivery-kpi.output';
import { EarnedValueService, type ProjectDeliveryFacts } from './earned-value.service';
import { assertKpiRange, daysBetween, percentOf } from './kpi-math';

/** Time that counts in a timesheet: anything entered that was not rejected or cancelled. */
const TIMESHEET_STATUSES = [TimeEntryStatus.DRAFT, ...DELIVERED_TIME_STATUSES];
/** Above this a day is impossible whatever the configured limit. */
const HOURS_IN_A_DAY = decimal(24);

interface Range {
  from: string;
  to: string;
  thresholds: DeliveryKpiOptions;
}

interface DayRow {
  resourceId: string;
  date: string;
  hours: string;
}

interface WeekendRow {
  resourceId: string;
  week: string;
  hours: string;
}

interface OutlierRow {
  resourceId: string;
  week: string;
  hours: string;
  mean: string;
  deviation: string;
  weeks: number;
}

interface ErosionRow {
  projectId: string;
  code: string;
  managerId: string | null;
  previousBilled: string;
  previousCost: string;
  currentBilled: string;
  currentCost: string;
}

/**
 * Anomaly flags with explanations. Burn ahead of progress and margin erosion are project flags; impossible days,
 * timesheet outliers and weekend spikes are resource flags. Flags built on cost or margin (burn on cost, margin
 * erosion) are given only to callers who may read the project's cost (the same row rule as Project.costToDate);
 * the others get the hours-based flags only.
 */
@Injectable()
export class DeliveryAnomalyService {
  private readonly ofResources = childListLoader<Range, DeliveryAnomaly[]>(async (resourceIds, range) => {
    const flags = await this.timesheetFlags(range, { resourceIds });
    return resourceIds.map((resourceId) => [flags.filter((flag) => flag.resourceId === resourceId)]);
  });

  private readonly erosionOfProjects = childListLoader<Range, ErosionRow>((projectIds, range) =>
    this.erosion(range, { projectIds }).then((rows) => projectIds.map((projectId) => rows.filter((row) => row.projectId === projectId))),
  );

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DELIVERY_KPI_OPTIONS) private readonly options: DeliveryKpiOptions,
    private readonly earnedValueService: EarnedValueService,
    private readonly policy: SubgraphPolicyService,
  ) {}

  /** Flags of every ACTIVE project and every resource of a legal entity (all when null), projects first. */
  async portfolio(args: DeliveryAnomaliesArgs): Promise<DeliveryAnomaly[]> {
    const range = this.rangeOf(args);
    const legalEntityId = args.legalEntityId ?? null;
    const [projects, erosion, timesheets] = await Promise.all([
      this.earnedValueService.activeProjects(range.to, legalEntityId),
      this.erosion(range, { legalEntityId }),
      this.timesheetFlags(range, { legalEntityId }),
    ]);
    const projectFlags = projects.flatMap((facts) => this.burnFlags(facts, range.thresholds));
    const erosionFlags = erosion.flatMap((row) => this.erosionFlags(row, range));
    return [...projectFlags, ...erosionFlags, ...timesheets];
  }

  /** `Project.anomalies(from, to)`: burn as of `to` and margin erosion over the range. */
  async ofProject(projectId: string, args: AnomaliesArgs): Promise<DeliveryAnomaly[]> {
    const range = this.rangeOf(args);
    const [facts, erosion] = await Promise.all([
      this.earnedValueService.factsOf(projectId, range.to),
      this.erosionOfProjects.load({ parentId: projectId, args: range }),
    ]);
    return [...(facts ? this.burnFlags(facts, range.thresholds) : []), ...erosion.flatMap((row) => this.erosionFlags(row, range))];
  }

  /** `Resource.anomalies(from, to)`: its timesheet flags, batched over a page of resources. */
  async ofResource(resourceId: string, args: AnomaliesArgs): Promise<DeliveryAnomaly[]> {
    const [flags] = await this.ofResources.load({ parentId: resourceId, args: this.rangeOf(args) });
    return flags ?? [];
  }

  private rangeOf({ from, to, thresholds }: AnomaliesArgs): Range {
    assertKpiRange(from, to);
    return { from, to, thresholds: withOverrides(this.options, thresholds) };
  }

  private mayReadCost(project: { projectId: string; managerId: string | null }): boolean {
    return this.policy.canRead('Project', { id: project.projectId, managerId: project.managerId }, 'costToDate');
  }

  /** Hours (and, for callers who may see cost, cost) consumed % more than burnAheadPoints ahead of progress. */
  private burnFlags(facts: ProjectDeliveryFacts, thresholds: DeliveryKpiOptions): DeliveryAnomaly[] {
    const progress = decimal(facts.percentComplete);
    const milestones = facts.milestones > 0 ? decimal(facts.milestonesReached).times(100).dividedBy(facts.milestones) : null;
    // the more generous of the two progress measures: a flag should not be raised by a lagging measure
    const progressPct = milestones && milestones.greaterThan(progress) ? milestones : progress;
    const progressText = `${toAmount(progress)} % complete${milestones ? `, ${toAmount(milestones)} % of milestones reached` : ''}`;
    const consumed: { basis: string; pct: string | null }[] = [
      { basis: 'hours', pct: facts.budgetHours ? percentOf(facts.hours, facts.budgetHours) : null },
    ];
    if (this.mayReadCost(facts)) {
      consumed.push({ basis: 'cost', pct: facts.budget ? percentOf(facts.cost, facts.budget) : null });
    }
    const limit = decimal(thresholds.burnAheadPoints);
    return consumed.flatMap(({ basis, pct }) => {
      if (pct === null) {
        return [];
      }
      const gap = decimal(pct).minus(progressPct);
      if (!gap.greaterThan(limit)) {
        return [];
      }
      const critical = decimal(pct).greaterThan(100) || gap.greaterThanOrEqualTo(limit.times(2));
      return [
        {
          kind: DeliveryAnomalyKind.BURN_AHEAD_OF_PROGRESS,
          severity: critical ? AnomalySeverity.CRITICAL : AnomalySeverity.WARNING,
          explanation: `Project ${facts.code} has consumed ${pct} % of its budgeted ${basis} but is ${progressText}: ${toAmount(gap)} points ahead (limit ${thresholds.burnAheadPoints}).`,
          projectId: facts.projectId,
          resourceId: null,
          date: null,
          measured: toAmount(gap),
          threshold: thresholds.burnAheadPoints,
        },
      ];
    });
  }

  private erosionFlags(row: ErosionRow, { from, to, thresholds }: Range): DeliveryAnomaly[] {
    if (!this.mayReadCost(row)) {
      return [];
    }
    const previous = marginPct(row.previousBilled, row.previousCost);
    const current = marginPct(row.currentBilled, row.currentCost);
    if (!previous || !current) {
      return [];
    }
    const drop = previous.minus(current);
    const limit = decimal(thresholds.marginErosionPoints);
    if (!drop.greaterThan(limit)) {
      return [];
    }
    return [
      {
        kind: DeliveryAnomalyKind.MARGIN_EROSION,
        severity: drop.greaterThanOrEqualTo(limit.times(2)) ? AnomalySeverity.CRITICAL : AnomalySeverity.WARNING,
        explanation: `Project ${row.code}: margin of delivered billable time (bill rate vs cost rate) fell from ${toAmount(previous)} % in the previous period to ${toAmount(current)} % from ${from} to ${to}, ${toAmount(drop)} points (limit ${thresholds.marginErosionPoints}).`,
        projectId: row.projectId,
        resourceId: null,
        date: from,
        measured: toAmount(drop),
        threshold: thresholds.marginErosionPoints,
      },
    ];
  }

  /**
   * Delivered billable time of the range and of the period of the same length just before it, per project: billed
   * value at the snapshotted bill rates against cost at the snapshotted cost rates (PSA has no revenue; the ERP's
   * recognised revenue is not needed to see rates drift).
   */
  private erosion({ from, to }: Range, scope: { projectIds: string[] } | { legalEntityId: string | null }): Promise<ErosionRow[]> {
    const byIds = 'projectIds' in scope;
    const previousFrom = addDays(from, -(daysBetween(from, to) + 1));
    return this.dataSource.query(
      `SELECT project.id AS "projectId", project.code, project.manager_id AS "managerId",
              COALESCE(SUM(entry.bill_amount) FILTER (WHERE entry.date < $2::date), 0)::text AS "previousBilled",
              COALESCE(SUM(entry.cost_amount) FILTER (WHERE entry.date < $2::date), 0)::text AS "previousCost",
              COALESCE(SUM(entry.bill_amount) FILTER (WHERE entry.date >= $2::date), 0)::text AS "currentBilled",
              COALESCE(SUM(entry.cost_amount) FILTER (WHERE entry.date >= $2::date), 0)::text AS "currentCost"
         FROM psa.project project
         JOIN psa.time_entry entry ON entry.project_id = project.id
        WHERE entry.date BETWEEN $1::date AND $3::date AND entry.billable_hours > 0 AND entry.status = ANY($5::text[])
          AND ${
            byIds
              ? 'project.id = ANY($4::uuid[])'
              : `project.status = 'ACTIVE' AND ($4::uuid IS NULL OR project.legal_entity_id = $4::uuid)`
          }
        GROUP BY project.id
        ORDER BY project.code`,
      [previousFrom, from, to, byIds ? scope.projectIds : scope.legalEntityId, DELIVERED_TIME_STATUSES],
    );
  }

  /** Impossible days, weekend spikes and weekly outliers of the resources asked for, or of a legal entity. */
  private async timesheetFlags(
    { from, to, thresholds }: Range,
    scope: { resourceIds: string[] } | { legalEntityId: string | null },
  ): Promise<DeliveryAnomaly[]> {
    const byIds = 'resourceIds' in scope;
    const who = byIds
      ? 'entry.resource_id = ANY($3::uuid[])'
      : 'entry.resource_id IN (SELECT id FROM psa.resource WHERE $3::uuid IS NULL OR legal_entity_id = $3::uuid)';
    const scopeValue = byIds ? scope.resourceIds : scope.legalEntityId;
    const fromWeek = startOfIsoWeek(from);
    const historyFrom = addDays(fromWeek, -7 * thresholds.outlierHistoryWeeks);
    const [days, weekends, outliers] = await Promise.all([
      this.dataSource.query(
        `SELECT entry.resource_id AS "resourceId", entry.date::text AS date, SUM(entry.hours)::text AS hours
           FROM psa.time_entry entry
          WHERE entry.date BETWEEN $1::date AND $2::date AND entry.status = ANY($4::text[]) AND ${who}
          GROUP BY entry.resource_id, entry.date
         HAVING SUM(entry.hours) > LEAST($5::numeric, 24)
          ORDER BY entry.date, entry.resource_id`,
        [from, to, scopeValue, TIMESHEET_STATUSES, thresholds.maxDailyHours],
      ) as Promise<DayRow[]>,
      this.dataSource.query(
        `SELECT entry.resource_id AS "resourceId", date_trunc('week', entry.date)::date::text AS week, SUM(entry.hours)::text AS hours
           FROM psa.time_entry entry
          WHERE entry.date BETWEEN $1::date AND $2::date AND extract(isodow FROM entry.date) >= 6
            AND entry.status = ANY($4::text[]) AND ${who}
          GROUP BY 1, 2
         HAVING SUM(entry.hours) > $5::numeric
          ORDER BY 2, 1`,
        [from, to, scopeValue, TIMESHEET_STATUSES, thresholds.weekendHoursLimit],
      ) as Promise<WeekendRow[]>,
      this.dataSource.query(
        `WITH weekly AS (
           SELECT entry.resource_id, date_trunc('week', entry.date)::date AS week, SUM(entry.hours) AS hours
             FROM psa.time_entry entry
            WHERE entry.date BETWEEN $1::date AND $2::date AND entry.status = ANY($4::text[]) AND ${who}
            GROUP BY 1, 2
         ), history AS (
           SELECT resource_id, AVG(hours) AS mean, STDDEV_POP(hours) AS deviation, COUNT(*) AS weeks
             FROM weekly WHERE week < $5::date GROUP BY resource_id
         )
         SELECT weekly.resource_id AS "resourceId", weekly.week::text AS week, weekly.hours::text AS hours,
                round(history.mean, 2)::text AS mean, round(history.deviation, 2)::text AS deviation, history.weeks::int AS weeks
           FROM weekly JOIN history ON history.resource_id = weekly.resource_id
          WHERE weekly.week >= $5::date AND history.weeks >= $6
            AND weekly.hours > history.mean + $7::numeric * history.deviation
            AND weekly.hours - history.mean >= $8::numeric
          ORDER BY 2, 1`,
        [
          historyFrom,
          to,
          scopeValue,
          TIMESHEET_STATUSES,
          fromWeek,
          thresholds.outlierMinHistoryWeeks,
          thresholds.outlierStdDevs,
          thresholds.outlierMinExcessHours,
        ],
      ) as Promise<OutlierRow[]>,
    ]);
    return [
      ...days.map((row) => dayFlag(row, thresholds)),
      ...weekends.map((row) => weekendFlag(row, thresholds)),
      ...outliers.map((row) => outlierFlag(row, thresholds)),
    ];
  }
}

function withOverrides(options: DeliveryKpiOptions, overrides: AnomalyThresholdsInput | undefined): DeliveryKpiOptions {
  const given = Object.fromEntries(Object.entries(overrides ?? {}).filter(([, value]) => value !== undefined && value !== null));
  return { ...options, ...given };
}

function marginPct(billed: string, cost: string): DecimalValue | null {
  const revenue = decimal(billed);
  return revenue.isZero() ? null : revenue.minus(cost).times(100).dividedBy(revenue);
}

function dayFlag(row: DayRow, thresholds: DeliveryKpiOptions): DeliveryAnomaly {
  const impossible = decimal(row.hours).greaterThan(HOURS_IN_A_DAY);
  const limit = impossible ? '24' : thresholds.maxDailyHours;
  return {
    kind: DeliveryAnomalyKind.IMPOSSIBLE_DAY,
    severity: impossible ? AnomalySeverity.CRITICAL : AnomalySeverity.WARNING,
    explanation: `${toAmount(row.hours)} hours logged on ${row.date}, above ${impossible ? 'the 24 hours of a day' : `the daily limit of ${limit} hours`}.`,
    projectId: null,
    resourceId: row.resourceId,
    date: row.date,
    measured: toAmount(row.hours),
    threshold: limit,
  };
}

function weekendFlag(row: WeekendRow, thresholds: DeliveryKpiOptions): DeliveryAnomaly {
  const limit = decimal(thresholds.weekendHoursLimit);
  return {
    kind: DeliveryAnomalyKind.WEEKEND_SPIKE,
    severity: decimal(row.hours).greaterThan(limit.times(2)) ? AnomalySeverity.CRITICAL : AnomalySeverity.WARNING,
    explanation: `${toAmount(row.hours)} hours logged on the weekend of the week of ${row.week}, above the limit of ${thresholds.weekendHoursLimit} hours.`,
    projectId: null,
    resourceId: row.resourceId,
    date: row.week,
    measured: toAmount(row.hours),
    threshold: thresholds.weekendHoursLimit,
  };
}

function outlierFlag(row: OutlierRow, thresholds: DeliveryKpiOptions): DeliveryAnomaly {
  const byDeviation = decimal(row.mean).plus(decimal(thresholds.outlierStdDevs).times(row.deviation));
  const byExcess = decimal(row.mean).plus(thresholds.outlierMinExcessHours);
  const bound = byDeviation.greaterThan(byExcess) ? byDeviation : byExcess;
  return {
    kind: DeliveryAnomalyKind.TIMESHEET_OUTLIER,
    severity: AnomalySeverity.WARNING,
    explanation: `${toAmount(row.hours)} hours logged in the week of ${row.week}, against ${row.mean} ± ${row.deviation} hours a week over the ${row.weeks} previous weeks with time (limit mean + ${thresholds.outlierStdDevs} deviations, at least ${thresholds.outlierMinExcessHours} hours more).`,
    projectId: null,
    resourceId: row.resourceId,
    date: row.week,
    measured: toAmount(row.hours),
    threshold: toAmount(bound),
  };
}
