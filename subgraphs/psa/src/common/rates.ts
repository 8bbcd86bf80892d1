import { decimal, toAmount } from '@concord/common';
import type { Money } from '@concord/graphql';

/** A rate per hour (numeric(18,6)): up to 12 integer digits and 6 decimals, non-negative. */
export const RATE = /^\d{1,12}(\.\d{1,6})?$/;

/**
 * A rate as Money: at least 2 decimals, more only when the stored rate has them ("150.00", "33.333333"),
 * so a rate with sub-cent precision is shown as it is used in amounts.
 */
export function rateOf(amount: string | null | undefined, currency: string): Money | null {
  if (amount === null || amount === undefined) {
    return null;
  }
  const value = decimal(amount);
  return { amount: value.toFixed(Math.max(2, value.decimalPlaces())), currency };
}

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
