import { ValidateBy, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { decimal, decimalPattern, ISO_DATE, isFirstOfMonth, isIsoDate, percentPattern, type DecimalFormat } from '@concord/common';

const ISO_DATE_MESSAGE = (args?: ValidationArguments) => `${args?.property} must be an ISO date (YYYY-MM-DD)`;

/** A real calendar date written YYYY-MM-DD (no 2025-02-30). */
export function IsIsoDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIsoDate',
      validator: {
        validate: (value: unknown) => isIsoDate(value),
        defaultMessage: ISO_DATE_MESSAGE,
      },
    },
    options,
  );
}

/**
 * Only the shape of an ISO date (month 01–12, day 01–31), for inputs whose service refuses an impossible day
 * itself, naming the field in the error.
 */
export function IsIsoDateShape(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIsoDateShape',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && ISO_DATE.test(value),
        defaultMessage: ISO_DATE_MESSAGE,
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
        defaultMessage: (args?: ValidationArguments) => `${args?.property} must be the first day of a month (YYYY-MM-01)`,
      },
    },
    options,
  );
}

/** A decimal format with an optional range. */
export interface DecimalRule extends DecimalFormat {
  min?: string;
  max?: string;
  /** refuse the minimum itself (e.g. hours must be > 0) */
  exclusiveMin?: boolean;
}

/** A decimal string that fits its numeric column and range; never a JS number (STYLE.md §15). */
export function IsDecimalString(rule: DecimalRule, options?: ValidationOptions): PropertyDecorator {
  const pattern = decimalPattern(rule);
  const range = [
    rule.min !== undefined ? `${rule.exclusiveMin ? 'greater than' : 'at least'} ${rule.min}` : '',
    rule.max !== undefined ? `at most ${rule.max}` : '',
  ].filter(Boolean);
  const sign = rule.signed || rule.min !== undefined ? '' : 'non-negative ';
  return ValidateBy(
    {
      name: 'isDecimalString',
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'string' || !pattern.test(value)) {
            return false;
          }
          const number = decimal(value);
          if (rule.min !== undefined && (rule.exclusiveMin ? number.lte(rule.min) : number.lt(rule.min))) {
            return false;
          }
          if (rule.max !== undefined && number.gt(rule.max)) {
            return false;
          }
          return true;
        },
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property} must be a ${sign}decimal string with at most ${rule.places} decimals` +
          (range.length ? `, ${range.join(' and ')}` : ''),
      },
    },
    options,
  );
}

/** A percentage from 0 to 100 written as a decimal string with at most `places` decimals. */
export function IsPercentString(places: number, options?: ValidationOptions): PropertyDecorator {
  const pattern = percentPattern(places);
  return ValidateBy(
    {
      name: 'isPercentString',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && pattern.test(value),
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property} must be a percentage from 0 to 100 with at most ${places} decimals`,
      },
    },
    options,
  );
}
