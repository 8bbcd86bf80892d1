import { loadConfig, z } from '@concord/common';

/**
 * The thresholds of the delivery KPIs and anomaly flags. Defaults below; each is overridden by the PSA's environment
 * (KPI_*, read once at start by `deliveryKpiConfig`) and, per query, by the `thresholds` / `graceDays` arguments.
 */
export interface DeliveryKpiOptions {
  /** revenue leakage: approved billable work still not invoiced this many days after the end of its month */
  leakageGraceDays: number;
  /** burn ahead of progress: consumed % (hours or cost) exceeds progress % by more than this many points */
  burnAheadPoints: string;
  /** impossible day: a resource's hours on one date above this (above 24 is always CRITICAL) */
  maxDailyHours: string;
  /** weekend spike: a resource's Saturday + Sunday hours in one week above this */
  weekendHoursLimit: string;
  /** timesheet outlier: a week above the resource's mean + this many standard deviations of its history */
  outlierStdDevs: string;
  /** timesheet outlier: and at least this many hours above that mean (a flat history has no deviation) */
  outlierMinExcessHours: string;
  /** timesheet outlier: how many weeks before the range make the history */
  outlierHistoryWeeks: number;
  /** timesheet outlier: fewer history weeks with time than this: no verdict */
  outlierMinHistoryWeeks: number;
  /** margin erosion: the delivered-time margin % fell by more than this many points against the previous period */
  marginErosionPoints: string;
}

export const DELIVERY_KPI_OPTIONS = Symbol('DELIVERY_KPI_OPTIONS');

export const DEFAULT_DELIVERY_KPI_OPTIONS: Readonly<DeliveryKpiOptions> = Object.freeze({
  leakageGraceDays: 15,
  burnAheadPoints: '20',
  maxDailyHours: '12',
  weekendHoursLimit: '8',
  outlierStdDevs: '3',
  outlierMinExcessHours: '8',
  outlierHistoryWeeks: 12,
  outlierMinHistoryWeeks: 4,
  marginErosionPoints: '5',
});

const decimalText = (fallback: string) =>
  z
    .string()
    .regex(/^\d{1,6}(\.\d{1,4})?$/, { message: 'must be a non-negative decimal, e.g. 12 or 2.5' })
    .default(fallback);
const count = (fallback: number) => z.coerce.number().int().min(0).max(3650).default(fallback);

const environment = z.object({
  KPI_LEAKAGE_GRACE_DAYS: count(DEFAULT_DELIVERY_KPI_OPTIONS.leakageGraceDays),
  KPI_BURN_AHEAD_POINTS: decimalText(DEFAULT_DELIVERY_KPI_OPTIONS.burnAheadPoints),
  KPI_MAX_DAILY_HOURS: decimalText(DEFAULT_DELIVERY_KPI_OPTIONS.maxDailyHours),
  KPI_WEEKEND_HOURS_LIMIT: decimalText(DEFAULT_DELIVERY_KPI_OPTIONS.weekendHoursLimit),
  KPI_OUTLIER_STDDEVS: decimalText(DEFAULT_DELIVERY_KPI_OPTIONS.outlierStdDevs),
  KPI_OUTLIER_MIN_EXCESS_HOURS: decimalText(DEFAULT_DELIVERY_KPI_OPTIONS.outlierMinExcessHours),
  KPI_OUTLIER_HISTORY_WEEKS: count(DEFAULT_DELIVERY_KPI_OPTIONS.outlierHistoryWeeks),
  KPI_OUTLIER_MIN_HISTORY_WEEKS: count(DEFAULT_DELIVERY_KPI_OPTIONS.outlierMinHistoryWeeks),
  KPI_MARGIN_EROSION_POINTS: decimalText(DEFAULT_DELIVERY_KPI_OPTIONS.marginErosionPoints),
});

/** Reads and validates the KPI_* variables (failing fast, naming the bad one). */
export function deliveryKpiConfig(env: NodeJS.ProcessEnv = process.env): DeliveryKpiOptions {
  const config = loadConfig(environment, env);
  return {
    leakageGraceDays: config.KPI_LEAKAGE_GRACE_DAYS,
    burnAheadPoints: config.KPI_BURN_AHEAD_POINTS,
    maxDailyHours: config.KPI_MAX_DAILY_HOURS,
    weekendHoursLimit: config.KPI_WEEKEND_HOURS_LIMIT,
    outlierStdDevs: config.KPI_OUTLIER_STDDEVS,
    outlierMinExcessHours: config.KPI_OUTLIER_MIN_EXCESS_HOURS,
    outlierHistoryWeeks: config.KPI_OUTLIER_HISTORY_WEEKS,
    outlierMinHistoryWeeks: config.KPI_OUTLIER_MIN_HISTORY_WEEKS,
    marginErosionPoints: config.KPI_MARGIN_EROSION_POINTS,
  };
}
