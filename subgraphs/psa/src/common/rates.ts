import { decimal, toAmount } from '@concord/common';
import type { DecimalRule } from '@concord/graphql';

/** A rate per hour (numeric(18,6)): up to 12 integer digits and 6 decimals, non-negative. */
export const RATE: DecimalRule = { integerDigits: 12, places: 6 };

/** hours × rate, rounded to cents (banker's rounding, as every amount in Concord). */
export function extendedAmount(hours: string, rate: string): string {
  return toAmount(decimal(hours).times(rate));
}

/**
 * A decimal input in the column's own scale ("37.5" → "37.50"), so what a mutation returns is what a later read
 * returns, and an unchanged value is not seen as a change. null and undefined pass through.
 */
export function scaled<T extends string | null | undefined>(value: T, places: number): T {
  return (value === null || value === undefined ? value : decimal(value).toFixed(places)) as T;
}
