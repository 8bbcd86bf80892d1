import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { BadInputError, money } from '@concord/common';
import type { BillableWorkSourceType } from './dtos/billable-work.output';
import type { RevenueDeliveriesArgs } from './dtos/revenue-deliveries.input';
import type { ProjectProgress, RevenueDeliveries } from './dtos/revenue-deliveries.output';

interface DeliveryRow {
  contractId: string;
  projectId: string;
  contractLineId: string | null;
  sourceType: BillableWorkSourceType;
  amount: string;
  currency: string;
  count: number;
}

/**
 * What revenue recognition reads from PSA (issue 6): billable work delivered in a period — APPROVED and INVOICED
 * time entries and expenses dated in it, whether billed yet or not — summed per project, contract line (the time
 * entry's task's) and currency, on the projects of ERP contracts, as billableWork groups its sources; and each
 * project's percent complete with the contract lines its tasks deliver.
 */
@Injectable()
export class RevenueDeliveryService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async deliveries({ from, to, contractIds }: RevenueDeliveriesArgs): Promise<RevenueDeliveries> {
    if (from > to) {
      throw new BadInputError(`from (${from}) is after to (${to})`, { field: 'from' });
    }
    const contracts = contractIds?.length ? contractIds : null;
    const rows: DeliveryRow[] = await this.dataSource.query(
      `WITH project AS (
         SELECT id, code, contract_id FROM psa.project WHERE contract_id IS NOT NULL AND ($3::uuid[] IS NULL OR contract_id = ANY($3::uuid[])))
       SELECT "contractId", "projectId", "contractLineId", "sourceType", amount, currency, count FROM (
       SELECT project.contract_id AS "contractId", project.id AS "projectId", project.code, task.contract_line_id AS "contractLineId",
              'TIME' AS "sourceType", SUM(entry.bill_amount)::text AS amount, entry.currency, COUNT(*)::int AS count
         FROM psa.time_entry entry JOIN project ON project.id = entry.project_id LEFT JOIN psa.task task ON task.id = entry.task_id
        WHERE entry.status IN ('APPROVED', 'INVOICED') AND entry.billable_hours > 0 AND entry.date BETWEEN $1::date AND $2::date
        GROUP BY project.contract_id, project.id, project.code, task.contract_line_id, entry.currency
       UNION ALL
       SELECT project.contract_id, project.id, project.code, NULL, 'EXPENSE', SUM(expense.bill_amount)::text, expense.currency, COUNT(*)::int
         FROM psa.expense expense JOIN project ON project.id = expense.project_id
        WHERE expense.status IN ('APPROVED', 'INVOICED') AND expense.billable AND expense.bill_amount > 0
          AND expense.date BETWEEN $1::date AND $2::date
        GROUP BY project.contract_id, project.id, project.code, expense.currency
       ) delivered ORDER BY "contractId", code, "sourceType" DESC, "contractLineId", currency`,
      [from, to, contracts],
    );
    const progress: ProjectProgress[] = await this.dataSource.query(
      `SELECT project.id AS "projectId", project.contract_id AS "contractId", project.percent_complete::text AS "percentComplete",
              COALESCE(array_agg(DISTINCT task.contract_line_id) FILTER (WHERE task.contract_line_id IS NOT NULL), '{}')::text[] AS "contractLineIds"
         FROM psa.project project LEFT JOIN psa.task task ON task.project_id = project.id
        WHERE project.contract_id IS NOT NULL AND project.status <> 'CANCELLED' AND ($1::uuid[] IS NULL OR project.contract_id = ANY($1::uuid[]))
        GROUP BY project.id ORDER BY project.contract_id, project.code`,
      [contracts],
    );
    return {
      delivered: rows.map((row) => ({
        contractId: row.contractId,
        projectId: row.projectId,
        contractLineId: row.contractLineId,
        sourceType: row.sourceType,
        amount: money(row.amount, row.currency),
        count: row.count,
      })),
      progress,
    };
  }
}
