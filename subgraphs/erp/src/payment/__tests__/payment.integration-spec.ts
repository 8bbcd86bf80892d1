import { postGraphQL, queryData, useTestService } from '@concord/testing';
import { ErpModule } from '../../app.module';
import { BillingFactory, PAYMENT_FIELDS } from '../../__tests__/billing-factories';

const CREATE = `mutation($input: CreatePaymentInput!) { createPayment(input: $input) { id } }`;
const ALLOCATE = `mutation($input: CreatePaymentAllocationInput!) { createPaymentAllocation(input: $input) { id } }`;
const POST = `mutation($id: ID!) { postPayment(id: $id) { id status } }`;
const CANCEL = `mutation($id: ID!) { cancelPayment(id: $id) { id status } }`;

type Row = Record<string, any>;

describe('Payment', () => {
  const sut = useTestService((databaseUrl) => ErpModule.forRoot({ databaseUrl }), 'erp');
  let factory: BillingFactory;

  beforeAll(async () => {
    factory = new BillingFactory(sut.graphqlUrl);
    await factory.fxRate('USD', 'EUR', '2025-01-01', '0.900000');
  });

  /** A customer with two posted EUR invoices of 1000.00 (issued 2025-03-10, due 2025-04-09). */
  async function billed(): Promise<{
    legalEntity: Row;
    customer: Row;
    invoices: Row[];
    payer: { customerId: string; legalEntityId: string };
  }> {
    const { legalEntity, customer } = await factory.context();
    const payer = { customerId: customer.id, legalEntityId: legalEntity.id };
    const invoices = [
      await factory.postedInvoice({ ...payer, dueDate: '2025-04-09' }),
      await factory.postedInvoice({ ...payer, dueDate: '2025-04-09' }),
    ];
    return { legalEntity, customer, invoices, payer };
  }

  async function paymentsOf(customerId: string): Promise<Row[]> {
    const { payments } = await queryData(
      sut.graphqlUrl,
      `query($id: ID!) { payments(filter: { customerId: $id }) { edges { node { ${PAYMENT_FIELDS} } } } }`,
      { id: customerId },
    );
    return payments.edges.map((edge: Row) => edge.node);
  }

  describe('posting', () => {
    it('should apply the allocations to the invoices and keep the remainder unallocated', async () => {
      const { invoices, payer } = await billed();
      const draft = await factory.payment({
        ...payer,
        amount: '1500.50',
        reference: 'BANK-42',
        allocations: [
          { invoiceId: invoices[0].id, allocatedAmount: '1000' },
          { invoiceId: invoices[1].id, allocatedAmount: '400' },
        ],
      });

      const posted = await factory.postPayment(draft.id);

      expect(draft).toMatchObject({ status: 'DRAFT', unallocatedAmount: { amount: '100.50', currency: 'EUR' }, fxRate: null });
      expect(posted).toMatchObject({
        status: 'POSTED',
        amount: { amount: '1500.50', currency: 'EUR' },
        unallocatedAmount: { amount: '100.50', currency: 'EUR' },
        fxRate: '1.000000',
        baseAmount: { amount: '1500.50', currency: 'EUR' },
        postedAt: expect.any(String),
      });
      const [paid, partial] = [await factory.invoice(invoices[0].id, '2025-04-01'), await factory.invoice(invoices[1].id, '2025-04-01')];
      expect([paid.amountDue.amount, paid.paymentStatus]).toEqual(['0.00', 'PAID']);
      expect([partial.amountDue.amount, partial.paymentStatus]).toEqual(['600.00', 'PARTIALLY_PAID']);
      expect((await factory.invoice(invoices[1].id, '2025-04-10')).paymentStatus).toBe('OVERDUE');
    });

    it('should convert a foreign-currency payment to the legal entity currency', async () => {
      const { legalEntity, customer } = await factory.context();

      const posted = await factory.postPayment(
        (await factory.payment({ customerId: customer.id, legalEntityId: legalEntity.id, amount: '200', currency: 'USD' })).id,
      );

      expect(posted).toMatchObject({
        fxRate: '0.900000',
        baseAmount: { amount: '180.00', currency: 'EUR' },
        unallocatedAmount: { amount: '200.00', currency: 'USD' },
      });
    });

    it('should re-check the amount due when posting, and write nothing when it was paid meanwhile', async () => {
      const { invoices, payer } = await billed();
      const first = await factory.payment({
        ...payer,
        amount: '1000',
        allocations: [{ invoiceId: invoices[0].id, allocatedAmount: '1000' }],
      });
      const second = await factory.payment({
        ...payer,
        amount: '1500',
        allocations: [
          { invoiceId: invoices[1].id, allocatedAmount: '500' },
          { invoiceId: invoices[0].id, allocatedAmount: '1000' },
        ],
      });
      await factory.postPayment(first.id);

      const result = await postGraphQL(sut.graphqlUrl, POST, { id: second.id });

      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect((await factory.invoice(invoices[1].id)).amountDue.amount).toBe('1000.00');
      expect((await paymentsOf(payer.customerId)).find((payment) => payment.id === second.id)?.status).toBe('DRAFT');
    });

    it('should not post a payment twice (INVALID_TRANSITION)', async () => {
      const { invoices, payer } = await billed();
      const posted = await factory.postPayment(
        (await factory.payment({ ...payer, amount: '100', allocations: [{ invoiceId: invoices[0].id, allocatedAmount: '100' }] })).id,
      );

      const result = await postGraphQL(sut.graphqlUrl, POST, { id: posted.id });

      expect(result.errors?.[0].extensions?.code).toBe('INVALID_TRANSITION');
      expect((await factory.invoice(invoices[0].id)).amountDue.amount).toBe('900.00');
    });
  });

  describe('cancelling', () => {
    it('should reverse the allocations of a POSTED payment', async () => {
      const { invoices, payer } = await billed();
      const posted = await factory.postPayment(
        (await factory.payment({ ...payer, amount: '1000', allocations: [{ invoiceId: invoices[0].id, allocatedAmount: '1000' }] })).id,
      );

      const { cancelPayment } = await queryData(sut.graphqlUrl, CANCEL, { id: posted.id });

      expect(cancelPayment.status).toBe('CANCELLED');
      expect(await factory.invoice(invoices[0].id, '2025-04-01')).toMatchObject({
        amountDue: { amount: '1000.00' },
        paymentStatus: 'UNPAID',
      });
    });

    it('should cancel a DRAFT payment without touching the invoices', async () => {
      const { invoices, payer } = await billed();
      const draft = await factory.payment({
        ...payer,
        amount: '300',
        allocations: [{ invoiceId: invoices[0].id, allocatedAmount: '300' }],
      });

      await queryData(sut.graphqlUrl, CANCEL, { id: draft.id });

      expect((await factory.invoice(invoices[0].id)).amountDue.amount).toBe('1000.00');
    });

    it('should not cancel a CANCELLED payment (INVALID_TRANSITION)', async () => {
      const { payer } = await billed();
      const draft = await factory.payment({ ...payer, amount: '300' });
      await queryData(sut.graphqlUrl, CANCEL, { id: draft.id });

      const post = await postGraphQL(sut.graphqlUrl, POST, { id: draft.id });
      const cancel = await postGraphQL(sut.graphqlUrl, CANCEL, { id: draft.id });

      expect([post.errors?.[0].extensions?.code, cancel.errors?.[0].extensions?.code]).toEqual([
        'INVALID_TRANSITION',
        'INVALID_TRANSITION',
      ]);
    });
  });

  describe('allocation rules', () => {
    it('should not allocate to a DRAFT invoice, and write nothing', async () => {
      const { payer } = await billed();
      const draftInvoice = await factory.draftInvoice(payer);

      const result = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: { ...payer, amount: '100', method: 'CARD', allocations: [{ invoiceId: draftInvoice.id, allocatedAmount: '100' }] },
      });

      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'invoiceId' });
      expect(await paymentsOf(payer.customerId)).toEqual([]);
    });

    it('should not allocate to an invoice of another customer, and write nothing', async () => {
      const { payer } = await billed();
      const other = await billed();

      const result = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: { ...payer, amount: '100', method: 'CARD', allocations: [{ invoiceId: other.invoices[0].id, allocatedAmount: '100' }] },
      });

      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'invoiceId' });
      expect(await paymentsOf(payer.customerId)).toEqual([]);
    });

    it('should not allocate to an invoice in another currency, and write nothing', async () => {
      const { payer } = await billed();
      const usdInvoice = await factory.postedInvoice({ ...payer, currency: 'USD' });

      const result = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: { ...payer, amount: '100', method: 'CARD', allocations: [{ invoiceId: usdInvoice.id, allocatedAmount: '100' }] },
      });

      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'invoiceId' });
      expect(await paymentsOf(payer.customerId)).toEqual([]);
    });

    it("should not allocate more than the invoice's amount due, and write nothing", async () => {
      const { invoices, payer } = await billed();

      const result = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: { ...payer, amount: '5000', method: 'CARD', allocations: [{ invoiceId: invoices[0].id, allocatedAmount: '1000.01' }] },
      });

      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'allocatedAmount', amountDue: '1000.00' });
      expect(await paymentsOf(payer.customerId)).toEqual([]);
    });

    it('should not allocate more than the payment amount in total, and write nothing', async () => {
      const { invoices, payer } = await billed();

      const result = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: {
          ...payer,
          amount: '1500',
          method: 'CARD',
          allocations: [
            { invoiceId: invoices[0].id, allocatedAmount: '1000' },
            { invoiceId: invoices[1].id, allocatedAmount: '500.01' },
          ],
        },
      });

      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'allocatedAmount', allocated: '1500.01' });
      expect(await paymentsOf(payer.customerId)).toEqual([]);
    });

    it('should not allocate a payment twice to the same invoice (CONFLICT)', async () => {
      const { invoices, payer } = await billed();
      const draft = await factory.payment({
        ...payer,
        amount: '500',
        allocations: [{ invoiceId: invoices[0].id, allocatedAmount: '100' }],
      });

      const result = await postGraphQL(sut.graphqlUrl, ALLOCATE, {
        input: { paymentId: draft.id, invoiceId: invoices[0].id, allocatedAmount: '50' },
      });

      expect(result.errors?.[0].extensions?.code).toBe('CONFLICT');
      expect((await paymentsOf(payer.customerId))[0].allocations).toHaveLength(1);
    });

    it('should refuse a zero or malformed amount with BAD_USER_INPUT', async () => {
      const { invoices, payer } = await billed();

      const zero = await postGraphQL(sut.graphqlUrl, CREATE, { input: { ...payer, amount: '0', method: 'CARD' } });
      const malformed = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: { ...payer, amount: '10', method: 'CARD', allocations: [{ invoiceId: invoices[0].id, allocatedAmount: '1.234' }] },
      });

      expect([zero.errors?.[0].extensions?.code, malformed.errors?.[0].extensions?.code]).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
      expect(await paymentsOf(payer.customerId)).toEqual([]);
    });
  });

  describe('drafts', () => {
    it('should add, change and remove allocations of a DRAFT payment, keeping unallocatedAmount in step', async () => {
      const { invoices, payer } = await billed();
      const draft = await factory.payment({ ...payer, amount: '800' });

      const { createPaymentAllocation } = await queryData(sut.graphqlUrl, ALLOCATE, {
        input: { paymentId: draft.id, invoiceId: invoices[0].id, allocatedAmount: '300' },
      });
      const { updatePaymentAllocation } = await queryData(
        sut.graphqlUrl,
        `mutation($id: ID!) { updatePaymentAllocation(id: $id, input: { allocatedAmount: "750" }) { allocatedAmount { amount } payment { unallocatedAmount { amount } } } }`,
        { id: createPaymentAllocation.id },
      );
      const { deletePaymentAllocation } = await queryData(
        sut.graphqlUrl,
        `mutation($id: ID!) { deletePaymentAllocation(id: $id) { unallocatedAmount { amount } allocations { id } } }`,
        {
          id: createPaymentAllocation.id,
        },
      );

      expect(updatePaymentAllocation).toEqual({
        allocatedAmount: { amount: '750.00' },
        payment: { unallocatedAmount: { amount: '50.00' } },
      });
      expect(deletePaymentAllocation).toEqual({ unallocatedAmount: { amount: '800.00' }, allocations: [] });
    });

    it('should not lower the amount below what is allocated', async () => {
      const { invoices, payer } = await billed();
      const draft = await factory.payment({
        ...payer,
        amount: '800',
        allocations: [{ invoiceId: invoices[0].id, allocatedAmount: '600' }],
      });

      const result = await postGraphQL(
        sut.graphqlUrl,
        `mutation($id: ID!) { updatePayment(id: $id, input: { amount: "599.99" }) { id } }`,
        { id: draft.id },
      );

      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('should not edit a POSTED payment or its allocations (CONFLICT)', async () => {
      const { invoices, payer } = await billed();
      const posted = await factory.postPayment(
        (await factory.payment({ ...payer, amount: '800', allocations: [{ invoiceId: invoices[0].id, allocatedAmount: '600' }] })).id,
      );

      const update = await postGraphQL(
        sut.graphqlUrl,
        `mutation($id: ID!) { updatePayment(id: $id, input: { reference: "changed" }) { id } }`,
        { id: posted.id },
      );
      const allocate = await postGraphQL(sut.graphqlUrl, ALLOCATE, {
        input: { paymentId: posted.id, invoiceId: invoices[1].id, allocatedAmount: '100' },
      });
      const remove = await postGraphQL(sut.graphqlUrl, `mutation($id: ID!) { deletePaymentAllocation(id: $id) { id } }`, {
        id: posted.allocations[0].id,
      });

      expect([update, allocate, remove].map((result) => result.errors?.[0].extensions?.code)).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT']);
      expect((await factory.invoice(invoices[0].id)).amountDue.amount).toBe('400.00');
    });
  });

  describe('queries', () => {
    it('should find payments by invoice, status and date range, latest first', async () => {
      const { invoices, payer } = await billed();
      const early = await factory.postPayment(
        (
          await factory.payment({
            ...payer,
            date: '2025-04-01',
            amount: '10',
            allocations: [{ invoiceId: invoices[0].id, allocatedAmount: '10' }],
          })
        ).id,
      );
      const late = await factory.postPayment(
        (
          await factory.payment({
            ...payer,
            date: '2025-04-20',
            amount: '20',
            allocations: [{ invoiceId: invoices[0].id, allocatedAmount: '20' }],
          })
        ).id,
      );
      await factory.payment({
        ...payer,
        date: '2025-04-10',
        amount: '30',
        allocations: [{ invoiceId: invoices[0].id, allocatedAmount: '30' }],
      });
      await factory.postPayment(
        (
          await factory.payment({
            ...payer,
            date: '2025-05-01',
            amount: '40',
            allocations: [{ invoiceId: invoices[0].id, allocatedAmount: '40' }],
          })
        ).id,
      );

      const { payments } = await queryData(
        sut.graphqlUrl,
        `query($invoiceId: ID!) { payments(filter: { invoiceId: $invoiceId, statusIn: [POSTED], dateFrom: "2025-04-01", dateTo: "2025-04-30" }) { edges { node { id } } } }`,
        { invoiceId: invoices[0].id },
      );
      const { invoice } = await queryData(
        sut.graphqlUrl,
        `query($id: ID!) { invoice(id: $id) { allocations { allocatedAmount { amount } } } }`,
        { id: invoices[0].id },
      );

      expect(payments.edges.map((edge: Row) => edge.node.id)).toEqual([late.id, early.id]);
      expect(invoice.allocations.map((allocation: Row) => allocation.allocatedAmount.amount)).toEqual(['10.00', '20.00', '30.00', '40.00']);
    });
  });
});
