import { Inject, Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { DataSource } from 'typeorm';
import { groupByKeys, money, type MoneyValue } from '@concord/common';
import { CLOCK, type Clock, type Money } from '@concord/graphql';
import { marginPctIn, marginPerCurrency } from '../common/margin';
import { InvoiceStatus } from '../invoice/invoice.states';

interface RevenueRow {
  clientId: string;
  currency: string;
  amount: string;
  /** the currency of the client's latest contract, on every row of the client */
  contractCurrency: string;
}

/**
 * The ERP inputs of the CRM's Client.health: the age of the oldest overdue receivable and the client's margin
 * (recognised revenue against PSA's cost, which the gateway passes in through `@requires`). Batched per request.
 */
@Injectable()
export class ClientHealthInputsService {
  private readonly overdue = new DataLoader<string, number>(
    async (clientIds) => {
      const today = this.clock.today();
      const rows: { clientId: string; days: number }[] = await this.dataSource.query(
        `SELECT client_id AS "clientId", MAX($2::date - due_date)::int AS days
           FROM erp.invoice
          WHERE client_id = ANY($1::uuid[]) AND status = $3 AND amount_due > 0 AND due_date < $2::date
          GROUP BY client_id`,
        [[...clientIds], today, InvoiceStatus.POSTED],
      );
      return groupByKeys(clientIds, rows, (row) => row.clientId).map(([row]) => row?.days ?? 0);
    },
    { cache: false },
  );

  private readonly revenue = new DataLoader<string, RevenueRow[]>(
    async (clientIds) => {
      const rows: RevenueRow[] = await this.dataSource.query(
        `SELECT contract.client_id AS "clientId", entry.currency, SUM(entry.recognized_amount)::text AS amount, latest.currency AS "contractCurrency"
           FROM erp.contract contract
           JOIN erp.revenue_entry entry ON entry.contract_id = contract.id
           JOIN (SELECT DISTINCT ON (client_id) client_id, currency FROM erp.contract
                  WHERE client_id = ANY($1::uuid[]) ORDER BY client_id, created_at DESC) latest ON latest.client_id = contract.client_id
          WHERE contract.client_id = ANY($1::uuid[])
          GROUP BY contract.client_id, entry.currency, latest.currency
          ORDER BY entry.currency`,
        [[...clientIds]],
      );
      return groupByKeys(clientIds, rows, (row) => row.clientId);
    },
    { cache: false },
  );

  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Days the oldest POSTED invoice with an amount due is past its due date; 0 when nothing is overdue. */
  oldestOverdueDays(clientId: string): Promise<number> {
    return this.overdue.load(clientId);
  }

  /** Recognised revenue of the client's contracts, per currency of its revenue entries (sorted by currency). */
  async revenueRecognized(clientId: string): Promise<MoneyValue[]> {
    return (await this.revenue.load(clientId)).map((row) => money(row.amount, row.currency));
  }

  /** Recognised revenue − cost to date in each currency, never converted; null without cost. */
  async margin(clientId: string, costToDate: readonly Money[] | null | undefined): Promise<MoneyValue[] | null> {
    return costToDate ? marginPerCurrency(await this.revenueRecognized(clientId), costToDate) : null;
  }

  /**
   * (recognised revenue − cost to date) / recognised revenue × 100, 2 decimals, in the currency of the client's
   * latest contract (others converted at today's FxRate). Null without cost or recognised revenue.
   */
  async marginPct(clientId: string, costToDate: readonly Money[] | null | undefined): Promise<string | null> {
    if (!costToDate) {
      return null;
    }
    const revenueRows = await this.revenue.load(clientId);
    if (revenueRows.length === 0) {
      return null;
    }
    return marginPctIn(
      this.dataSource.manager,
      revenueRows[0].contractCurrency,
      revenueRows.map((row) => ({ amount: row.amount, currency: row.currency })),
      costToDate,
      this.clock.today(),
      'client',
    );
  }
}
