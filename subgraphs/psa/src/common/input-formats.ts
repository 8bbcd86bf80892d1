import { toAmount } from '@concord/common';

/** Input formats shared by the PSA inputs: decimals as strings (never floats), ISO dates, ISO-4217 codes. */
export const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
export const CURRENCY = /^[A-Z]{3}$/;
/** Non-negative money, 2 decimals (numeric(18,2)). */
export const AMOUNT = /^\d{1,16}(\.\d{1,2})?$/;
/** Signed money, for deltas. */
export const SIGNED_AMOUNT = /^-?\d{1,16}(\.\d{1,2})?$/;
/** Non-negative hours, 2 decimals (numeric(10,2)). */
export const HOURS = /^\d{1,8}(\.\d{1,2})?$/;
/** Signed hours, for deltas. */
export const SIGNED_HOURS = /^-?\d{1,8}(\.\d{1,2})?$/;
/** 0 to 100 with at most 2 decimals. */
export const PERCENT = /^(100(\.0{1,2})?|\d{1,2}(\.\d{1,2})?)$/;

/** Today's date in UTC as an ISO date (YYYY-MM-DD). */
export function todayIso(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Drops the keys whose value is undefined, so a patch changes only what the caller sent. */
export function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}

export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (match) => `\\${match}`);
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
