import { ValidateBy, type ValidationOptions } from 'class-validator';
import { isFirstOfMonth, isIsoDate } from './dates';

export const CURRENCY = /^[A-Z]{3}$/;
/** A non-negative amount with at most 2 decimals. */
export const AMOUNT = /^\d{1,15}(\.\d{1,2})?$/;
/** A possibly negative amount with at most 2 decimals (adjustments, reversals). */
export const SIGNED_AMOUNT = /^-?\d{1,15}(\.\d{1,2})?$/;
/** A rate with at most 6 decimals (FX). */
export const RATE = /^\d{1,11}(\.\d{1,6})?$/;
/** A quantity (hours or units) with at most 2 decimals. */
export const QUANTITY = /^\d{1,9}(\.\d{1,2})?$/;
/** A percentage 0–100 with at most 4 decimals. */
export const PERCENT = /^(100(\.0{1,4})?|\d{1,2}(\.\d{1,4})?)$/;

/** A real calendar date written YYYY-MM-DD. */
export function IsIsoDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIsoDate',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isIsoDate(value),
        defaultMessage: (args) => `${args?.property} must be a date written YYYY-MM-DD`,
      },
    },
    options,
  );
}

/** The first day of a month, YYYY-MM-01. */
export function IsFirstOfMonth(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isFirstOfMonth',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isFirstOfMonth(value),
        defaultMessage: (args) => `${args?.property} must be the first day of a month (YYYY-MM-01)`,
      },
    },
    options,
  );
}
