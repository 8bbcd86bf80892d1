import { decimal } from '@concord/common';

/** A numeric column value as a decimal string with at least `minPlaces` decimals and no trailing noise ("33.330000" → "33.33"). */
export function decimalString(value: string, minPlaces = 2): string {
  const number = decimal(value);
  return number.toFixed(Math.max(minPlaces, number.decimalPlaces()));
}

/** Today's date in UTC as YYYY-MM-DD (dates in Concord are calendar dates, compared as strings). */
export function todayIso(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}
