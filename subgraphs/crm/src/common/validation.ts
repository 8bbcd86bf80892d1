import { registerDecorator, type ValidationArguments } from 'class-validator';
import { decimal } from '@concord/common';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date as `YYYY-MM-DD` that exists (no 2025-02-30). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !ISO_DATE.test(value)) {
    return false;
  }
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

export function IsIsoDate(): PropertyDecorator {
  return (target, property) => {
    registerDecorator({
      name: 'isIsoDate',
      target: target.constructor,
      propertyName: String(property),
      validator: {
        validate: (value: unknown) => isIsoDate(value),
        defaultMessage: (args?: ValidationArguments) => `${args?.property} must be a date as YYYY-MM-DD`,
      },
    });
  };
}

export interface DecimalRule {
  /** digits before the point (the column's precision − scale) */
  integerDigits: number;
  /** digits after the point (the column's scale) */
  places: number;
  min?: string;
  max?: string;
  /** refuse the minimum itself (e.g. hours must be > 0) */
  exclusiveMin?: boolean;
}

/** A non-negative decimal string that fits its numeric column and range; never a JS number (STYLE.md §15). */
export function IsDecimalString(rule: DecimalRule): PropertyDecorator {
  const pattern = new RegExp(`^\\d{1,${rule.integerDigits}}(\\.\\d{1,${rule.places}})?$`);
  const range = [
    rule.min !== undefined ? `${rule.exclusiveMin ? 'greater than' : 'at least'} ${rule.min}` : '',
    rule.max !== undefined ? `at most ${rule.max}` : '',
  ].filter(Boolean);
  return (target, property) => {
    registerDecorator({
      name: 'isDecimalString',
      target: target.constructor,
      propertyName: String(property),
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
          `${args?.property} must be a decimal string with at most ${rule.places} decimals` +
          (range.length ? `, ${range.join(' and ')}` : ''),
      },
    });
  };
}
