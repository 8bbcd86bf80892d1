import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { money, orderByKeys, type MoneyValue } from '@concord/common';
import { INCURRED_EXPENSE_STATUSES } from '../expense/expense.states';
import { DELIVERED_TIME_STATUSES } from '../time-entry/time-entry.states';

/** What a project has consumed so far, in its currency. */
export interface ProjectToDate {
  projectId: string;
  /** Σ costAmount of delivered time + Σ amount of incurred expenses */
  cost: string;
  /** Σ hours of delivered time */
  hours: string;
}

/**
 * Delivered cost and hours of many projects in ONE statement: ERP `@requires` costToDate for margins, so the
 * gateway asks for it through `_entities` for a whole page of projects at once.
 * Delivered = SUBMITTED, APPROVED or INVOICED (DRAFT, REJECTED and CANCELLED do not count).
 */
@Injectable()
export class ProjectCostService {
  private readonly toDate = new DataLoader<string, ProjectToDate>((projectIds) => this.load(projectIds), { cache: false });

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async costToDate(project: { id: string; currency: string }): Promise<MoneyValue> {
    const { cost } = await this.toDate.load(project.id);
    return money(cost, project.currency);
  }

  async hoursToDate(projectId: string): Promise<string> {
    return (await this.toDate.load(projectId)).hours;
  }

  private async load(projectIds: readonly string[]): Promise<ProjectToDate[]> {
    const ids = [...new Set(projectIds)];
    const rows: ProjectToDate[] = await this.dataSource.query(
      `SELECT project.id AS "projectId",
              (COALESCE(time_to_date.cost, 0) + COALESCE(expense_to_date.cost, 0))::numeric(18,2)::text AS "cost",
              COALESCE(time_to_date.hours, 0)::numeric(12,2)::text AS "hours"
         FROM unnest($1::uuid[]) AS project(id)
         LEFT JOIN (
           SELECT project_id, SUM(cost_amount) AS cost, SUM(hours) AS hours
             FROM psa.time_entry
            WHERE project_id = ANY($1::uuid[]) AND status = ANY($2::text[])
            GROUP BY project_id
         ) time_to_date ON time_to_date.project_id = project.id
         LEFT JOIN (
           SELECT project_id, SUM(amount) AS cost
             FROM psa.expense
            WHERE project_id = ANY($1::uuid[]) AND status = ANY($3::text[])
            GROUP BY project_id
         ) expense_to_date ON expense_to_date.project_id = project.id`,
      [ids, DELIVERED_TIME_STATUSES, INCURRED_EXPENSE_STATUSES],
    );
    return orderByKeys(projectIds, rows, (row) => row.projectId).map(
      (row, index) => row ?? { projectId: projectIds[index], cost: '0.00', hours: '0.00' },
    );
  }
}
