import type { ClientBase } from 'pg';

/** One cross-system invariant: a query returning the ids of the rows that break it. */
interface Check {
  name: string;
  sql: string;
}

export interface Violation {
  check: string;
  count: number;
  /** A few offending ids, to start looking. */
  examples: string[];
}

/**
 * The invariants that hold between CRM, ERP and PSA data (ARCHITECTURE.md §3, DOMAIN.md §2), as SQL over the
 * three schemas of one database. Each query selects the id of every offending row.
 */
export const CHECKS: readonly Check[] = [
  {
    name: 'every ERP legal customer is a CRM client (same clientId)',
    sql: `SELECT customer.id FROM erp.legal_customer customer LEFT JOIN crm.client client ON client.id = customer.client_id WHERE client.id IS NULL`,
  },
  {
    name: "every contract's client is its legal customer's CRM client",
    sql: `SELECT contract.id FROM erp.contract contract
            JOIN erp.legal_customer customer ON customer.id = contract.customer_id
            LEFT JOIN crm.client client ON client.id = contract.client_id
           WHERE client.id IS NULL OR contract.client_id <> customer.client_id`,
  },
  {
    name: 'every project has its contract, with the same client and currency',
    sql: `SELECT project.id FROM psa.project project
            LEFT JOIN erp.contract contract ON contract.id = project.contract_id
            LEFT JOIN crm.client client ON client.id = project.client_id
           WHERE client.id IS NULL OR contract.id IS NULL OR contract.client_id <> project.client_id OR contract.currency <> project.currency
              OR project.legal_entity_id <> contract.legal_entity_id`,
  },
  {
    name: "a won opportunity points at its contract and project, of the opportunity's client, and has an accepted quote",
    sql: `SELECT opportunity.id FROM crm.opportunity opportunity
            LEFT JOIN erp.contract contract ON contract.id = opportunity.contract_id
            LEFT JOIN psa.project project ON project.id = opportunity.project_id
           WHERE opportunity.stage = 'CLOSED_WON'
             AND (contract.id IS NULL OR project.id IS NULL OR contract.client_id <> opportunity.client_id OR project.client_id <> opportunity.client_id
                  OR contract.opportunity_id <> opportunity.id OR project.opportunity_id <> opportunity.id
                  OR NOT EXISTS (SELECT 1 FROM crm.quote quote WHERE quote.opportunity_id = opportunity.id AND quote.status = 'ACCEPTED'))`,
  },
  {
    name: 'every time entry falls inside its assignment (dates, project and resource)',
    sql: `SELECT entry.id FROM psa.time_entry entry
            JOIN psa.assignment assignment ON assignment.id = entry.assignment_id
           WHERE entry.date < assignment.start_date OR entry.date > assignment.end_date
              OR entry.project_id <> assignment.project_id OR entry.resource_id <> assignment.resource_id OR entry.currency <> assignment.currency`,
  },
  {
    name: 'every time entry amount is its hours times its rate (cents, half-even)',
    sql: `SELECT entry.id FROM psa.time_entry entry
           WHERE entry.bill_amount <> round(entry.billable_hours * entry.bill_rate, 2) AND abs(entry.bill_amount - entry.billable_hours * entry.bill_rate) <> 0.005
              OR entry.cost_amount <> round(entry.hours * entry.cost_rate, 2) AND abs(entry.cost_amount - entry.hours * entry.cost_rate) <> 0.005`,
  },
  {
    name: 'every invoiced time entry is on a posted invoice of its project, on a TIME line of that invoice that lists it',
    sql: `SELECT entry.id FROM psa.time_entry entry
            LEFT JOIN erp.invoice invoice ON invoice.id = entry.invoice_id
            LEFT JOIN erp.invoice_line line ON line.id = entry.invoice_line_id
           WHERE entry.status = 'INVOICED'
             AND (invoice.id IS NULL OR invoice.status <> 'POSTED' OR invoice.project_id <> entry.project_id OR line.id IS NULL
                  OR line.invoice_id <> invoice.id OR line.source_type <> 'TIME' OR NOT entry.id = ANY(line.source_ids))`,
  },
  {
    name: 'every TIME invoice line bills exactly its entries: amount = sum of their bill amounts, qty = their billable hours',
    sql: `SELECT line.id FROM erp.invoice_line line
            LEFT JOIN LATERAL (
              SELECT count(*) AS entries, coalesce(sum(entry.bill_amount), 0) AS amount, coalesce(sum(entry.billable_hours), 0) AS hours,
                     bool_and(entry.invoice_line_id = line.id) AS linked
                FROM psa.time_entry entry WHERE entry.id = ANY(line.source_ids)
            ) billed ON true
           WHERE line.source_type = 'TIME'
             AND (billed.entries <> cardinality(line.source_ids) OR billed.amount <> line.amount OR billed.hours <> line.qty OR NOT billed.linked)`,
  },
  {
    name: 'every EXPENSE invoice line bills exactly its expenses',
    sql: `SELECT line.id FROM erp.invoice_line line
            LEFT JOIN LATERAL (
              SELECT count(*) AS expenses, coalesce(sum(expense.bill_amount), 0) AS amount, bool_and(expense.invoice_line_id = line.id AND expense.status = 'INVOICED') AS linked
                FROM psa.expense expense WHERE expense.id = ANY(line.source_ids)
            ) billed ON true
           WHERE line.source_type = 'EXPENSE' AND (billed.expenses <> cardinality(line.source_ids) OR billed.amount <> line.amount OR NOT billed.linked)`,
  },
  {
    name: "every invoice's totals add up: subtotal = its lines, total = subtotal + tax, amount due = total - posted allocations",
    sql: `SELECT invoice.id FROM erp.invoice invoice
            LEFT JOIN LATERAL (SELECT coalesce(sum(line.amount), 0) AS amount FROM erp.invoice_line line WHERE line.invoice_id = invoice.id) lines ON true
            LEFT JOIN LATERAL (
              SELECT coalesce(sum(allocation.allocated_amount), 0) AS amount FROM erp.payment_allocation allocation
                JOIN erp.payment payment ON payment.id = allocation.payment_id AND payment.status = 'POSTED'
               WHERE allocation.invoice_id = invoice.id
            ) paid ON true
           WHERE invoice.status = 'POSTED'
             AND (invoice.subtotal <> lines.amount OR invoice.total <> invoice.subtotal + invoice.tax OR invoice.amount_due <> invoice.total - paid.amount)`,
  },
  {
    name: 'every posted invoice bills its contract’s customer, client and legal entity',
    sql: `SELECT invoice.id FROM erp.invoice invoice
            JOIN erp.contract contract ON contract.id = invoice.contract_id
           WHERE invoice.customer_id <> contract.customer_id OR invoice.client_id <> contract.client_id OR invoice.legal_entity_id <> contract.legal_entity_id
              OR invoice.currency <> contract.currency`,
  },
  {
    name: 'contract consumed amount = subtotals of its posted invoices',
    sql: `SELECT contract.id FROM erp.contract contract
            LEFT JOIN LATERAL (SELECT coalesce(sum(invoice.subtotal), 0) AS amount FROM erp.invoice invoice WHERE invoice.contract_id = contract.id AND invoice.status = 'POSTED') billed ON true
           WHERE contract.consumed_amount <> billed.amount`,
  },
  {
    name: 'every payment = its allocations + unallocated amount, to invoices of the same customer and currency',
    sql: `SELECT payment.id FROM erp.payment payment
            LEFT JOIN LATERAL (
              SELECT coalesce(sum(allocation.allocated_amount), 0) AS amount, bool_and(invoice.customer_id = payment.customer_id AND invoice.currency = payment.currency) AS same
                FROM erp.payment_allocation allocation JOIN erp.invoice invoice ON invoice.id = allocation.invoice_id
               WHERE allocation.payment_id = payment.id
            ) allocated ON true
           WHERE payment.amount <> allocated.amount + payment.unallocated_amount OR allocated.same IS FALSE`,
  },
  {
    name: 'an INVOICED billing schedule line is billed by a line of its invoice',
    sql: `SELECT scheduled.id FROM erp.billing_schedule_line scheduled
           WHERE scheduled.status = 'INVOICED'
             AND NOT EXISTS (SELECT 1 FROM erp.invoice_line line WHERE line.billing_schedule_line_id = scheduled.id AND line.invoice_id = scheduled.invoice_id)`,
  },
  {
    name: 'a milestone on a contract line belongs to the project of that contract',
    sql: `SELECT milestone.id FROM psa.milestone milestone
            JOIN psa.project project ON project.id = milestone.project_id
            JOIN erp.contract_line line ON line.id = milestone.contract_line_id
           WHERE line.contract_id <> project.contract_id`,
  },
];

/** Runs every check; an empty list means the data is consistent across the three systems. */
export async function verifyInvariants(client: ClientBase, onCheck?: (check: string, count: number) => void): Promise<Violation[]> {
  const violations: Violation[] = [];
  for (const check of CHECKS) {
    const { rows } = await client.query<{ count: string; examples: string[] | null }>(
      `SELECT count(*) AS count, (array_agg(id::text ORDER BY id))[1:3] AS examples FROM (${check.sql}) offending (id)`,
    );
    const count = Number(rows[0].count);
    onCheck?.(check.name, count);
    if (count > 0) {
      violations.push({ check: check.name, count, examples: rows[0].examples ?? [] });
    }
  }
  return violations;
}
