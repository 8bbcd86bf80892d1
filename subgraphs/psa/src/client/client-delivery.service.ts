import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { groupByKeys, type MoneyValue } from '@concord/common';
import { ProjectHealth, ProjectStatus } from '../project/project.entity';
import { deliveredCostByOwner } from '../project-cost/owner-cost';

/** How many of a client's ACTIVE projects are RED and AMBER. */
export interface ClientProjectHealth {
  red: number;
  amber: number;
}

/**
 * The delivery inputs of a client's health (CRM `Client.health` requires them) and of its margin (ERP
 * `Client.margin` and `marginPct` require costToDate), each batched over every client of a request in one statement.
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
    (clientIds) => deliveredCostByOwner(this.dataSource, 'client_id', clientIds),
    {
      cache: false,
    },
  );

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  projectHealthOf(clientId: string): Promise<ClientProjectHealth> {
    return this.health.load(clientId);
  }

  costToDateOf(clientId: string): Promise<MoneyValue[]> {
    return this.cost.load(clientId);
  }
}
