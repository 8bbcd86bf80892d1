import type { DecimalRule } from '@concord/graphql';

/** Decimal input formats of the ERP columns (use with `@DecimalField`; percentages with `@PercentField`). */

/** A non-negative amount with at most 2 decimals. */
export const AMOUNT: DecimalRule = { integerDigits: 15, places: 2 };
/** A possibly negative amount with at most 2 decimals (adjustments, reversals). */
export const SIGNED_AMOUNT: DecimalRule = { integerDigits: 15, places: 2, signed: true };
/** A rate with at most 6 decimals (FX). */
export const RATE: DecimalRule = { integerDigits: 11, places: 6 };
/** A quantity (hours or units) with at most 2 decimals. */
export const QUANTITY: DecimalRule = { integerDigits: 9, places: 2 };
