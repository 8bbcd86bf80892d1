import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { money } from '@concord/common';
import { rateOf } from '@concord/graphql';
import type { ExpenseCategory } from '../expense/expense.entity';
import type { BillableWorkArgs } from './dtos/billable-work.input';
import { BillableWorkSourceType, type BillableWorkGroup } from './dtos/billable-work.output';

interface GroupRow {
  contractId: string;
  projectId: string;
  projectCode: string;
  sourceType: BillableWorkSourceType;
  billRate: string | null;
  category: ExpenseCategory | null;
  hours: string | null;
  amount: string;
  currency: string;
  from: string;
  to: string;
  count: number;
  sourceIds: string[];
}

/**
 * What a T&M invoice run bills (DOMAIN.md §2, time/expense-to-invoice): APPROVED, billable, uninvoiced time entries
 * and expenses dated up to the period end on the T&M projects of ERP contracts, already grouped the way an invoice
 * line bills them, with exact numeric sums and the source ids. One statement over the partial indexes of approved
 * billable work, so a run over 100k entries reads a few hundred rows instead of 100k entries.
 */
@Injectable()
export class BillableWorkService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async groups({ periodEnd, contractIds, projectIds }: BillableWorkArgs): Promise<BillableWorkGroup[]> {
    const rows: GroupRow[] = await this.dataSource.query(
      `WITH project AS (
         SELECT id, code, contract_id FROM psa.project
          WHERE contract_id IS NOT NULL AND billing_model = 'TM'
            AND ($2::uuid[] IS NULL OR contract_id = ANY($2::uuid[])) AND ($3::uuid[] IS NULL OR id = ANY($3::uuid[])))
       SELECT * FROM (
       SELECT project.contract_id AS "contractId", project.id AS "projectId", project.code AS "projectCode", 'TIME' AS "sourceType",
              entry.bill_rate::text AS "billRate", NULL AS category, SUM(entry.billable_hours)::text AS hours,
              SUM(entry.bill_amount)::text AS amount, entry.currency, MIN(entry.date)::text AS "from", MAX(entry.date)::text AS "to",
              COUNT(*)::int AS count, array_agg(entry.id ORDER BY entry.date, entry.id)::text[] AS "sourceIds"
         FROM psa.time_entry entry JOIN project ON project.id = entry.project_id
        WHERE entry.status = 'APPROVED' AND entry.billable_hours > 0 AND entry.invoice_id IS NULL AND entry.date <= $1::date
        GROUP BY project.contract_id, project.id, project.code, entry.bill_rate, entry.currency
       UNION ALL
       SELECT project.contract_id, project.id, project.code, 'EXPENSE', NULL, expense.category, NULL,
              SUM(expense.bill_amount)::text, expense.currency, MIN(expense.date)::text, MAX(expense.date)::text,
              COUNT(*)::int, array_agg(expense.id ORDER BY expense.date, expense.id)::text[]
         FROM psa.expense expense JOIN project ON project.id = expense.project_id
        WHERE expense.status = 'APPROVED' AND expense.billable AND expense.bill_amount > 0 AND expense.invoice_id IS NULL
          AND expense.date <= $1::date
        GROUP BY project.contract_id, project.id, project.code, expense.category, expense.currency
       ) billable ORDER BY "contractId", "projectCode", "sourceType" DESC, "billRate"::numeric, category`,
      [periodEnd, contractIds?.length ? contractIds : null, projectIds?.length ? projectIds : null],
    );
    return rows.map((row) => ({
      contractId: row.contractId,
      projectId: row.projectId,
      projectCode: row.projectCode,
      sourceType: row.sourceType,
      billRate: row.billRate === null ? null : rateOf(row.billRate, row.currency),
      category: row.category,
      hours: row.hours,
      amount: money(row.amount, row.currency),
      from: row.from,
      to: row.to,
      count: row.count,
      sourceIds: row.sourceIds,
    }));
  }
}
