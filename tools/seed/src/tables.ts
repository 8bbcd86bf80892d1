import type { BulkLoader, TableBuffer } from './bulk-writer';

/**
 * Every table the generator fills, in foreign-key order (parents first). Cross-schema links are plain uuid
 * columns, so only the order inside a schema matters. erp.billing_schedule_line and erp.invoice point at each
 * other: invoices go in first, then the schedule lines that name them, then the invoice lines that name both. Likewise
 * psa.assignment and psa.resource_request: assignments first, requests naming them, then one UPDATE links back.
 */
export const TABLES = {
  client: 'crm.client',
  contact: 'crm.contact',
  opportunity: 'crm.opportunity',
  quote: 'crm.quote',
  quoteLine: 'crm.quote_line',

  legalEntity: 'erp.legal_entity',
  currency: 'erp.currency',
  fxRate: 'erp.fx_rate',
  rateCard: 'erp.rate_card',
  rateCardLine: 'erp.rate_card_line',
  legalCustomer: 'erp.legal_customer',
  contract: 'erp.contract',
  contractLine: 'erp.contract_line',
  billingSchedule: 'erp.billing_schedule',
  invoice: 'erp.invoice',
  billingScheduleLine: 'erp.billing_schedule_line',
  invoiceLine: 'erp.invoice_line',
  payment: 'erp.payment',
  paymentAllocation: 'erp.payment_allocation',
  revenueEntry: 'erp.revenue_entry',
  invoiceNumberSequence: 'erp.invoice_number_sequence',
  intercompanyCharge: 'erp.intercompany_charge',

  resource: 'psa.resource',
  project: 'psa.project',
  milestone: 'psa.milestone',
  task: 'psa.task',
  changeOrder: 'psa.change_order',
  assignment: 'psa.assignment',
  resourceRequest: 'psa.resource_request',
  timeEntry: 'psa.time_entry',
  expense: 'psa.expense',
  utilizationPeriod: 'psa.utilization_period',
} as const;

export type TableName = keyof typeof TABLES;
export type Tables = Record<TableName, TableBuffer>;

export const SEEDED_SCHEMAS = ['crm', 'erp', 'psa'] as const;

/** Declares every table on the loader in foreign-key order; fails clearly when a migration is missing. */
export function openTables(loader: BulkLoader): Tables {
  const missing = Object.values(TABLES).filter((table) => !loader.hasTable(table));
  if (missing.length) {
    throw new Error(
      `missing tables ${missing.join(', ')}: the database is not migrated. Run \`npm start\` (or start the crm, erp and psa subgraphs once) to migrate first`,
    );
  }
  return Object.fromEntries(Object.entries(TABLES).map(([name, table]) => [name, loader.table(table)])) as Tables;
}
