/** Input formats of decimal strings (STYLE.md §15: never a JS float), one generator for every numeric column. */

export interface DecimalFormat {
  /** digits before the point (the column's precision − scale) */
  integerDigits: number;
  /** digits after the point (the column's scale) */
  places: number;
  /** allow a leading minus (deltas, adjustments) */
  signed?: boolean;
}

/** `^-?\d{1,I}(\.\d{1,P})?$`: a decimal string that fits a numeric(I + P, P) column. */
export function decimalPattern({ integerDigits, places, signed = false }: DecimalFormat): RegExp {
  return new RegExp(`^${signed ? '-?' : ''}\\d{1,${integerDigits}}(\\.\\d{1,${places}})?$`);
}

/** A percentage from 0 to 100 with at most `places` decimals ("100", "100.00", "99.5"; not "100.5" nor "099"). */
export function percentPattern(places: number): RegExp {
  return new RegExp(`^(100(\\.0{1,${places}})?|\\d{1,2}(\\.\\d{1,${places}})?)$`);
}
