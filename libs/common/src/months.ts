import { BadInputError } from './errors';

/** A calendar month written YYYY-MM. */
export const ISO_MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Months from `from` to `to` inclusive; 0 when `to` is before `from`. */
export function monthsBetween(from: string, to: string): number {
  const index = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
  return Math.max(index(to) - index(from) + 1, 0);
}

/**
 * A forecast or report month range: both YYYY-MM, `from` on or before `to`, at most `maxMonths` long, so one read
 * never turns into an unbounded series. Throws BAD_USER_INPUT naming the field.
 */
export function assertMonthRange(from: string, to: string, maxMonths = 36): void {
  for (const [field, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (!ISO_MONTH.test(value)) {
      throw new BadInputError(`${field} must be a month written YYYY-MM`, { field, value });
    }
  }
  const months = monthsBetween(from, to);
  if (months === 0) {
    throw new BadInputError('from must be on or before to', { field: 'from', from, to });
  }
  if (months > maxMonths) {
    throw new BadInputError(`a range covers at most ${maxMonths} months`, { field: 'to', from, to, maxMonths });
  }
}
