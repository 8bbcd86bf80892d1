import { decimal, type DecimalValue } from '@concord/common';

/**
 * The cumulative revenue of a contract line at a period end, per recognition method (DOMAIN.md §1 RevenueEntry).
 * Each returns the new cumulative; the period's revenue is that minus the previous cumulative, so rounding never
 * accumulates: a line adds up to the cent whatever the number of periods.
 */

const DAY_MS = 86_400_000;

/** Calendar days from `from` to `to`, both ISO dates and both included (0 when `to` is before `from`). */
export function daysIncluded(from: string, to: string): number {
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
  return Math.max(0, days);
}

/** TM_AS_DELIVERED: previous + delivered, never above the line's cap (when it has one) nor below the previous. */
export function asDelivered(previous: DecimalValue, delivered: DecimalValue, cap: string | null): DecimalValue {
  const target = previous.plus(delivered);
  if (cap === null || target.lessThanOrEqualTo(cap)) {
    return target;
  }
  return decimal(cap).greaterThan(previous) ? decimal(cap) : previous;
}

/** PCT_COMPLETE: amount × percent / 100, half-even to cents, never below the previous and never above the amount. */
export function percentComplete(previous: DecimalValue, amount: string, percent: string): DecimalValue {
  const target = decimal(decimal(amount).times(percent).div(100).toFixed(2));
  const capped = target.greaterThan(amount) ? decimal(amount) : target;
  return capped.lessThan(previous) ? previous : capped;
}

/** MILESTONE: the accepted schedule amounts, never above the line amount when it has one (a cancelled one reverses). */
export function milestones(accepted: DecimalValue, amount: string | null): DecimalValue {
  return amount !== null && accepted.greaterThan(amount) ? decimal(amount) : accepted;
}

/**
 * STRAIGHT_LINE: the amount spread evenly per day over start..end (both included): amount × days elapsed by the
 * period end / total days, half-even to cents; from the end date on, the whole amount (the last period takes the
 * remainder). Nothing before the start.
 */
export function straightLine(amount: string, start: string, end: string, periodEnd: string): DecimalValue {
  if (periodEnd >= end) {
    return decimal(amount);
  }
  const elapsed = daysIncluded(start, periodEnd);
  const total = daysIncluded(start, end);
  return decimal(decimal(amount).times(elapsed).div(total).toFixed(2));
}
