import { decimal, toAmount } from '@concord/common';

/**
 * Money and hours inside the generator are exact integers of hundredths (cents, hundredths of an hour):
 * sums are exact and fast over hundreds of thousands of rows, and every value is written to PostgreSQL
 * as a decimal string. Anything that needs a non-integer factor (FX, percentages) goes through the
 * shared decimal helpers with banker's rounding, like the services do.
 */
export type Cents = number;

function assertSafe(value: number, what: string): number {
  if (!Number.isSafeInteger(value)) {
    throw new Error(`${what} out of exact integer range: ${value}`);
  }
  return value;
}

/** 12345 → "123.45"; -5 → "-0.05". */
export function fromCents(cents: Cents): string {
  assertSafe(cents, 'amount');
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** "123.45" → 12345 (at most 2 decimals). */
export function toCents(amount: string): Cents {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(amount);
  if (!match) {
    throw new Error(`not a 2-decimal amount: ${amount}`);
  }
  const cents = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'));
  return match[1] ? -cents : cents;
}

/**
 * hours (hundredths) × rate (cents) → cents, rounded half-even. Generated hours are quarter hours and bill
 * rates whole units, so bill amounts come out exact and qty × rate of a grouped invoice line equals the sum.
 */
export function multiplyHours(hours: Cents, rate: Cents): Cents {
  const product = assertSafe(hours * rate, 'hours × rate'); // in 1/10000
  const quotient = Math.floor(product / 100);
  const remainder = product - quotient * 100;
  if (remainder > 50 || (remainder === 50 && quotient % 2 !== 0)) {
    return quotient + 1;
  }
  return quotient;
}

/** amount × factor (a decimal string such as an FX rate), rounded half-even to cents. */
export function scaleCents(cents: Cents, factor: string): Cents {
  return toCents(toAmount(decimal(fromCents(cents)).times(factor), 2));
}

/** amount × percent / 100, rounded half-even to cents. */
export function percentOf(cents: Cents, percent: number): Cents {
  return scaleCents(cents, decimal(percent).dividedBy(100).toString());
}

export function sumCents(values: Iterable<Cents>): Cents {
  let total = 0;
  for (const value of values) {
    total += value;
  }
  return assertSafe(total, 'sum');
}

/** Splits a total into `parts` cent amounts that add up exactly (the remainder goes to the last part). */
export function splitCents(total: Cents, parts: number): Cents[] {
  const base = Math.floor(total / parts);
  const out = Array.from({ length: parts }, () => base);
  out[parts - 1] += total - base * parts;
  return out;
}

/** A decimal string with 6 places for rates (numeric(18,6)). */
export function rate6(value: string | number): string {
  return toAmount(decimal(value), 6);
}

/** "85.123456" → 85123456 (a numeric(18,6) rate as integer millionths). */
export function toMicros(rate: string): number {
  const match = /^(\d+)(?:\.(\d{1,6}))?$/.exec(rate);
  if (!match) {
    throw new Error(`not a 6-decimal rate: ${rate}`);
  }
  return assertSafe(Number(match[1]) * 1_000_000 + Number((match[2] ?? '').padEnd(6, '0')), 'rate');
}

/** hours (hundredths) × rate (millionths) → cents, rounded half-even (hours × costRate of a time entry). */
export function multiplyRate(hours: number, micros: number): Cents {
  const product = assertSafe(hours * micros, 'hours × rate'); // in 1e-8
  const quotient = Math.floor(product / 1_000_000);
  const remainder = product - quotient * 1_000_000;
  if (remainder > 500_000 || (remainder === 500_000 && quotient % 2 !== 0)) {
    return quotient + 1;
  }
  return quotient;
}
