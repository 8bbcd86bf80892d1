import { postGraphQL, queryData } from '@concord/testing';
import { ErpCoreFactory } from './core-factories';

type Values = Record<string, unknown>;
type Row = Record<string, any>;

export const INVOICE_FIELDS = `id number status customerId clientId legalEntityId contractId projectId issueDate dueDate currency fxRate taxRate
  subtotal { amount currency } tax { amount currency } total { amount currency } amountDue { amount currency } baseTotal { amount currency }
  postedAt cancelledAt lines { id sourceType sourceIds description qty rate { amount } amount { amount currency } contractLineId billingScheduleLineId }`;

export const PAYMENT_FIELDS = `id status customerId legalEntityId date currency fxRate method reference amount { amount currency } unallocatedAmount { amount currency }
  baseAmount { amount currency } postedAt allocations { id invoiceId allocatedAmount { amount currency } }`;

/**
 * Billing rows built through the API on top of the ERP core factory: a billing context (legal entity, customer,
 * ACTIVE contract with a line), draft and posted invoices, payments.
 */
export class BillingFactory {
  readonly core: ErpCoreFactory;
  private currencies = new Set<string>();

  constructor(private readonly graphqlUrl: string) {
    this.core = new ErpCoreFactory(graphqlUrl);
  }

  async currency(code: string): Promise<void> {
    if (this.currencies.has(code)) {
      return;
    }
    await postGraphQL(this.graphqlUrl, `mutation($input: CreateCurrencyInput!) { createCurrency(input: $input) { id } }`, {
      input: { code, name: code },
    });
    this.currencies.add(code);
  }

  async fxRate(fromCurrency: string, toCurrency: string, date: string, rate: string): Promise<void> {
    await this.currency(fromCurrency);
    await this.currency(toCurrency);
    await queryData(this.graphqlUrl, `mutation($input: CreateFxRateInput!) { createFxRate(input: $input) { id } }`, {
      input: { fromCurrency, toCurrency, date, rate },
    });
  }

  /** A legal entity, a customer and an ACTIVE contract with one fixed-fee line (amount 10000). */
  async context(
    options: { legalEntity?: Values; customer?: Values; contract?: Values; lineAmount?: string } = {},
  ): Promise<{ legalEntity: Row; customer: Row; contract: Row; line: Row }> {
    const legalEntity = await this.core.legalEntity(options.legalEntity);
    const customer = await this.core.legalCustomer(options.customer);
    const contract = await this.core.contract({
      customerId: customer.id,
      legalEntityId: legalEntity.id,
      lines: [this.core.fixedLine({ amount: options.lineAmount ?? '10000' })],
      ...options.contract,
    });
    await queryData(this.graphqlUrl, `mutation($id: ID!) { transitionContract(id: $id, to: ACTIVE) { id } }`, { id: contract.id });
    return { legalEntity, customer, contract, line: contract.lines[0] };
  }

  line(overrides: Values = {}): Values {
    return { sourceType: 'FIXED', description: 'Consulting', qty: '1', rate: '1000', ...overrides };
  }

  async draftInvoice(input: Values): Promise<Row> {
    const { createInvoice } = await queryData(
      this.graphqlUrl,
      `mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { ${INVOICE_FIELDS} } }`,
      {
        input: { issueDate: '2025-03-10', lines: [this.line()], ...input },
      },
    );
    return createInvoice;
  }

  async post(invoiceId: string): Promise<Row> {
    const { postInvoice } = await queryData(this.graphqlUrl, `mutation($id: ID!) { postInvoice(id: $id) { ${INVOICE_FIELDS} } }`, {
      id: invoiceId,
    });
    return postInvoice;
  }

  async postedInvoice(input: Values): Promise<Row> {
    return this.post((await this.draftInvoice(input)).id);
  }

  async payment(input: Values): Promise<Row> {
    const { createPayment } = await queryData(
      this.graphqlUrl,
      `mutation($input: CreatePaymentInput!) { createPayment(input: $input) { ${PAYMENT_FIELDS} } }`,
      {
        input: { date: '2025-04-01', method: 'BANK_TRANSFER', ...input },
      },
    );
    return createPayment;
  }

  async postPayment(paymentId: string): Promise<Row> {
    const { postPayment } = await queryData(this.graphqlUrl, `mutation($id: ID!) { postPayment(id: $id) { ${PAYMENT_FIELDS} } }`, {
      id: paymentId,
    });
    return postPayment;
  }

  async invoice(id: string, asOf?: string): Promise<Row> {
    const { invoice } = await queryData(
      this.graphqlUrl,
      `query($id: ID!, $asOf: String) { invoice(id: $id) { ${INVOICE_FIELDS} paymentStatus(asOf: $asOf) } }`,
      { id, asOf },
    );
    return invoice;
  }
}
