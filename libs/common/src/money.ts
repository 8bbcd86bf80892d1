import Decimal from 'decimal.js';
import { BadInputError } from './errors';
import { decimalPattern } from './formats';

/** Money is a decimal string with an ISO-4217 currency; never a JS float (STYLE.md §15). */
export interface MoneyValue {
  amount: string;
  currency: string;
}

export const MoneyDecimal = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });
export type DecimalValue = InstanceType<typeof MoneyDecimal>;

/** An ISO-4217 currency code such as EUR. */
export const CURRENCY = /^[A-Z]{3}$/;
const AMOUNT = decimalPattern({ integerDigits: 15, places: 6, signed: true });

export function decimal(value: string | number | DecimalValue): DecimalValue {
  return new MoneyDecimal(value);
}

export function assertCurrency(currency: string): void {
  if (!CURRENCY.test(currency)) {
    throw new BadInputError(`currency must be an ISO-4217 code such as EUR, got "${currency}"`, { currency });
  }
}

export function assertAmount(amount: string, field = 'amount'): void {
  if (!AMOUNT.test(amount)) {
    throw new BadInputError(`${field} must be a decimal string with at most 6 decimals, got "${amount}"`, { field, amount });
  }
}

/** Formats a decimal to a fixed number of places (2 for most currencies), banker's rounding. */
export function toAmount(value: DecimalValue | string, places = 2): string {
  return decimal(value).toFixed(places);
}

/** A decimal as a string with at least `minPlaces` decimals and no trailing noise ("33.330000" → "33.33", "33.333333" stays). */
export function decimalString(value: DecimalValue | string, minPlaces = 2): string {
  const number = decimal(value);
  return number.toFixed(Math.max(minPlaces, number.decimalPlaces()));
}

export function money(amount: DecimalValue | string, currency: string, places = 2): MoneyValue {
  return { amount: toAmount(amount, places), currency };
}

export function sumAmounts(amounts: Iterable<string | DecimalValue>): DecimalValue {
  let total = decimal(0);
  for (const amount of amounts) {
    total = total.plus(amount);
  }
  return total;
}
