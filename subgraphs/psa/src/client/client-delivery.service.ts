import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { groupByKeys, money, type MoneyValue } from '@concord/common';
import { INCURRED_EXPENSE_STATUSES } from '../expense/expense.states';
import { ProjectHealth, ProjectStatus } from '../project/project.entity';
import { DELIVERED_TIME_STATUSES } from '../time-entry/time-entry.states';

/** How many of a client's ACTIVE projects are RED and AMBER. */
export interface ClientProjectHealth {
  red: number;
  amber: number;
}

/**
 * The delivery inputs of a client's health (CRM `Client.health` requires them) and of its margin (ERP
 * `Client.marginPct` requires costToDate), each batched over every client of a request in one statement.
 */
@Injectable()
export class ClientDeliveryService {
  private readonly health = new DataLoader<string, ClientProjectHealth>(
    async (clientIds) => {
      const rows: { clientId: string; red: number; amber: number }[] = await this.dataSource.query(
        `SELECT client_id AS "clientId", COUNT(*) FILTER (WHERE health = $3)::int AS red, COUNT(*) FILTER (WHERE health = $4)::int AS amber
           FROM psa.project WHERE client_id = ANY($1::uuid[]) AND status = $2 GROUP BY client_id`,
        [[...clientIds], ProjectStatus.ACTIVE, ProjectHealth.RED, ProjectHealth.AMBER],
      );
      return groupByKeys(clientIds, rows, (row) => row.clientId).map(([row]) => ({ red: row?.red ?? 0, amber: row?.amber ?? 0 }));
    },
    { cache: false },
  );

  private readonly cost = new DataLoader<string, MoneyValue[]>(
    async (clientIds) => {
      const rows: { clientId: string; currency: string; amount: string }[] = await this.dataSource.query(
        `SELECT project.client_id AS "clientId", project.currency,
                SUM(COALESCE(time_cost.amount, 0) + COALESCE(expense_cost.amount, 0))::numeric(18,2)::text AS amount
           FROM psa.project project
           LEFT JOIN LATERAL (
             SELECT SUM(cost_amount) AS amount FROM psa.time_entry WHERE project_id = project.id AND status = ANY($2::text[])
           ) time_cost ON true
           LEFT JOIN LATERAL (
             SELECT SUM(amount) AS amount FROM psa.expense WHERE project_id = project.id AND status = ANY($3::text[])
           ) expense_cost ON true
          WHERE project.client_id = ANY($1::uuid[])
          GROUP BY project.client_id, project.currency
          ORDER BY project.currency`,
        [[...clientIds], DELIVERED_TIME_STATUSES, INCURRED_EXPENSE_STATUSES],
      );
      return groupByKeys(clientIds, rows, (row) => row.clientId).map((group) => group.map((row) => money(row.amount, row.currency)));
    },
    { cache: false },
  );

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  projectHealthOf(clientId: string): Promise<ClientProjectHealth> {
    return this.health.load(clientId);
  }

  costToDateOf(clientId: string): Promise<MoneyValue[]> {
    return this.cost.load(clientId);
  }
}
