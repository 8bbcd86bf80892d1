import { BadInputError, decimal, toAmount, type DecimalValue } from '@concord/common';

/** The longest range a KPI query covers (a year, leap day included). */
export const MAX_RANGE_DAYS = 366;

const DAY_MS = 86_400_000;

/** Days from `from` to `to` (ISO dates), `to` − `from`. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** Monday to Friday in the range, both ends included. */
export function weekdaysBetween(from: string, to: string): number {
  const days = daysBetween(from, to) + 1;
  if (days <= 0) {
    return 0;
  }
  const fullWeeks = Math.floor(days / 7);
  let weekdays = fullWeeks * 5;
  // ISO weekday of `from`: 1 = Monday … 7 = Sunday
  const first = ((new Date(`${from}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
  for (let offset = 0; offset < days % 7; offset++) {
    const weekday = ((first - 1 + offset) % 7) + 1;
    if (weekday <= 5) {
      weekdays++;
    }
  }
  return weekdays;
}

/** Refuses a range that ends before it starts or spans more than MAX_RANGE_DAYS days. */
export function assertKpiRange(from: string, to: string): void {
  if (to < from) {
    throw new BadInputError(`the range ends (${to}) before it starts (${from})`, { from, to });
  }
  if (daysBetween(from, to) + 1 > MAX_RANGE_DAYS) {
    throw new BadInputError(`a KPI range covers at most ${MAX_RANGE_DAYS} days`, { from, to });
  }
}

/** numerator / denominator × 100 with 2 decimals; null when the denominator is 0. */
export function percentOf(numerator: DecimalValue | string, denominator: DecimalValue | string): string | null {
  const base = decimal(denominator);
  return base.isZero() ? null : toAmount(decimal(numerator).times(100).dividedBy(base));
}

/** The smaller of two decimals. */
export function minOf(left: DecimalValue, right: DecimalValue): DecimalValue {
  return left.lessThan(right) ? left : right;
}
