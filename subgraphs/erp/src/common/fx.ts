import type { EntityManager } from 'typeorm';
import { decimal } from '@concord/common';
import { FxRateEntity } from '../currency/fx-rate.entity';

/** `from → to` rate with 6 decimals as of a date: the latest rate of the pair, or the inverse of its reverse pair. */
export type FxRates = Map<string, string>;

const pairKey = (from: string, to: string) => `${from}${to}`;

/**
 * The batched twin of FxRateService.rateOn (same rule) for read paths over many rows:
 * rates of many currency pairs as of one date, in ONE statement: the latest rate dated on or before `onDate` of
 * each pair, or 1 / the latest rate of the reverse pair when only that one is quoted.
 */
export async function loadFxRates(
  manager: EntityManager,
  pairs: readonly { from: string; to: string }[],
  onDate: string,
): Promise<FxRates> {
  const rates: FxRates = new Map();
  const wanted = pairs.filter(({ from, to }) => from !== to);
  for (const { from, to } of pairs) {
    if (from === to) {
      rates.set(pairKey(from, to), '1.000000');
    }
  }
  if (wanted.length === 0) {
    return rates;
  }
  const keys = [...new Set(wanted.flatMap(({ from, to }) => [pairKey(from, to), pairKey(to, from)]))];
  const rows = await manager
    .getRepository(FxRateEntity)
    .createQueryBuilder('fx')
    .distinctOn(['fx.fromCurrency', 'fx.toCurrency'])
    .where('fx.fromCurrency || fx.toCurrency = ANY(:keys)', { keys })
    .andWhere('fx.date <= :onDate', { onDate })
    .orderBy('fx.fromCurrency')
    .addOrderBy('fx.toCurrency')
    .addOrderBy('fx.date', 'DESC')
    .getMany();
  const quoted = new Map(rows.map((row) => [pairKey(row.fromCurrency, row.toCurrency), row.rate]));
  for (const { from, to } of wanted) {
    const direct = quoted.get(pairKey(from, to));
    const reverse = quoted.get(pairKey(to, from));
    if (direct) {
      rates.set(pairKey(from, to), decimal(direct).toFixed(6));
    } else if (reverse) {
      rates.set(pairKey(from, to), decimal(1).dividedBy(reverse).toFixed(6));
    }
  }
  return rates;
}

export function fxRateOf(rates: FxRates, from: string, to: string): string | null {
  return rates.get(pairKey(from, to)) ?? null;
}
