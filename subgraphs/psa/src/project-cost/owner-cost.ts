import type { DataSource } from 'typeorm';
import { groupByKeys, money, type MoneyValue } from '@concord/common';
import { INCURRED_EXPENSE_STATUSES } from '../expense/expense.states';
import { DELIVERED_TIME_STATUSES } from '../time-entry/time-entry.states';

/** The project columns a delivered cost can be rolled up by: the CRM client or the ERP legal entity. */
export type CostOwnerColumn = 'client_id' | 'legal_entity_id';

/**
 * Σ cost of delivered time and incurred expenses of the projects of each owner, per project currency, in ONE
 * statement for every owner asked for (ERP's margins `@require` it for a whole page at once). An owner without
 * projects gets `[]`; amounts are per currency, never converted.
 */
export async function deliveredCostByOwner(
  dataSource: DataSource,
  owner: CostOwnerColumn,
  ownerIds: readonly string[],
): Promise<MoneyValue[][]> {
  const rows: { ownerId: string; currency: string; amount: string }[] = await dataSource.query(
    `SELECT project.${owner} AS "ownerId", project.currency,
            SUM(COALESCE(time_cost.amount, 0) + COALESCE(expense_cost.amount, 0))::numeric(18,2)::text AS amount
       FROM psa.project project
       LEFT JOIN LATERAL (
         SELECT SUM(cost_amount) AS amount FROM psa.time_entry WHERE project_id = project.id AND status = ANY($2::text[])
       ) time_cost ON true
       LEFT JOIN LATERAL (
         SELECT SUM(amount) AS amount FROM psa.expense WHERE project_id = project.id AND status = ANY($3::text[])
       ) expense_cost ON true
      WHERE project.${owner} = ANY($1::uuid[])
      GROUP BY project.${owner}, project.currency
      ORDER BY project.currency`,
    [[...ownerIds], DELIVERED_TIME_STATUSES, INCURRED_EXPENSE_STATUSES],
  );
  return groupByKeys(ownerIds, rows, (row) => row.ownerId).map((group) => group.map((row) => money(row.amount, row.currency)));
}
