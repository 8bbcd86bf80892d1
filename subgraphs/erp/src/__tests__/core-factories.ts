import { randomUUID } from 'node:crypto';
import { queryData } from '@concord/testing';

type Values = Record<string, unknown>;
type Row = Record<string, any>;

/**
 * Builds complete ERP core rows through the API (so every row passed the same validation and write point as
 * production data). Each call makes unique codes and numbers; overrides win.
 */
export class ErpCoreFactory {
  private sequence = 0;

  constructor(private readonly graphqlUrl: string) {}

  next(): number {
    return ++this.sequence;
  }

  async legalEntity(overrides: Values = {}): Promise<Row> {
    const n = this.next();
    const { createLegalEntity } = await queryData(
      this.graphqlUrl,
      `mutation($input: CreateLegalEntityInput!) { createLegalEntity(input: $input) { id code name country functionalCurrency taxId } }`,
      { input: { code: `LE-${n}-${randomUUID().slice(0, 8).toUpperCase()}`, name: `Legal entity ${n}`, country: 'FR', functionalCurrency: 'EUR', ...overrides } },
    );
    return createLegalEntity;
  }

  async legalCustomer(overrides: Values = {}): Promise<Row> {
    const n = this.next();
    const { createLegalCustomer } = await queryData(
      this.graphqlUrl,
      `mutation($input: CreateLegalCustomerInput!) { createLegalCustomer(input: $input) { id clientId legalName status defaultCurrency paymentTermsDays } }`,
      { input: { legalName: `Customer ${n} SAS`, clientId: randomUUID(), defaultCurrency: 'EUR', ...overrides } },
    );
    return createLegalCustomer;
  }

  async rateCard(overrides: Values = {}): Promise<Row> {
    const n = this.next();
    const { createRateCard } = await queryData(
      this.graphqlUrl,
      `mutation($input: CreateRateCardInput!) { createRateCard(input: $input) { id name currency effectiveFrom effectiveTo } }`,
      { input: { name: `Rates ${n}`, currency: 'EUR', effectiveFrom: '2025-01-01', ...overrides } },
    );
    return createRateCard;
  }

  async rateCardLine(rateCardId: string, overrides: Values = {}): Promise<Row> {
    const { createRateCardLine } = await queryData(
      this.graphqlUrl,
      `mutation($input: CreateRateCardLineInput!) { createRateCardLine(input: $input) { id role activity billRate { amount currency } } }`,
      { input: { rateCardId, role: 'Consultant', billRate: '100', ...overrides } },
    );
    return createRateCardLine;
  }

  /** A DRAFT contract; creates its customer and legal entity unless given. Pass `lines` to create lines with it. */
  async contract(overrides: Values = {}): Promise<Row> {
    const n = this.next();
    const customerId = overrides.customerId ?? (await this.legalCustomer()).id;
    const legalEntityId = overrides.legalEntityId ?? (await this.legalEntity()).id;
    const { createContract } = await queryData(
      this.graphqlUrl,
      `mutation($input: CreateContractInput!) { createContract(input: $input) {
         id number status clientId customerId legalEntityId version currency startDate endDate
         totalValue { amount currency } consumedAmount { amount } remainingAmount { amount }
         lines { id billingModel amount { amount currency } } } }`,
      { input: { number: `C-${n}-${randomUUID().slice(0, 8)}`, customerId, legalEntityId, startDate: '2025-01-01', endDate: '2025-12-31', ...overrides } },
    );
    return createContract;
  }

  /** A DRAFT invoice of the contract's customer and legal entity (billing schedule lines link to real invoices). */
  async invoiceFor(contract: Row): Promise<string> {
    const { createInvoice } = await queryData(this.graphqlUrl, `mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { id } }`, {
      input: { customerId: contract.customerId, legalEntityId: contract.legalEntityId },
    });
    return createInvoice.id;
  }

  fixedLine(overrides: Values = {}): Values {
    return { description: 'Fixed fee', billingModel: 'FIXED', amount: '10000', ...overrides };
  }

  tmLine(overrides: Values = {}): Values {
    return { description: 'Time and materials', billingModel: 'TM', amount: '5000', hoursCap: '40', ...overrides };
  }
}
