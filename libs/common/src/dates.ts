/** Calendar dates in Concord are ISO dates (YYYY-MM-DD) compared as strings; arithmetic runs in UTC so no time zone shifts a day. */

/** The shape of an ISO date: month 01–12, day 01–31. `isIsoDate` also checks that the day exists (no 2025-02-30). */
export const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

function utcDay(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

function isoDateOf(day: Date): string {
  return day.toISOString().slice(0, 10);
}

/** A calendar date written YYYY-MM-DD that exists. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !ISO_DATE.test(value)) {
    return false;
  }
  const parsed = utcDay(value);
  return !Number.isNaN(parsed.getTime()) && isoDateOf(parsed) === value;
}

/** Today's date in UTC as an ISO date. */
export function todayIso(now: Date = new Date()): string {
  return isoDateOf(now);
}

export function addDays(date: string, days: number): string {
  const day = utcDay(date);
  day.setUTCDate(day.getUTCDate() + days);
  return isoDateOf(day);
}

export function isFirstOfMonth(date: string): boolean {
  return isIsoDate(date) && date.endsWith('-01');
}

export function lastDayOfMonth(date: string): string {
  const day = utcDay(`${date.slice(0, 7)}-01`);
  day.setUTCMonth(day.getUTCMonth() + 1, 0);
  return isoDateOf(day);
}

/** Monday (the ISO week's first day) of the week containing a date. */
export function startOfIsoWeek(date: string): string {
  return addDays(date, -((utcDay(date).getUTCDay() + 6) % 7));
}

export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}
