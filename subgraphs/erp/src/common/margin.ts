import type { EntityManager } from 'typeorm';
import { BadInputError, decimal, money, type DecimalValue, type MoneyValue } from '@concord/common';
import { fxRateOf, loadFxRates } from './fx';

/**
 * Revenue − cost in each currency either has (sorted by currency), never converted: the figure the projects' own
 * margins add up to, currency by currency. A currency with cost and no revenue gets a negative margin.
 */
export function marginPerCurrency(revenue: readonly MoneyValue[], cost: readonly MoneyValue[]): MoneyValue[] {
  const totals = new Map<string, DecimalValue>();
  const add = (amount: MoneyValue, sign: 1 | -1) =>
    totals.set(amount.currency, (totals.get(amount.currency) ?? decimal(0)).plus(decimal(amount.amount).times(sign)));
  revenue.forEach((amount) => add(amount, 1));
  cost.forEach((amount) => add(amount, -1));
  return [...totals]
    .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
    .map(([currency, amount]) => money(amount, currency));
}

/**
 * (revenue − cost) / revenue × 100 with 2 decimals, every amount converted to `currency` at the FxRate of `onDate`;
 * null without revenue (or when it converts to 0). `subject` names what is compared in the missing-rate error.
 */
export async function marginPctIn(
  manager: EntityManager,
  currency: string,
  revenue: readonly MoneyValue[],
  cost: readonly MoneyValue[],
  onDate: string,
  subject: string,
): Promise<string | null> {
  if (revenue.length === 0) {
    return null;
  }
  const amounts = [...revenue, ...cost];
  const rates = await loadFxRates(
    manager,
    amounts.map((amount) => ({ from: amount.currency, to: currency })),
    onDate,
  );
  const inCurrency = (amount: MoneyValue): DecimalValue => {
    const rate = fxRateOf(rates, amount.currency, currency);
    if (!rate) {
      throw new BadInputError(`no FX rate from ${amount.currency} to ${currency}: record one to compare ${subject} amounts`, {
        from: amount.currency,
        to: currency,
      });
    }
    return decimal(amount.amount).times(rate);
  };
  const revenueTotal = revenue.reduce((sum, amount) => sum.plus(inCurrency(amount)), decimal(0));
  if (revenueTotal.isZero()) {
    return null;
  }
  const costTotal = cost.reduce((sum, amount) => sum.plus(inCurrency(amount)), decimal(0));
  return revenueTotal.minus(costTotal).dividedBy(revenueTotal).times(100).toFixed(2);
}
