import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  assertMonthRange,
  BadInputError,
  ConcordError,
  currentContext,
  decimal,
  ErrorCode,
  ISO_MONTH,
  money,
  toAmount,
  type DecimalValue,
} from '@concord/common';
import { WritePoint } from '@concord/graphql';
import type { ForecastAccuracy, ForecastAccuracyMonth, ProjectForecastAccuracy } from './dtos/forecast-accuracy.output';
import type { RecordRevenueForecastSnapshotInput } from './dtos/forecast-snapshot.input';
import { RevenueForecastSnapshotEntity } from './revenue-forecast-snapshot.entity';

interface AccuracyRow {
  month: string;
  project_id: string;
  currency: string;
  forecast: string;
  actual: string;
}

/**
 * Forecast snapshots and forecast accuracy (DOMAIN.md §3: accuracy = 1 − |A − F| / A per period, MAPE = 100 / n ×
 * Σ |(A − F) / A|). A snapshot keeps each project's forecast of a month as it was: the T&M part the caller read from
 * PSA (Project.revenueForecast) and the fixed fee the ERP reads from the project's contract's billing schedule in
 * the same transaction. The first record of a month wins; later ones return it unchanged (idempotent per month).
 * Actuals A are the revenue recognised on the project in the month (RevenueEntry.recognizedAmount), same currency.
 */
@Injectable()
export class ForecastSnapshotService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writePoint: WritePoint,
  ) {}

  async record({ month, projects }: RecordRevenueForecastSnapshotInput): Promise<RevenueForecastSnapshotEntity[]> {
    if (!ISO_MONTH.test(month)) {
      throw new BadInputError('month must be a month written YYYY-MM', { field: 'month', month });
    }
    const seen = new Set<string>();
    for (const project of projects) {
      const key = `${project.projectId} ${project.currency}`;
      if (seen.has(key)) {
        throw new BadInputError(`project ${project.projectId} is given twice in ${project.currency}`, {
          field: 'projects',
          projectId: project.projectId,
        });
      }
      seen.add(key);
    }
    const recordedBy = recorder();
    const firstDay = `${month}-01`;
    return this.writePoint.run(async (tx) => {
      // one recorder per month at a time, so two concurrent first records cannot both write
      await tx.manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`revenue_forecast_snapshot:${month}`]);
      const existing = await tx.manager.find(RevenueForecastSnapshotEntity, { where: { month: firstDay } });
      if (existing.length > 0) {
        return sortSnapshots(existing);
      }
      const contractIds = [...new Set(projects.map((project) => project.contractId).filter((id): id is string => Boolean(id)))];
      const fixedFees: { contract_id: string; currency: string; amount: string }[] =
        contractIds.length === 0
          ? []
          : await tx.manager.query(
              `SELECT line.contract_id::text, line.currency, SUM(line.amount)::text AS amount
                 FROM erp.billing_schedule_line line JOIN erp.contract contract ON contract.id = line.contract_id
                WHERE line.contract_id::text = ANY($1::text[]) AND line.status IN ('PLANNED', 'READY') AND line.amount IS NOT NULL
                  AND contract.status NOT IN ('CANCELLED', 'TERMINATED')
                  AND line.planned_date >= $2::date AND line.planned_date < ($2::date + interval '1 month')
                GROUP BY 1, 2`,
              [contractIds, firstDay],
            );
      const rows = new Map<
        string,
        { projectId: string; contractId: string | null; currency: string; timeAndMaterials: string; fixedFee: string }
      >();
      for (const project of projects) {
        rows.set(`${project.projectId} ${project.currency}`, {
          projectId: project.projectId,
          contractId: project.contractId ?? null,
          currency: project.currency,
          timeAndMaterials: toAmount(project.timeAndMaterials),
          fixedFee: '0.00',
        });
      }
      // a contract's fixed fee goes to its first project in the input, once, so shared contracts are not counted twice
      for (const fee of fixedFees) {
        const project = projects.find((candidate) => candidate.contractId === fee.contract_id)!;
        const key = `${project.projectId} ${fee.currency}`;
        const row = rows.get(key) ?? {
          projectId: project.projectId,
          contractId: fee.contract_id,
          currency: fee.currency,
          timeAndMaterials: '0.00',
          fixedFee: '0.00',
        };
        rows.set(key, { ...row, fixedFee: toAmount(fee.amount) });
      }
      const created: RevenueForecastSnapshotEntity[] = [];
      for (const row of rows.values()) {
        created.push(
          await tx.create(RevenueForecastSnapshotEntity, {
            month: firstDay,
            projectId: row.projectId,
            contractId: row.contractId,
            currency: row.currency,
            timeAndMaterialsAmount: row.timeAndMaterials,
            fixedFeeAmount: row.fixedFee,
            recordedBy,
          }),
        );
      }
      return sortSnapshots(created);
    });
  }

  async snapshots(month: string): Promise<RevenueForecastSnapshotEntity[]> {
    assertMonthRange(month, month);
    return sortSnapshots(await this.dataSource.getRepository(RevenueForecastSnapshotEntity).find({ where: { month: `${month}-01` } }));
  }

  async accuracy(from: string, to: string): Promise<ForecastAccuracy> {
    assertMonthRange(from, to);
    const rows: AccuracyRow[] = await this.dataSource.query(
      `SELECT to_char(snapshot.month, 'YYYY-MM') AS month, snapshot.project_id::text, snapshot.currency,
              (snapshot.time_and_materials + snapshot.fixed_fee)::text AS forecast, COALESCE(actual.amount, 0)::text AS actual
         FROM erp.revenue_forecast_snapshot snapshot
         LEFT JOIN LATERAL (
           SELECT SUM(entry.recognized_amount) AS amount FROM erp.revenue_entry entry
            WHERE entry.project_id = snapshot.project_id AND entry.period = snapshot.month AND entry.currency = snapshot.currency
         ) actual ON true
        WHERE snapshot.month >= $1::date AND snapshot.month <= $2::date
        ORDER BY 1, 2, 3`,
      [`${from}-01`, `${to}-01`],
    );
    const months = new Map<string, ForecastAccuracyMonth>();
    const errors = new Map<string, DecimalValue[]>();
    for (const row of rows) {
      const forecast = decimal(row.forecast);
      const actual = decimal(row.actual);
      const error = actual.isZero() ? null : actual.minus(forecast).abs().dividedBy(actual).times(100);
      const project: ProjectForecastAccuracy = {
        projectId: row.project_id,
        currency: row.currency,
        forecast: money(forecast, row.currency),
        actual: money(actual, row.currency),
        variance: money(actual.minus(forecast), row.currency),
        accuracyPct: error === null ? null : toAmount(decimal(100).minus(error)),
        absolutePercentageErrorPct: error === null ? null : toAmount(error),
      };
      const month = months.get(row.month) ?? { month: row.month, mapePct: null, projects: [] };
      month.projects.push(project);
      months.set(row.month, month);
      if (error !== null) {
        errors.set(row.month, [...(errors.get(row.month) ?? []), error]);
      }
    }
    for (const month of months.values()) {
      month.mapePct = mean(errors.get(month.month) ?? []);
    }
    return { from, to, mapePct: mean([...errors.values()].flat()), months: [...months.values()] };
  }
}

function mean(values: DecimalValue[]): string | null {
  return values.length === 0 ? null : toAmount(values.reduce((sum, value) => sum.plus(value), decimal(0)).dividedBy(values.length));
}

function sortSnapshots(rows: RevenueForecastSnapshotEntity[]): RevenueForecastSnapshotEntity[] {
  return [...rows].sort((left, right) =>
    left.projectId === right.projectId ? left.currency.localeCompare(right.currency) : left.projectId.localeCompare(right.projectId),
  );
}

function recorder(): string {
  const sub = currentContext()?.actor?.sub;
  if (!sub) {
    throw new ConcordError(ErrorCode.FORBIDDEN, 'a forecast snapshot needs an identified caller');
  }
  return sub;
}
