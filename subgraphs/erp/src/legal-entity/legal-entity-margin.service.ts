import { Inject, Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { DataSource } from 'typeorm';
import { groupByKeys, money, type MoneyValue } from '@concord/common';
import { CLOCK, type Clock, type Money } from '@concord/graphql';
import { marginPctIn, marginPerCurrency } from '../common/margin';

/**
 * A legal entity's gross margin (DOMAIN.md §3): revenue recognised on its contracts against the cost PSA reports
 * for the projects it delivers (which the gateway passes in through `@requires`). Revenue is batched per request.
 */
@Injectable()
export class LegalEntityMarginService {
  private readonly revenue = new DataLoader<string, MoneyValue[]>(
    async (legalEntityIds) => {
      const rows: { legalEntityId: string; currency: string; amount: string }[] = await this.dataSource.query(
        `SELECT contract.legal_entity_id AS "legalEntityId", entry.currency, SUM(entry.recognized_amount)::text AS amount
           FROM erp.contract contract
           JOIN erp.revenue_entry entry ON entry.contract_id = contract.id
          WHERE contract.legal_entity_id = ANY($1::uuid[])
          GROUP BY contract.legal_entity_id, entry.currency
          ORDER BY entry.currency`,
        [[...legalEntityIds]],
      );
      return groupByKeys(legalEntityIds, rows, (row) => row.legalEntityId).map((group) =>
        group.map((row) => money(row.amount, row.currency)),
      );
    },
    { cache: false },
  );

  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Σ revenue entries of the entity's contracts, per currency of the entries (sorted by currency). */
  revenueRecognized(legalEntityId: string): Promise<MoneyValue[]> {
    return this.revenue.load(legalEntityId);
  }

  /** revenueRecognized − costToDate in each currency, never converted; null without cost. */
  async margin(legalEntityId: string, costToDate: readonly Money[] | null | undefined): Promise<MoneyValue[] | null> {
    return costToDate ? marginPerCurrency(await this.revenue.load(legalEntityId), costToDate) : null;
  }

  /**
   * (revenue − cost) / revenue × 100 with 2 decimals, in the entity's functional currency (other currencies
   * converted at today's FxRate); null without cost or revenue.
   */
  async marginPct(
    legalEntity: { id: string; functionalCurrency: string },
    costToDate: readonly Money[] | null | undefined,
  ): Promise<string | null> {
    if (!costToDate) {
      return null;
    }
    const revenue = await this.revenue.load(legalEntity.id);
    return marginPctIn(this.dataSource.manager, legalEntity.functionalCurrency, revenue, costToDate, this.clock.today(), 'legal entity');
  }
}
