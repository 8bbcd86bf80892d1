import { QueryCounter } from '@concord/common';
import { postGraphQL, queryData, useTestService } from '@concord/testing';
import { ErpModule } from '../../app.module';
import { BillingFactory, INVOICE_FIELDS } from '../../__tests__/billing-factories';

const POST = `mutation($id: ID!) { postInvoice(id: $id) { id status number } }`;
const CANCEL = `mutation($id: ID!) { cancelInvoice(id: $id) { id status amountDue { amount } cancelledAt } }`;
const CREATE = `mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { id } }`;

describe('Invoice', () => {
  const counter = new QueryCounter();
  const sut = useTestService((databaseUrl) => ErpModule.forRoot({ databaseUrl, queryLogger: counter }), 'erp');
  let factory: BillingFactory;

  beforeAll(async () => {
    factory = new BillingFactory(sut.graphqlUrl);
    await factory.fxRate('USD', 'EUR', '2025-01-01', '0.900000');
  });

  describe('drafts', () => {
    it('should create a DRAFT invoice without a number and compute its totals with decimals', async () => {
      const { legalEntity, customer, contract } = await factory.context();

      const invoice = await factory.draftInvoice({
        customerId: customer.id,
        legalEntityId: legalEntity.id,
        contractId: contract.id,
        taxRate: '20',
        lines: [factory.line({ sourceType: 'TIME', qty: '7.5', rate: '120.10' }), factory.line({ qty: '3', rate: '0.10' })],
      });

      expect(invoice).toMatchObject({
        status: 'DRAFT',
        number: null,
        dueDate: null,
        currency: 'EUR',
        clientId: customer.clientId,
        subtotal: { amount: '901.05', currency: 'EUR' },
        tax: { amount: '180.21', currency: 'EUR' },
        total: { amount: '1081.26', currency: 'EUR' },
        amountDue: { amount: '1081.26', currency: 'EUR' },
        baseTotal: null,
      });
      expect(invoice.lines.map((line: any) => line.amount.amount)).toEqual(['900.75', '0.30']);
    });

    it('should recompute the totals when lines are added, changed and removed', async () => {
      const { legalEntity, customer } = await factory.context();
      const draft = await factory.draftInvoice({ customerId: customer.id, legalEntityId: legalEntity.id, lines: [] });

      const { createInvoiceLine } = await queryData(
        sut.graphqlUrl,
        `mutation($input: CreateInvoiceLineInput!) { createInvoiceLine(input: $input) { id } }`,
        {
          input: { invoiceId: draft.id, ...factory.line({ qty: '2', rate: '50' }) },
        },
      );
      await queryData(sut.graphqlUrl, `mutation($input: CreateInvoiceLineInput!) { createInvoiceLine(input: $input) { id } }`, {
        input: { invoiceId: draft.id, ...factory.line({ sourceType: 'ADJUSTMENT', description: 'Goodwill', qty: '1', rate: '-25' }) },
      });
      await queryData(sut.graphqlUrl, `mutation($id: ID!) { updateInvoiceLine(id: $id, input: { qty: "4" }) { id } }`, {
        id: createInvoiceLine.id,
      });
      const afterUpdate = await factory.invoice(draft.id);
      const { deleteInvoiceLine } = await queryData(
        sut.graphqlUrl,
        `mutation($id: ID!) { deleteInvoiceLine(id: $id) { total { amount } amountDue { amount } lines { id } } }`,
        {
          id: createInvoiceLine.id,
        },
      );

      expect(afterUpdate.total.amount).toBe('175.00');
      expect(deleteInvoiceLine).toEqual({
        total: { amount: '-25.00' },
        amountDue: { amount: '0.00' },
        lines: [{ id: expect.any(String) }],
      });
    });

    it('should update the fields of a DRAFT invoice', async () => {
      const { legalEntity, customer } = await factory.context();
      const draft = await factory.draftInvoice({ customerId: customer.id, legalEntityId: legalEntity.id });

      const { updateInvoice } = await queryData(
        sut.graphqlUrl,
        `mutation($id: ID!) { updateInvoice(id: $id, input: { taxRate: "10", dueDate: "2025-05-01" }) { dueDate tax { amount } total { amount } } }`,
        {
          id: draft.id,
        },
      );

      expect(updateInvoice).toEqual({ dueDate: '2025-05-01', tax: { amount: '100.00' }, total: { amount: '1100.00' } });
    });

    it('should refuse invalid input with BAD_USER_INPUT naming the problems', async () => {
      const { legalEntity, customer } = await factory.context();

      const result = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: {
          customerId: customer.id,
          legalEntityId: legalEntity.id,
          currency: 'euro',
          issueDate: '2025-02-30',
          lines: [factory.line({ qty: '-1' })],
        },
      });

      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0].extensions?.problems).toEqual(
        expect.arrayContaining([expect.stringContaining('currency'), expect.stringContaining('issueDate'), expect.stringContaining('qty')]),
      );
    });

    it('should not accept a negative rate on a line that is not an ADJUSTMENT', async () => {
      const { legalEntity, customer } = await factory.context();

      const result = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: { customerId: customer.id, legalEntityId: legalEntity.id, lines: [factory.line({ rate: '-5' })] },
      });

      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('should not bill the contract of another customer, and write nothing', async () => {
      const { legalEntity, customer } = await factory.context();
      const other = await factory.context({ legalEntity: {} });

      const result = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: { customerId: customer.id, legalEntityId: legalEntity.id, contractId: other.contract.id },
      });

      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      const { invoices } = await queryData(
        sut.graphqlUrl,
        `query($id: ID!) { invoices(filter: { customerId: $id }) { edges { node { id } } } }`,
        { id: customer.id },
      );
      expect(invoices.edges).toEqual([]);
    });

    it('should not bill a contract in another currency than the invoice', async () => {
      const { legalEntity, customer, contract } = await factory.context();

      const result = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: { customerId: customer.id, legalEntityId: legalEntity.id, contractId: contract.id, currency: 'USD' },
      });

      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('posting', () => {
    it('should number posted invoices per legal entity and year, and default the due date from the payment terms', async () => {
      const { legalEntity, customer } = await factory.context({ customer: { paymentTermsDays: 45 } });
      const other = await factory.context();
      const input = { customerId: customer.id, legalEntityId: legalEntity.id };

      const first = await factory.postedInvoice({ ...input, issueDate: '2025-03-10' });
      const second = await factory.postedInvoice({ ...input, issueDate: '2025-12-31' });
      const nextYear = await factory.postedInvoice({ ...input, issueDate: '2026-01-02' });
      const otherEntity = await factory.postedInvoice({ customerId: other.customer.id, legalEntityId: other.legalEntity.id });

      expect([first.number, second.number, nextYear.number]).toEqual([
        `${legalEntity.code}-2025-00001`,
        `${legalEntity.code}-2025-00002`,
        `${legalEntity.code}-2026-00001`,
      ]);
      expect(otherEntity.number).toBe(`${other.legalEntity.code}-2025-00001`);
      expect(first).toMatchObject({
        status: 'POSTED',
        dueDate: '2025-04-24',
        fxRate: '1.000000',
        baseTotal: { amount: '1000.00', currency: 'EUR' },
      });
      expect(first.postedAt).toEqual(expect.any(String));
    });

    it('should keep a due date that was set on the draft', async () => {
      const { legalEntity, customer } = await factory.context();

      const posted = await factory.postedInvoice({
        customerId: customer.id,
        legalEntityId: legalEntity.id,
        issueDate: '2025-03-10',
        dueDate: '2025-03-20',
      });

      expect(posted.dueDate).toBe('2025-03-20');
    });

    it('should fix the FX rate to the legal entity currency and the base total on posting', async () => {
      const { legalEntity, customer } = await factory.context();

      const posted = await factory.postedInvoice({
        customerId: customer.id,
        legalEntityId: legalEntity.id,
        currency: 'USD',
        issueDate: '2025-06-01',
        lines: [factory.line({ qty: '3', rate: '333.33' })],
      });

      expect(posted).toMatchObject({
        currency: 'USD',
        fxRate: '0.900000',
        total: { amount: '999.99', currency: 'USD' },
        baseTotal: { amount: '899.99', currency: 'EUR' },
      });
    });

    it('should not post an invoice without an FX rate for its currency, and write nothing', async () => {
      const { legalEntity, customer } = await factory.context();
      const draft = await factory.draftInvoice({ customerId: customer.id, legalEntityId: legalEntity.id, currency: 'CHF' });

      const result = await postGraphQL(sut.graphqlUrl, POST, { id: draft.id });

      expect(result.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      expect(await factory.invoice(draft.id)).toMatchObject({ status: 'DRAFT', number: null, fxRate: null });
      const next = await factory.postedInvoice({ customerId: customer.id, legalEntityId: legalEntity.id });
      expect(next.number).toBe(`${legalEntity.code}-2025-00001`);
    });

    it('should not post an invoice without lines', async () => {
      const { legalEntity, customer } = await factory.context();
      const draft = await factory.draftInvoice({ customerId: customer.id, legalEntityId: legalEntity.id, lines: [] });

      const result = await postGraphQL(sut.graphqlUrl, POST, { id: draft.id });

      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(await factory.invoice(draft.id)).toMatchObject({ status: 'DRAFT', number: null });
    });

    it('should not post an invoice whose total is negative', async () => {
      const { legalEntity, customer } = await factory.context();
      const draft = await factory.draftInvoice({
        customerId: customer.id,
        legalEntityId: legalEntity.id,
        lines: [factory.line({ sourceType: 'ADJUSTMENT', rate: '-10' })],
      });

      const result = await postGraphQL(sut.graphqlUrl, POST, { id: draft.id });

      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(await factory.invoice(draft.id)).toMatchObject({ status: 'DRAFT', number: null });
    });

    it('should not post an invoice twice (INVALID_TRANSITION)', async () => {
      const { legalEntity, customer } = await factory.context();
      const posted = await factory.postedInvoice({ customerId: customer.id, legalEntityId: legalEntity.id });

      const result = await postGraphQL(sut.graphqlUrl, POST, { id: posted.id });

      expect(result.errors?.[0].extensions?.code).toBe('INVALID_TRANSITION');
      expect((await factory.invoice(posted.id)).number).toBe(posted.number);
    });

    it('should not edit a POSTED invoice or its lines (CONFLICT)', async () => {
      const { legalEntity, customer } = await factory.context();
      const posted = await factory.postedInvoice({ customerId: customer.id, legalEntityId: legalEntity.id });

      const update = await postGraphQL(sut.graphqlUrl, `mutation($id: ID!) { updateInvoice(id: $id, input: { taxRate: "5" }) { id } }`, {
        id: posted.id,
      });
      const addLine = await postGraphQL(
        sut.graphqlUrl,
        `mutation($input: CreateInvoiceLineInput!) { createInvoiceLine(input: $input) { id } }`,
        {
          input: { invoiceId: posted.id, ...factory.line() },
        },
      );

      expect([update.errors?.[0].extensions?.code, addLine.errors?.[0].extensions?.code]).toEqual(['CONFLICT', 'CONFLICT']);
      expect((await factory.invoice(posted.id)).total.amount).toBe('1000.00');
    });

    it('should consume the contract and invoice its READY billing schedule line, and give both back on cancel', async () => {
      const { legalEntity, customer, contract, line } = await factory.context();
      const { createBillingSchedule } = await queryData(
        sut.graphqlUrl,
        `mutation($input: CreateBillingScheduleInput!) { createBillingSchedule(input: $input) { lines { id } } }`,
        { input: { contractLineId: line.id, type: 'FIXED_DATE', lines: [{ plannedDate: '2025-03-01', amount: '4000' }] } },
      );
      const scheduleLineId = createBillingSchedule.lines[0].id;
      await queryData(sut.graphqlUrl, `mutation($id: ID!) { transitionBillingScheduleLine(id: $id, to: READY) { id } }`, {
        id: scheduleLineId,
      });
      const scheduleLine = `query($id: ID!) { billingScheduleLine(id: $id) { status invoiceId } }`;
      const consumed = `query($id: ID!) { contract(id: $id) { consumedAmount { amount } } }`;

      const posted = await factory.postedInvoice({
        customerId: customer.id,
        legalEntityId: legalEntity.id,
        contractId: contract.id,
        taxRate: '20',
        lines: [factory.line({ rate: '4000', contractLineId: line.id, billingScheduleLineId: scheduleLineId })],
      });
      const afterPost = [
        await queryData(sut.graphqlUrl, scheduleLine, { id: scheduleLineId }),
        await queryData(sut.graphqlUrl, consumed, { id: contract.id }),
      ];
      await queryData(sut.graphqlUrl, CANCEL, { id: posted.id });
      const afterCancel = [
        await queryData(sut.graphqlUrl, scheduleLine, { id: scheduleLineId }),
        await queryData(sut.graphqlUrl, consumed, { id: contract.id }),
      ];

      expect(afterPost).toEqual([
        { billingScheduleLine: { status: 'INVOICED', invoiceId: posted.id } },
        { contract: { consumedAmount: { amount: '4000.00' } } },
      ]);
      expect(afterCancel).toEqual([
        { billingScheduleLine: { status: 'READY', invoiceId: null } },
        { contract: { consumedAmount: { amount: '0.00' } } },
      ]);
    });

    it('should not put a billing schedule line that is not READY on an invoice', async () => {
      const { legalEntity, customer, contract, line } = await factory.context();
      const { createBillingSchedule } = await queryData(
        sut.graphqlUrl,
        `mutation($input: CreateBillingScheduleInput!) { createBillingSchedule(input: $input) { lines { id } } }`,
        { input: { contractLineId: line.id, type: 'FIXED_DATE', lines: [{ plannedDate: '2025-03-01', amount: '4000' }] } },
      );

      const result = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: {
          customerId: customer.id,
          legalEntityId: legalEntity.id,
          contractId: contract.id,
          lines: [factory.line({ billingScheduleLineId: createBillingSchedule.lines[0].id })],
        },
      });

      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('cancelling', () => {
    it('should cancel a DRAFT invoice', async () => {
      const { legalEntity, customer } = await factory.context();
      const draft = await factory.draftInvoice({ customerId: customer.id, legalEntityId: legalEntity.id });

      const { cancelInvoice } = await queryData(sut.graphqlUrl, CANCEL, { id: draft.id });

      expect(cancelInvoice).toMatchObject({ status: 'CANCELLED', amountDue: { amount: '0.00' } });
    });

    it('should void a POSTED invoice, keeping its number', async () => {
      const { legalEntity, customer } = await factory.context();
      const posted = await factory.postedInvoice({ customerId: customer.id, legalEntityId: legalEntity.id });

      await queryData(sut.graphqlUrl, CANCEL, { id: posted.id });

      expect(await factory.invoice(posted.id)).toMatchObject({
        status: 'CANCELLED',
        number: posted.number,
        paymentStatus: null,
        cancelledAt: expect.any(String),
      });
    });

    it('should not cancel a CANCELLED invoice (INVALID_TRANSITION)', async () => {
      const { legalEntity, customer } = await factory.context();
      const draft = await factory.draftInvoice({ customerId: customer.id, legalEntityId: legalEntity.id });
      await queryData(sut.graphqlUrl, CANCEL, { id: draft.id });

      const result = await postGraphQL(sut.graphqlUrl, CANCEL, { id: draft.id });

      expect(result.errors?.[0].extensions?.code).toBe('INVALID_TRANSITION');
    });

    it('should not cancel a posted invoice that has posted payments (CONFLICT)', async () => {
      const { legalEntity, customer } = await factory.context();
      const posted = await factory.postedInvoice({ customerId: customer.id, legalEntityId: legalEntity.id });
      const payment = await factory.payment({
        customerId: customer.id,
        legalEntityId: legalEntity.id,
        amount: '100',
        allocations: [{ invoiceId: posted.id, allocatedAmount: '100' }],
      });
      await factory.postPayment(payment.id);

      const result = await postGraphQL(sut.graphqlUrl, CANCEL, { id: posted.id });

      expect(result.errors?.[0].extensions?.code).toBe('CONFLICT');
      expect((await factory.invoice(posted.id)).status).toBe('POSTED');
    });
  });

  describe('paymentStatus', () => {
    it('should be null for drafts and UNPAID, OVERDUE or PAID for posted invoices as of the given day', async () => {
      const { legalEntity, customer } = await factory.context();
      const draft = await factory.draftInvoice({ customerId: customer.id, legalEntityId: legalEntity.id });
      const posted = await factory.postedInvoice({
        customerId: customer.id,
        legalEntityId: legalEntity.id,
        issueDate: '2025-03-10',
        dueDate: '2025-04-09',
      });

      const statuses = [
        (await factory.invoice(draft.id, '2025-04-09')).paymentStatus,
        (await factory.invoice(posted.id, '2025-04-09')).paymentStatus,
        (await factory.invoice(posted.id, '2025-04-10')).paymentStatus,
      ];
      await factory.postPayment(
        (
          await factory.payment({
            customerId: customer.id,
            legalEntityId: legalEntity.id,
            amount: '1000',
            allocations: [{ invoiceId: posted.id, allocatedAmount: '1000' }],
          })
        ).id,
      );

      expect(statuses).toEqual([null, 'UNPAID', 'OVERDUE']);
      expect((await factory.invoice(posted.id, '2025-04-10')).paymentStatus).toBe('PAID');
    });

    it('should be OVERDUE today for an invoice due long ago (system clock)', async () => {
      const { legalEntity, customer } = await factory.context();

      const posted = await factory.postedInvoice({ customerId: customer.id, legalEntityId: legalEntity.id, issueDate: '2020-01-01' });

      expect((await factory.invoice(posted.id)).paymentStatus).toBe('OVERDUE');
    });

    it('should filter invoices by payment status as of a day', async () => {
      const { legalEntity, customer } = await factory.context();
      const input = { customerId: customer.id, legalEntityId: legalEntity.id, issueDate: '2025-03-01', dueDate: '2025-03-31' };
      const unpaid = await factory.postedInvoice(input);
      const partial = await factory.postedInvoice(input);
      const overdue = await factory.postedInvoice({ ...input, dueDate: '2025-03-15' });
      await factory.draftInvoice(input);
      await factory.postPayment(
        (
          await factory.payment({
            customerId: customer.id,
            legalEntityId: legalEntity.id,
            amount: '400',
            allocations: [{ invoiceId: partial.id, allocatedAmount: '400' }],
          })
        ).id,
      );
      const filtered = (paymentStatusIn: string[]) =>
        queryData(
          sut.graphqlUrl,
          `query($customerId: ID!, $in: [InvoicePaymentStatus!]) { invoices(filter: { customerId: $customerId, paymentStatusIn: $in, asOf: "2025-03-20" }, orderBy: { field: CREATED_AT, direction: ASC }) { edges { node { id paymentStatus(asOf: "2025-03-20") } } } }`,
          { customerId: customer.id, in: paymentStatusIn },
        ).then((data) => data.invoices.edges.map((edge: any) => edge.node));

      expect(await filtered(['UNPAID'])).toEqual([{ id: unpaid.id, paymentStatus: 'UNPAID' }]);
      expect(await filtered(['PARTIALLY_PAID', 'OVERDUE'])).toEqual([
        { id: partial.id, paymentStatus: 'PARTIALLY_PAID' },
        { id: overdue.id, paymentStatus: 'OVERDUE' },
      ]);
    });
  });

  describe('invoices connection', () => {
    it('should filter by status and issue date range and sort by total', async () => {
      const { legalEntity, customer } = await factory.context();
      const input = { customerId: customer.id, legalEntityId: legalEntity.id };
      const big = await factory.postedInvoice({ ...input, issueDate: '2025-05-02', lines: [factory.line({ rate: '5000' })] });
      const small = await factory.postedInvoice({ ...input, issueDate: '2025-05-20', lines: [factory.line({ rate: '10' })] });
      await factory.postedInvoice({ ...input, issueDate: '2025-06-01' });
      await factory.draftInvoice({ ...input, issueDate: '2025-05-10' });

      const { invoices } = await queryData(
        sut.graphqlUrl,
        `query($customerId: ID!) { invoices(first: 1, filter: { customerId: $customerId, statusIn: [POSTED], issueDateFrom: "2025-05-01", issueDateTo: "2025-05-31" }, orderBy: { field: TOTAL, direction: DESC }) {
           edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
        { customerId: customer.id },
      );
      const next = await queryData(
        sut.graphqlUrl,
        `query($customerId: ID!, $after: String) { invoices(first: 1, after: $after, filter: { customerId: $customerId, statusIn: [POSTED], issueDateFrom: "2025-05-01", issueDateTo: "2025-05-31" }, orderBy: { field: TOTAL, direction: DESC }) {
           edges { node { id } } pageInfo { hasNextPage } } }`,
        { customerId: customer.id, after: invoices.pageInfo.endCursor },
      );

      expect([invoices.edges[0].node.id, next.invoices.edges[0].node.id]).toEqual([big.id, small.id]);
      expect([invoices.pageInfo.hasNextPage, next.invoices.pageInfo.hasNextPage]).toEqual([true, false]);
    });

    it('should list invoice lines by source id', async () => {
      const { legalEntity, customer } = await factory.context();
      const timeEntryId = '01960000-0000-7000-8000-00000000abcd';
      const invoice = await factory.draftInvoice({
        customerId: customer.id,
        legalEntityId: legalEntity.id,
        lines: [factory.line({ sourceType: 'TIME', sourceIds: [timeEntryId] }), factory.line()],
      });

      const { invoiceLines } = await queryData(
        sut.graphqlUrl,
        `query($id: ID!) { invoiceLines(filter: { sourceId: $id }) { edges { node { invoiceId sourceIds } } } }`,
        { id: timeEntryId },
      );

      expect(invoiceLines.edges).toEqual([{ node: { invoiceId: invoice.id, sourceIds: [timeEntryId] } }]);
    });
  });

  describe('Client extension', () => {
    it('should resolve Client.invoices and arBalance through _entities in one statement each', async () => {
      const eur = await factory.context();
      const usd = await factory.context({ legalEntity: { functionalCurrency: 'USD' }, customer: { defaultCurrency: 'USD' } });
      const input = { customerId: eur.customer.id, legalEntityId: eur.legalEntity.id };
      const first = await factory.postedInvoice({ ...input, issueDate: '2025-01-10' });
      const second = await factory.postedInvoice({ ...input, issueDate: '2025-02-10', currency: 'USD' });
      const draft = await factory.draftInvoice({ ...input, issueDate: '2025-03-10' });
      await factory.postPayment(
        (await factory.payment({ ...input, amount: '250', allocations: [{ invoiceId: first.id, allocatedAmount: '250' }] })).id,
      );
      await factory.postedInvoice({ customerId: usd.customer.id, legalEntityId: usd.legalEntity.id });
      const silent = '01960000-0000-7000-8000-000000000001';
      const query = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Client { id
        invoices(first: 2) { id status } posted: invoices(statusIn: [POSTED]) { id } arBalance { amount currency } } } }`;
      const representations = [eur.customer.clientId, usd.customer.clientId, silent].map((id) => ({ __typename: 'Client', id }));

      counter.reset();
      const { _entities } = await queryData(sut.graphqlUrl, query, { representations });
      const statements = counter.count;

      expect(_entities[0]).toEqual({
        id: eur.customer.clientId,
        invoices: [
          { id: draft.id, status: 'DRAFT' },
          { id: second.id, status: 'POSTED' },
        ],
        posted: [{ id: second.id }, { id: first.id }],
        arBalance: [
          { amount: '750.00', currency: 'EUR' },
          { amount: '1000.00', currency: 'USD' },
        ],
      });
      expect(_entities[1].arBalance).toEqual([{ amount: '1000.00', currency: 'USD' }]);
      expect(_entities[2]).toEqual({ id: silent, invoices: [], posted: [], arBalance: [] });
      expect(statements).toBe(3);
    });
  });

  it('should expose the invoice lines as a batched field (no N+1)', async () => {
    const { legalEntity, customer } = await factory.context();
    for (let index = 0; index < 3; index++) {
      await factory.draftInvoice({ customerId: customer.id, legalEntityId: legalEntity.id, lines: [factory.line(), factory.line()] });
    }

    counter.reset();
    const { invoices } = await queryData(
      sut.graphqlUrl,
      `query($id: ID!) { invoices(filter: { customerId: $id }) { edges { node { ${INVOICE_FIELDS} } } } }`,
      { id: customer.id },
    );

    expect(invoices.edges.map((edge: any) => edge.node.lines.length)).toEqual([2, 2, 2]);
    expect(counter.count).toBe(2);
  });
});
