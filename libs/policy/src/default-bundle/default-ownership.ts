import type { OwnershipRule, SystemOfRecord } from '../bundle';

/**
 * The systems of record of DOMAIN.md §1 ("Owner" column), by GraphQL type. `fields` names the exceptions: a field
 * another system resolves (ERP's figures on `Client` and `Project`, PSA's `Client.projects`) or a fact of another
 * system stored here (the invoice a time entry or expense was billed on is ERP's). References written by workflows
 * stay with the entity's owner (an opportunity's contract and project are still the CRM record), and so do
 * snapshots (`Assignment.billRate` defaults from an ERP rate card but is PSA's copy). Changes to contracts,
 * invoices, payments and revenue need a second data steward's approval.
 */
export const DEFAULT_OWNERSHIP: Readonly<Record<string, OwnershipRule>> = {
  // CRM: commercial intent
  Client: {
    owner: 'crm',
    fields: {
      legalCustomer: 'erp',
      contracts: 'erp',
      invoices: 'erp',
      arBalance: 'erp',
      financeKpis: 'erp',
      // client health's inputs (CRM's Client.health @requires them)
      oldestOverdueDays: 'erp',
      marginPct: 'erp',
      margin: 'erp',
      projects: 'psa',
      activeProjectsRed: 'psa',
      activeProjectsAmber: 'psa',
      costToDate: 'psa',
    },
  },
  Contact: { owner: 'crm' },
  Opportunity: { owner: 'crm' },
  Quote: { owner: 'crm' },
  QuoteLine: { owner: 'crm' },
  // PSA: delivery facts
  Project: {
    owner: 'psa',
    fields: {
      revenueRecognized: 'erp',
      billedToDate: 'erp',
      margin: 'erp',
      marginPct: 'erp',
      invoices: 'erp',
      revenueEntries: 'erp',
      financeKpis: 'erp',
    },
  },
  Task: { owner: 'psa' },
  Milestone: { owner: 'psa' },
  Resource: { owner: 'psa' },
  ResourceRequest: { owner: 'psa' },
  Assignment: { owner: 'psa' },
  TimeEntry: { owner: 'psa', fields: { invoiceId: 'erp', invoiceLineId: 'erp' }, stored: ['invoiceId', 'invoiceLineId'] },
  Expense: { owner: 'psa', fields: { invoiceId: 'erp', invoiceLineId: 'erp' }, stored: ['invoiceId', 'invoiceLineId'] },
  ChangeOrder: { owner: 'psa' },
  UtilizationPeriod: { owner: 'psa' },
  // ERP: legal and financial truth
  // PSA's cost of the projects an entity delivers (ERP's LegalEntity.margin @requires it)
  LegalEntity: { owner: 'erp', fields: { costToDate: 'psa' } },
  IntercompanyCharge: { owner: 'erp' },
  Currency: { owner: 'erp' },
  FxRate: { owner: 'erp' },
  LegalCustomer: { owner: 'erp' },
  Contract: { owner: 'erp', approvalRequired: true },
  ContractLine: { owner: 'erp' },
  RateCard: { owner: 'erp' },
  RateCardLine: { owner: 'erp' },
  BillingSchedule: { owner: 'erp' },
  BillingScheduleLine: { owner: 'erp' },
  Invoice: { owner: 'erp', approvalRequired: true },
  InvoiceLine: { owner: 'erp' },
  Payment: { owner: 'erp', approvalRequired: true },
  PaymentAllocation: { owner: 'erp' },
  RevenueEntry: { owner: 'erp', approvalRequired: true },
  // a project's forecast of a month as it was recorded (forecast accuracy)
  RevenueForecastSnapshot: { owner: 'erp' },
  CreditNote: { owner: 'erp', approvalRequired: true },
  WriteOff: { owner: 'erp', approvalRequired: true },
  ContractAmendment: { owner: 'erp' },
};

/** The entity types whose record is `system`, in the order above. */
export function entitiesOwnedBy(system: SystemOfRecord): string[] {
  return Object.entries(DEFAULT_OWNERSHIP)
    .filter(([, rule]) => rule.owner === system)
    .map(([entity]) => entity);
}
