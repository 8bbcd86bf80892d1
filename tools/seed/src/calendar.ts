/**
 * Dates of the generated world. Everything is placed relative to a fixed reference date, never to today,
 * so the same seed gives the same data whenever it runs. Days are integers (days since 1970-01-01, UTC).
 */
export const REFERENCE_DATE = '2026-11-01';
/** Months of history before the reference date (FX rates, projects, time). */
export const HISTORY_MONTHS = 24;

const MS_PER_DAY = 86_400_000;

export type Day = number;

export function dayOf(iso: string): Day {
  const ms = Date.parse(`${iso}T00:00:00Z`);
  if (Number.isNaN(ms)) {
    throw new Error(`invalid date ${iso}`);
  }
  return ms / MS_PER_DAY;
}

export function isoOf(day: Day): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export const REFERENCE_DAY = dayOf(REFERENCE_DATE);

/** The latest instant of the generated world: the evening before the reference date. */
const LAST_INSTANT_MS = REFERENCE_DAY * MS_PER_DAY - 3_600_000;

/**
 * The instant `day` at hh:mm UTC (creation, approval, posting times of generated records). Nothing has
 * happened after the reference date, so later instants are pulled back to its eve (order is kept).
 */
export function instant(day: Day, hour = 9, minute = 0): Date {
  return new Date(Math.min(day * MS_PER_DAY + (hour * 60 + minute) * 60_000, LAST_INSTANT_MS));
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(day: Day): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function isWeekday(day: Day): boolean {
  const dow = weekday(day);
  return dow !== 0 && dow !== 6;
}

/** The Monday of the ISO week that contains day. */
export function weekStart(day: Day): Day {
  return day - ((weekday(day) + 6) % 7);
}

/** First day of the month of day. */
export function monthStart(day: Day): Day {
  const date = new Date(day * MS_PER_DAY);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / MS_PER_DAY;
}

/** First day of the month `months` after the month of day (negative goes back). */
export function addMonths(day: Day, months: number): Day {
  const date = new Date(day * MS_PER_DAY);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1) / MS_PER_DAY;
}

/** Last day of the month of day. */
export function monthEnd(day: Day): Day {
  return addMonths(day, 1) - 1;
}

/** The first weekday on or after day. */
export function nextWeekday(day: Day): Day {
  let result = day;
  while (!isWeekday(result)) {
    result++;
  }
  return result;
}

/** `YYYY-MM` of day (invoice numbers, names). */
export function yearMonth(day: Day): string {
  return isoOf(day).slice(0, 7);
}

/** The first day of the history window (HISTORY_MONTHS months before the reference month). */
export const HISTORY_START_DAY = addMonths(REFERENCE_DAY, -HISTORY_MONTHS);
