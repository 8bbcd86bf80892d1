import { applyDecorators } from '@nestjs/common';
import { Field, ID, type FieldOptions, type ReturnTypeFunc } from '@nestjs/graphql';
import { IsOptional, IsUUID, Matches } from 'class-validator';
import { CURRENCY } from '@concord/common';
import { IsDecimalString, IsIsoDate, IsIsoDateShape, IsPercentString, type DecimalRule } from './validators';

/**
 * Input fields of the same kind declared once: the GraphQL type and the validation that go together. A
 * `nullable` field is optional in the input (`null` or absent skips validation), the others are required.
 */
export interface InputFieldOptions {
  nullable?: boolean;
  description?: string;
}

function field(type: ReturnTypeFunc, { nullable, description }: InputFieldOptions): PropertyDecorator[] {
  // only the keys the stacks it replaces passed, so the generated schema is the same
  const options: FieldOptions = nullable ? { nullable: true } : {};
  if (description !== undefined) {
    options.description = description;
  }
  return nullable ? [Field(type, options), IsOptional()] : [Field(type, options)];
}

/** `ID` holding a UUID. */
export function IdField(options: InputFieldOptions = {}): PropertyDecorator {
  return applyDecorators(...field(() => ID, options), IsUUID());
}

export interface IsoDateFieldOptions extends InputFieldOptions {
  /**
   * `shape`: check only the form here (month 01–12, day 01–31) and leave an impossible day (2025-02-30) to the
   * service, which refuses it naming the field (PSA). Default `calendar`: refuse it here.
   */
  check?: 'calendar' | 'shape';
}

/** `String` holding an ISO date, YYYY-MM-DD. */
export function IsoDateField({ check = 'calendar', ...options }: IsoDateFieldOptions = {}): PropertyDecorator {
  return applyDecorators(...field(() => String, options), check === 'calendar' ? IsIsoDate() : IsIsoDateShape());
}

/** `String` holding an ISO-4217 currency code such as EUR. */
export function CurrencyField(options: InputFieldOptions = {}): PropertyDecorator {
  return applyDecorators(...field(() => String, options), Matches(CURRENCY, { message: '$property must be an ISO-4217 code such as EUR' }));
}

/** `String` holding a decimal (money amount, rate, hours, quantity) that fits its column and range. */
export function DecimalField(rule: DecimalRule, options: InputFieldOptions = {}): PropertyDecorator {
  return applyDecorators(...field(() => String, options), IsDecimalString(rule));
}

/** `String` holding a percentage from 0 to 100 with at most `places` decimals. */
export function PercentField(places: number, options: InputFieldOptions = {}): PropertyDecorator {
  return applyDecorators(...field(() => String, options), IsPercentString(places));
}
