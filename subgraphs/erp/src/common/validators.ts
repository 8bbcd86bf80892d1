import { decimalPattern, percentPattern } from '@concord/common';

/** A non-negative amount with at most 2 decimals. */
export const AMOUNT = decimalPattern({ integerDigits: 15, places: 2 });
/** A possibly negative amount with at most 2 decimals (adjustments, reversals). */
export const SIGNED_AMOUNT = decimalPattern({ integerDigits: 15, places: 2, signed: true });
/** A rate with at most 6 decimals (FX). */
export const RATE = decimalPattern({ integerDigits: 11, places: 6 });
/** A quantity (hours or units) with at most 2 decimals. */
export const QUANTITY = decimalPattern({ integerDigits: 9, places: 2 });
/** A percentage 0–100 with at most 4 decimals. */
export const PERCENT = percentPattern(4);
/** A percentage 0–100 with at most 2 decimals (numeric(5,2) columns: contract renewal threshold, billing pct). */
export const PERCENT_2DP = percentPattern(2);
