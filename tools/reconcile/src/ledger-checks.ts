import { fxRateOn, roundHalfEven } from './sql';

/**
 * One money invariant over the CRM, ERP and PSA schemas of one database: a query selecting `(id, detail)` of every
 * row that breaks it, `detail` saying what was expected and what is stored. Amounts are compared as `numeric`,
 * never as JS numbers.
 */
export interface LedgerCheck {
  name: string;
  sql: string;
}

/** Time entries that count as delivered cost (psa project-cost: SUBMITTED, APPROVED, INVOICED). */
export const DELIVERED_TIME_STATUSES = ['SUBMITTED', 'APPROVED', 'INVOICED'] as const;
/** Expenses that count as incurred cost (psa project-cost: SUBMITTED, APPROVED, INVOICED). */
export const INCURRED_EXPENSE_STATUSES = ['SUBMITTED', 'APPROVED', 'INVOICED'] as const;

/** `billed` for a line whose PSA sources are `table` rows (time_entry or expense), with the source amount column. */
function sourcedLineCheck(sourceType: 'TIME' | 'EXPENSE', table: 'time_entry' | 'expense'): string {
  const hours = table === 'time_entry' ? 'coalesce(sum(source.billable_hours), 0)' : 'NULL::numeric';
  return `SELECT line.id, format('amount %s, qty %s; its %s %s source(s) of %s bill %s%s%s', line.amount, line.qty, billed.found,
                  '${table}', cardinality(line.source_ids), billed.amount,
                  CASE WHEN billed.hours IS NULL THEN '' ELSE format(' for %s h', billed.hours) END,
                  CASE WHEN billed.linked THEN '' ELSE ', not all of them INVOICED on this line and invoice' END)
            FROM erp.invoice_line line
            JOIN erp.invoice invoice ON invoice.id = line.invoice_id
            LEFT JOIN LATERAL (
              SELECT count(*) AS found, coalesce(sum(source.bill_amount), 0) AS amount, ${hours} AS hours,
                     coalesce(bool_and(source.invoice_line_id = line.id AND source.invoice_id = line.invoice_id AND source.currency = line.currency
                                       AND (invoice.status <> 'POSTED' OR source.status = 'INVOICED')), true) AS linked
                FROM psa.${table} source WHERE source.id = ANY(line.source_ids)
            ) billed ON true
           WHERE line.source_type = '${sourceType}' AND invoice.status <> 'CANCELLED'
             AND (cardinality(line.source_ids) = 0 OR billed.found <> cardinality(line.source_ids) OR billed.amount <> line.amount
                  OR (billed.hours IS NOT NULL AND billed.hours <> line.qty) OR NOT billed.linked)`;
}

/** An INVOICED source (time entry or expense) is listed by exactly one line of a live invoice: its own. */
function invoicedSourceCheck(table: 'time_entry' | 'expense'): string {
  return `SELECT source.id, format('invoice line %s, listed by %s line(s): %s', source.invoice_line_id, listed.lines, listed.ids)
            FROM psa.${table} source
            LEFT JOIN LATERAL (
              SELECT count(*) AS lines, string_agg(line.id::text, ', ' ORDER BY line.id) AS ids, bool_and(line.id = source.invoice_line_id) AS own
                FROM erp.invoice_line line JOIN erp.invoice invoice ON invoice.id = line.invoice_id AND invoice.status <> 'CANCELLED'
               WHERE source.id = ANY(line.source_ids)
            ) listed ON true
           WHERE source.status = 'INVOICED' AND (listed.lines <> 1 OR NOT listed.own OR source.invoice_line_id IS NULL)`;
}

/**
 * The money invariants of DOMAIN.md §1–2 as the services maintain them (issue 6's reconciliation): invoices add
 * up from their lines and their lines from the PSA work they bill at the rates snapshotted on it; payments from
 * their allocations; contracts' consumption from their posted invoices; base amounts from the FX rate of their date;
 * the revenue ledger from its periods.
 */
export const LEDGER_CHECKS: readonly LedgerCheck[] = [
  {
    name: 'invoice line amount = qty × rate (half-even to cents)',
    sql: `SELECT line.id, format('qty %s × rate %s = %s, stored %s', line.qty, line.rate, ${roundHalfEven('line.qty * line.rate')}, line.amount)
            FROM erp.invoice_line line
           WHERE line.amount <> ${roundHalfEven('line.qty * line.rate')}`,
  },
  {
    name: 'invoice subtotal = Σ line amounts, tax = subtotal × tax rate (half-even), total = subtotal + tax',
    sql: `SELECT invoice.id, format('lines %s, subtotal %s, tax %s at %s %%, total %s', lines.amount, invoice.subtotal, invoice.tax, invoice.tax_rate, invoice.total)
            FROM erp.invoice invoice
            LEFT JOIN LATERAL (SELECT coalesce(sum(line.amount), 0) AS amount FROM erp.invoice_line line WHERE line.invoice_id = invoice.id) lines ON true
           WHERE invoice.subtotal <> lines.amount
              OR invoice.tax <> ${roundHalfEven('invoice.subtotal * invoice.tax_rate / 100')}
              OR invoice.total <> invoice.subtotal + invoice.tax`,
  },
  {
    name: 'posted invoice amount due = total − allocations of posted payments',
    sql: `SELECT invoice.id, format('total %s − allocated %s = %s, amount due %s', invoice.total, paid.amount, invoice.total - paid.amount, invoice.amount_due)
            FROM erp.invoice invoice
            LEFT JOIN LATERAL (
              SELECT coalesce(sum(allocation.allocated_amount), 0) AS amount FROM erp.payment_allocation allocation
                JOIN erp.payment payment ON payment.id = allocation.payment_id AND payment.status = 'POSTED'
               WHERE allocation.invoice_id = invoice.id
            ) paid ON true
           WHERE invoice.status = 'POSTED' AND invoice.amount_due <> invoice.total - paid.amount`,
  },
  {
    name: 'every invoice line is in its invoice currency',
    sql: `SELECT line.id, format('line %s, invoice %s', line.currency, invoice.currency)
            FROM erp.invoice_line line JOIN erp.invoice invoice ON invoice.id = line.invoice_id
           WHERE line.currency <> invoice.currency`,
  },
  {
    // costToDate sums both as the project's currency (psa project-cost), margin subtracts it from revenue
    name: "every time entry and expense is in its project's currency",
    sql: `SELECT source.id, format('%s %s on a %s project', source.kind, source.currency, project.currency)
            FROM (SELECT id, project_id, currency, 'time entry' AS kind FROM psa.time_entry
                  UNION ALL SELECT id, project_id, currency, 'expense' FROM psa.expense) source
            JOIN psa.project project ON project.id = source.project_id
           WHERE source.currency <> project.currency`,
  },
  {
    name: 'time entry bill amount = billable hours × snapshotted bill rate, cost amount = hours × cost rate (half-even)',
    sql: `SELECT entry.id, format('%s h × %s = %s, billed %s; %s h × %s = %s, cost %s', entry.billable_hours, entry.bill_rate,
                  ${roundHalfEven('entry.billable_hours * entry.bill_rate')}, entry.bill_amount, entry.hours, entry.cost_rate,
                  ${roundHalfEven('entry.hours * entry.cost_rate')}, entry.cost_amount)
            FROM psa.time_entry entry
           WHERE entry.bill_amount <> ${roundHalfEven('entry.billable_hours * entry.bill_rate')}
              OR entry.cost_amount <> ${roundHalfEven('entry.hours * entry.cost_rate')}`,
  },
  {
    name: 'expense bill amount = amount × (1 + markup %) when billable, else 0 (half-even)',
    sql: `SELECT expense.id, format('amount %s, markup %s %%, billable %s, bill amount %s', expense.amount, expense.markup_pct, expense.billable, expense.bill_amount)
            FROM psa.expense expense
           WHERE expense.bill_amount <> CASE WHEN expense.billable THEN ${roundHalfEven('expense.amount * (1 + expense.markup_pct / 100)')} ELSE 0 END`,
  },
  {
    name: 'every TIME line = Σ bill amounts (and billable hours) of the time entries it lists, each INVOICED on that line',
    sql: sourcedLineCheck('TIME', 'time_entry'),
  },
  {
    name: 'every EXPENSE line = Σ bill amounts of the expenses it lists, each INVOICED on that line',
    sql: sourcedLineCheck('EXPENSE', 'expense'),
  },
  {
    name: 'every INVOICED time entry is listed by exactly one invoice line: its own',
    sql: invoicedSourceCheck('time_entry'),
  },
  {
    name: 'every INVOICED expense is listed by exactly one invoice line: its own',
    sql: invoicedSourceCheck('expense'),
  },
  {
    name: 'payment amount = Σ allocations + unallocated amount',
    sql: `SELECT payment.id, format('amount %s, allocated %s + unallocated %s', payment.amount, allocated.amount, payment.unallocated_amount)
            FROM erp.payment payment
            LEFT JOIN LATERAL (SELECT coalesce(sum(allocation.allocated_amount), 0) AS amount FROM erp.payment_allocation allocation WHERE allocation.payment_id = payment.id) allocated ON true
           WHERE payment.amount <> allocated.amount + payment.unallocated_amount`,
  },
  {
    // invoice.service post() adds the subtotal to the contract, cancel() gives it back
    name: 'contract consumed amount = Σ subtotals of its posted invoices',
    sql: `SELECT contract.id, format('consumed %s, posted invoices %s', contract.consumed_amount, billed.amount)
            FROM erp.contract contract
            LEFT JOIN LATERAL (SELECT coalesce(sum(invoice.subtotal), 0) AS amount FROM erp.invoice invoice WHERE invoice.contract_id = contract.id AND invoice.status = 'POSTED') billed ON true
           WHERE contract.consumed_amount <> billed.amount`,
  },
  {
    name: "posted invoice base total = total × the FX rate of its issue date to its legal entity's currency (half-even)",
    sql: `SELECT invoice.id, format('%s %s on %s: rate %s (expected %s), base %s %s (expected %s)', invoice.total, invoice.currency, invoice.issue_date,
                  invoice.fx_rate, expected.rate, invoice.base_total, invoice.base_currency, ${roundHalfEven('invoice.total * expected.rate')})
            FROM erp.invoice invoice
            JOIN erp.legal_entity entity ON entity.id = invoice.legal_entity_id
            CROSS JOIN LATERAL (SELECT ${fxRateOn('invoice.currency', 'entity.functional_currency', 'invoice.issue_date')} AS rate) expected
           WHERE invoice.status = 'POSTED'
             AND (expected.rate IS NULL OR invoice.fx_rate IS DISTINCT FROM expected.rate OR invoice.base_currency IS DISTINCT FROM entity.functional_currency
                  OR invoice.base_total IS DISTINCT FROM ${roundHalfEven('invoice.total * expected.rate')})`,
  },
  {
    name: "posted payment base amount = amount × the FX rate of its date to its legal entity's currency (half-even)",
    sql: `SELECT payment.id, format('%s %s on %s: rate %s (expected %s), base %s %s (expected %s)', payment.amount, payment.currency, payment.date,
                  payment.fx_rate, expected.rate, payment.base_amount, payment.base_currency, ${roundHalfEven('payment.amount * expected.rate')})
            FROM erp.payment payment
            JOIN erp.legal_entity entity ON entity.id = payment.legal_entity_id
            CROSS JOIN LATERAL (SELECT ${fxRateOn('payment.currency', 'entity.functional_currency', 'payment.date')} AS rate) expected
           WHERE payment.status = 'POSTED'
             AND (expected.rate IS NULL OR payment.fx_rate IS DISTINCT FROM expected.rate OR payment.base_currency IS DISTINCT FROM entity.functional_currency
                  OR payment.base_amount IS DISTINCT FROM ${roundHalfEven('payment.amount * expected.rate')})`,
  },
  {
    name: "revenue entry cumulative = Σ recognized of its contract line up to its period, in its contract's currency, on its contract's project",
    sql: `SELECT entry.id, format('recognized %s, cumulative %s (running Σ %s), %s vs contract %s', entry.recognized_amount, entry.cumulative_recognized,
                  running.amount, entry.currency, contract.currency)
            FROM erp.revenue_entry entry
            JOIN erp.contract contract ON contract.id = entry.contract_id
            JOIN erp.contract_line line ON line.id = entry.contract_line_id
            LEFT JOIN psa.project project ON project.id = entry.project_id
            CROSS JOIN LATERAL (
              SELECT sum(earlier.recognized_amount) AS amount FROM erp.revenue_entry earlier
               WHERE earlier.contract_line_id = entry.contract_line_id AND earlier.period <= entry.period
            ) running
           WHERE entry.cumulative_recognized <> running.amount OR entry.currency <> contract.currency OR line.contract_id <> entry.contract_id
              OR (entry.project_id IS NOT NULL AND project.contract_id IS DISTINCT FROM entry.contract_id)`,
  },
  {
    // revenue-entry.service: billed = posted invoice lines of the contract line issued by the period's end; unbilled
    // (WIP) and deferred are the two sides of cumulative − billed
    name: 'revenue entry billed to date = posted invoice lines of its contract line by the period end; unbilled, deferred = cumulative − billed',
    sql: `SELECT entry.id, format('cumulative %s, billed %s (invoice lines %s), unbilled %s, deferred %s', entry.cumulative_recognized,
                  entry.billed_to_date, billed.amount, entry.unbilled, entry.deferred)
            FROM erp.revenue_entry entry
            CROSS JOIN LATERAL (
              SELECT coalesce(sum(line.amount), 0) AS amount FROM erp.invoice_line line
                JOIN erp.invoice invoice ON invoice.id = line.invoice_id
               WHERE line.contract_line_id = entry.contract_line_id AND invoice.status = 'POSTED' AND invoice.currency = entry.currency
                 AND invoice.issue_date < entry.period + interval '1 month'
            ) billed
           WHERE entry.billed_to_date <> greatest(billed.amount, 0)
              OR entry.unbilled <> greatest(entry.cumulative_recognized - entry.billed_to_date, 0)
              OR entry.deferred <> greatest(entry.billed_to_date - entry.cumulative_recognized, 0)`,
  },
];
