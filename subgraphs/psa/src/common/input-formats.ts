import { toAmount } from '@concord/common';
import type { DecimalRule } from '@concord/graphql';

/** Decimal input formats of the PSA columns (use with `@DecimalField`; percentages with `@PercentField(2)`). */
/** Non-negative money, 2 decimals (numeric(18,2)). */
export const AMOUNT: DecimalRule = { integerDigits: 16, places: 2 };
/** Signed money, for deltas. */
export const SIGNED_AMOUNT: DecimalRule = { integerDigits: 16, places: 2, signed: true };
/** Non-negative hours, 2 decimals (numeric(10,2)). */
export const HOURS: DecimalRule = { integerDigits: 8, places: 2 };
/** Signed hours, for deltas. */
export const SIGNED_HOURS: DecimalRule = { integerDigits: 8, places: 2, signed: true };

/** Drops the keys whose value is undefined, so a patch changes only what the caller sent. */
export function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/**
 * Normalises a validated decimal input to the column's scale ("42.5" → "42.50"), so what a mutation returns
 * equals what a later read returns and unchanged values are not seen as changes.
 */
export function normalizeDecimals<T extends object>(values: T, fields: readonly (keyof T)[], places = 2): T {
  const normalized = { ...values };
  for (const field of fields) {
    const value = normalized[field];
    if (typeof value === 'string') {
      normalized[field] = toAmount(value, places) as T[keyof T];
    }
  }
  return normalized;
}
