import { Directive, Field, ObjectType } from '@nestjs/graphql';
import { decimalString, money, type MoneyValue } from '@concord/common';

/** `Money { amount: String!, currency: String! }`: a decimal string and an ISO-4217 code; shared by all subgraphs. */
@ObjectType('Money', { description: 'An amount of money: a decimal string (never a float) and an ISO-4217 currency.' })
@Directive('@shareable')
export class Money implements MoneyValue {
  @Field({ description: 'Decimal string, e.g. "1250.00".' })
  amount: string;

  @Field({ description: 'ISO-4217 currency code, e.g. "EUR".' })
  currency: string;
}

/** Builds a Money from a numeric column and the row's currency; null when the amount is null. */
export function moneyOf(amount: string | null | undefined, currency: string): Money | null {
  return amount === null || amount === undefined ? null : money(amount, currency);
}

/**
 * A rate as Money: at least 2 decimals, more only when the stored rate has them ("150.00", "33.333333"), so a
 * rate with sub-cent precision is shown as it is used in amounts; null when the amount is null.
 */
export function rateOf(amount: string, currency: string): Money;
export function rateOf(amount: string | null | undefined, currency: string): Money | null;
export function rateOf(amount: string | null | undefined, currency: string): Money | null {
  return amount === null || amount === undefined ? null : { amount: decimalString(amount), currency };
}
