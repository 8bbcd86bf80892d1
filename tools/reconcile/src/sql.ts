/**
 * SQL fragments for exact decimal arithmetic on `numeric` columns, rounding the way the services round with
 * decimal.js (half-even, libs/common/src/money.ts): PostgreSQL's own round() on numeric rounds half away from zero,
 * so a half-cent tie would reconcile differently.
 */

const SCALE: Record<number, string> = { 2: '100', 6: '1000000' };

/** `expression` rounded half-even to `places` (2 or 6) decimals, as numeric. */
export function roundHalfEven(expression: string, places: 2 | 6 = 2): string {
  const factor = SCALE[places];
  const scaled = `((${expression}) * ${factor})`;
  return `(CASE WHEN abs(${scaled} - trunc(${scaled})) = 0.5
                THEN (trunc(${scaled}) + CASE WHEN mod(trunc(${scaled}), 2) = 0 THEN 0 ELSE sign(${scaled}) END) / ${factor}
                ELSE round(${expression}, ${places}) END)`;
}

/**
 * The rate `from → to` on `onDate` as the ERP's FxRateService.rateOn resolves it: 1 for the same currency; else the
 * latest stored rate of the pair dated on or before the date, else 1 / the latest rate of the reverse pair, rounded
 * to 6 decimals (the direct pair wins over a newer reverse one). NULL when neither pair has a rate by then.
 */
export function fxRateOn(from: string, to: string, onDate: string): string {
  return `(CASE WHEN ${from} = ${to} THEN 1.000000::numeric ELSE (
            SELECT CASE WHEN fx.from_currency = ${from} THEN fx.rate ELSE ${roundHalfEven('1 / fx.rate', 6)} END
              FROM erp.fx_rate fx
             WHERE ((fx.from_currency = ${from} AND fx.to_currency = ${to}) OR (fx.from_currency = ${to} AND fx.to_currency = ${from}))
               AND fx.date <= ${onDate}
             ORDER BY CASE WHEN fx.from_currency = ${from} THEN 0 ELSE 1 END, fx.date DESC
             LIMIT 1) END)`;
}
