import { decimalPattern, percentPattern, toAmount } from '@concord/common';

/** Decimal input formats of the PSA columns: strings, never floats (ISO dates and ISO-4217 codes come from @concord/common). */
/** Non-negative money, 2 decimals (numeric(18,2)). */
export const AMOUNT = decimalPattern({ integerDigits: 16, places: 2 });
/** Signed money, for deltas. */
export const SIGNED_AMOUNT = decimalPattern({ integerDigits: 16, places: 2, signed: true });
/** Non-negative hours, 2 decimals (numeric(10,2)). */
export const HOURS = decimalPattern({ integerDigits: 8, places: 2 });
/** Signed hours, for deltas. */
export const SIGNED_HOURS = decimalPattern({ integerDigits: 8, places: 2, signed: true });
/** 0 to 100 with at most 2 decimals. */
export const PERCENT = percentPattern(2);

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
