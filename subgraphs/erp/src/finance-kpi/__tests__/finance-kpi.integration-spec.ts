import { randomUUID } from 'node:crypto';
import { postGraphQL, queryData, useTestService } from '@concord/testing';
import { ErpModule } from '../../app.module';
import { BillingFactory } from '../../__tests__/billing-factories';

type Row = Record<string, any>;

const CREDIT = `mutation($input: CreateCreditNoteInput!) { createCreditNote(input: $input) {
  id number invoiceId issueDate reason approvedBy subtotal { amount currency } tax { amount } total { amount } baseTotal { amount currency }
  invoice { status amountDue { amount } creditedTotal { amount } } } }`;
const WRITE_OFF = `mutation($input: CreateWriteOffInput!) { createWriteOff(input: $input) {
  id date reason approvedBy amount { amount currency } invoice { status amountDue { amount } writtenOffTotal { amount } } } }`;

const KPI_FIELDS = `from to days
  dso { currency receivables { amount currency } creditSales { amount } days }
  arAgeing { currency current { amount } overdue1To30 { amount } overdue31To60 { amount } overdue61To90 { amount } overdueOver90 { amount } total { amount } }
  backlog { amount currency } unbilled { amount currency } revenueRecognized { amount currency }
  invoiceCycleTime { invoices averageDays p90Days }
  invoiceAccuracy { currency invoices creditedInvoices invoicedAmount { amount } creditedAmount { amount } creditedCountPct creditedAmountPct }
  writeOffs { currency count amount { amount } }
  inFunctionalCurrency { currency fxDate receivables { amount } creditSales { amount } dsoDays backlog { amount } unbilled { amount } revenueRecognized { amount } writeOffs { amount } }
  projects { id }`;

/**
 * One legal entity (EUR) billing a EUR client on a T&M contract (cap 10000, revenue as delivered) and a USD client on a
 * fixed-fee contract (5000 USD), USD→EUR 0.900000. Every expected figure below is worked out by hand in the comments.
 */
describe('Finance KPIs and billing exceptions', () => {
  const sut = useTestService((databaseUrl) => ErpModule.forRoot({ databaseUrl }), 'erp');
  let factory: BillingFactory;
  let legalEntity: Row;
  let eur: { customer: Row; contract: Row; line: Row };
  let usd: { customer: Row; contract: Row; line: Row };
  const invoices: Record<string, Row> = {};
  const projectEur = randomUUID();
  const projectUsd = randomUUID();

  const gql = (query: string, variables?: Record<string, unknown>) => queryData(sut.graphqlUrl, query, variables);
  const postedAt = (id: string, at: string) => sut.dataSource.query(`UPDATE erp.invoice SET posted_at = $2 WHERE id = $1`, [id, at]);
  const invoice = async (key: string, context: typeof eur, input: Row, line: Row, at: string) => {
    const draft = await factory.draftInvoice({
      customerId: context.customer.id,
      legalEntityId: legalEntity.id,
      contractId: context.contract.id,
      lines: [factory.line({ sourceType: 'TIME', contractLineId: context.line.id, ...line })],
      ...input,
    });
    invoices[key] = await factory.post(draft.id);
    await postedAt(draft.id, at);
  };

  beforeAll(async () => {
    factory = new BillingFactory(sut.graphqlUrl);
    await factory.fxRate('USD', 'EUR', '2025-01-01', '0.900000');
    legalEntity = await factory.core.legalEntity({ functionalCurrency: 'EUR' });
    const context = async (currency: string, line: Row) => {
      const customer = await factory.core.legalCustomer({ defaultCurrency: currency });
      const contract = await factory.core.contract({ customerId: customer.id, legalEntityId: legalEntity.id, currency, lines: [line] });
      await gql(`mutation($id: ID!) { transitionContract(id: $id, to: ACTIVE) { id } }`, { id: contract.id });
      return { customer, contract, line: contract.lines[0] };
    };
    eur = await context('EUR', factory.core.tmLine({ amount: '10000', hoursCap: null }));
    usd = await context('USD', factory.core.fixedLine({ amount: '5000' }));

    // EUR, tax 20 %: INV1 1000 (issued in January), INV2 2000 (period ended 2025-02-28), INV3 300, INV4 100
    await invoice('inv1', eur, { issueDate: '2025-01-15', dueDate: '2025-02-14', taxRate: '20' }, { rate: '1000' }, '2025-01-20T09:00:00Z');
    await invoice(
      'inv2',
      eur,
      { issueDate: '2025-03-05', dueDate: '2025-04-04', taxRate: '20', billingPeriodEnd: '2025-02-28' },
      { rate: '2000' },
      '2025-03-05T09:00:00Z',
    );
    await invoice('inv3', eur, { issueDate: '2025-03-10', dueDate: '2025-03-20', taxRate: '20' }, { rate: '300' }, '2025-03-12T23:30:00Z');
    await invoice('inv4', eur, { issueDate: '2025-03-12', dueDate: '2025-04-11', taxRate: '20' }, { rate: '100' }, '2025-03-14T08:00:00Z');
    // USD, no tax: INV5 1000 USD for February, posted 16 days after
    await invoice(
      'inv5',
      usd,
      { issueDate: '2025-03-15', dueDate: '2025-04-14', billingPeriodEnd: '2025-02-28' },
      { sourceType: 'FIXED', rate: '1000' },
      '2025-03-16T12:00:00Z',
    );

    // 500 EUR paid on INV1 on 2025-03-10 (700 left), a later payment (April) that March balances must ignore
    const paid = await factory.payment({
      customerId: eur.customer.id,
      legalEntityId: legalEntity.id,
      date: '2025-03-10',
      amount: '500',
      currency: 'EUR',
      allocations: [{ invoiceId: invoices.inv1.id, allocatedAmount: '500' }],
    });
    await factory.postPayment(paid.id);
    const later = await factory.payment({
      customerId: eur.customer.id,
      legalEntityId: legalEntity.id,
      date: '2025-04-02',
      amount: '100',
      currency: 'EUR',
      allocations: [{ invoiceId: invoices.inv1.id, allocatedAmount: '100' }],
    });
    await factory.postPayment(later.id);

    // revenue: EUR line 1500 in February and 2400 in March (project A), USD line 600 in March (project B)
    const revenue = (contractLineId: string, period: string, recognizedAmount: string, projectId: string) =>
      gql(`mutation($input: RecordRevenueEntryInput!) { recordRevenueEntry(input: $input) { id } }`, {
        input: { contractLineId, period, recognizedAmount, projectId },
      });
    await revenue(eur.line.id, '2025-02-01', '1500', projectEur);
    await revenue(eur.line.id, '2025-03-01', '2400', projectEur);
    await revenue(usd.line.id, '2025-03-01', '600', projectUsd);
  });

  describe('credit notes', () => {
    it('should credit part of a posted invoice with tax at its rate, approved by the caller, reducing amountDue, consumption and revenue', async () => {
      const { createCreditNote } = await gql(CREDIT, {
        input: { invoiceId: invoices.inv2.id, subtotal: '500', reason: ' Rate error on two days ', issueDate: '2025-03-20' },
      });

      expect(createCreditNote).toMatchObject({
        number: `${invoices.inv2.number}-CN1`,
        issueDate: '2025-03-20',
        reason: 'Rate error on two days',
        approvedBy: 'test-user',
        subtotal: { amount: '500.00', currency: 'EUR' },
        tax: { amount: '100.00' },
        total: { amount: '600.00' },
        baseTotal: { amount: '600.00', currency: 'EUR' },
        // 2400 − 600
        invoice: { status: 'POSTED', amountDue: { amount: '1800.00' }, creditedTotal: { amount: '600.00' } },
      });
    });

    it('should void an invoice credited in full (CANCELLED), crediting the tax that is left', async () => {
      const { createCreditNote } = await gql(CREDIT, {
        input: { invoiceId: invoices.inv4.id, reason: 'Duplicate', issueDate: '2025-03-15' },
      });

      expect(createCreditNote).toMatchObject({
        subtotal: { amount: '100.00' },
        tax: { amount: '20.00' },
        total: { amount: '120.00' },
        invoice: { status: 'CANCELLED', amountDue: { amount: '0.00' }, creditedTotal: { amount: '120.00' } },
      });
    });

    it('should have given back consumption and reversed revenue that followed billing', async () => {
      const { contract } = await gql(`query($id: ID!) { contract(id: $id) { consumedAmount { amount } } }`, { id: eur.contract.id });
      const { revenueEntries } = await gql(
        `query($line: ID!) { revenueEntries(first: 10, filter: { contractLineId: $line }) { edges { node { period recognizedAmount { amount } cumulativeRecognized { amount } } } } }`,
        { line: eur.line.id },
      );

      // posted 1000 + 2000 + 300 + 100 = 3400, credited 500 + 100
      expect(contract.consumedAmount.amount).toBe('2800.00');
      // March 2400 − 500 − 100; cumulative 1500 + 1800
      expect(revenueEntries.edges.map(({ node }: Row) => node)).toEqual([
        { period: '2025-02-01', recognizedAmount: { amount: '1500.00' }, cumulativeRecognized: { amount: '1500.00' } },
        { period: '2025-03-01', recognizedAmount: { amount: '1800.00' }, cumulativeRecognized: { amount: '3300.00' } },
      ]);
    });

    it('should refuse bad credit notes with their codes and write nothing', async () => {
      const draft = await factory.draftInvoice({ customerId: eur.customer.id, legalEntityId: legalEntity.id });
      const attempt = async (input: Row) => (await postGraphQL(sut.graphqlUrl, CREDIT, { input })).errors?.[0].extensions?.code;

      expect(await attempt({ invoiceId: draft.id, reason: 'x' })).toBe('CONFLICT');
      expect(await attempt({ invoiceId: invoices.inv4.id, reason: 'again' })).toBe('CONFLICT');
      expect(await attempt({ invoiceId: invoices.inv2.id, subtotal: '1500.01', reason: 'too much' })).toBe('BAD_USER_INPUT');
      expect(await attempt({ invoiceId: invoices.inv2.id, subtotal: '10', reason: '   ' })).toBe('BAD_USER_INPUT');
      expect(await attempt({ invoiceId: invoices.inv2.id, subtotal: '10', reason: 'early', issueDate: '2025-03-04' })).toBe(
        'BAD_USER_INPUT',
      );
      // INV1: 1000 creditable, but 1200 exceeds the 600 still due after payments
      expect(await attempt({ invoiceId: invoices.inv1.id, reason: 'full' })).toBe('CONFLICT');
      expect(await attempt({ invoiceId: randomUUID(), reason: 'missing' })).toBe('NOT_FOUND');
      expect((await factory.invoice(invoices.inv1.id)).amountDue.amount).toBe('600.00');
      expect((await factory.invoice(invoices.inv2.id)).amountDue.amount).toBe('1800.00');
    });
  });

  describe('write-offs', () => {
    it('should write off part of an amount due with its reason and approver', async () => {
      const { createWriteOff } = await gql(WRITE_OFF, {
        input: { invoiceId: invoices.inv3.id, amount: '60', reason: 'Disputed travel', date: '2025-03-25' },
      });

      expect(createWriteOff).toMatchObject({
        date: '2025-03-25',
        reason: 'Disputed travel',
        approvedBy: 'test-user',
        amount: { amount: '60.00', currency: 'EUR' },
        invoice: { status: 'POSTED', amountDue: { amount: '300.00' }, writtenOffTotal: { amount: '60.00' } },
      });
    });

    it('should refuse a write-off above the amount due, and voiding an invoice with a write-off', async () => {
      const tooMuch = await postGraphQL(sut.graphqlUrl, WRITE_OFF, {
        input: { invoiceId: invoices.inv3.id, amount: '300.01', reason: 'all' },
      });
      const cancel = await postGraphQL(sut.graphqlUrl, `mutation($id: ID!) { cancelInvoice(id: $id) { id } }`, { id: invoices.inv3.id });

      expect(tooMuch.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(cancel.errors?.[0].extensions?.code).toBe('CONFLICT');
      expect((await factory.invoice(invoices.inv3.id)).amountDue.amount).toBe('300.00');
    });
  });

  describe('KPIs for March 2025', () => {
    const MARCH = { from: '2025-03-01', to: '2025-03-31' };

    it('should answer the portfolio of the legal entity per currency, and in its functional currency', async () => {
      const { financeKpis } = await gql(
        `query($from: String!, $to: String!, $le: ID) { financeKpis(from: $from, to: $to, legalEntityId: $le) { ${KPI_FIELDS} } }`,
        {
          ...MARCH,
          le: legalEntity.id,
        },
      );

      expect(financeKpis).toMatchObject({ from: '2025-03-01', to: '2025-03-31', days: 31 });
      // EUR AR on 03-31: INV1 1200 − 500 (the April payment does not count) = 700, INV2 1800, INV3 360 − 60 = 300, INV4 0
      // EUR credit sales: 2400 + 360 + 120 − 600 − 120 = 2160; DSO 2800 / 2160 × 31 = 40.185… → 40.19
      expect(financeKpis.dso).toEqual([
        { currency: 'EUR', receivables: { amount: '2800.00', currency: 'EUR' }, creditSales: { amount: '2160.00' }, days: '40.19' },
        { currency: 'USD', receivables: { amount: '1000.00', currency: 'USD' }, creditSales: { amount: '1000.00' }, days: '31.00' },
      ]);
      // due dates: INV1 2025-02-14 (45 days late), INV2 2025-04-04 (not due), INV3 2025-03-20 (11 days late)
      expect(financeKpis.arAgeing).toEqual([
        {
          currency: 'EUR',
          current: { amount: '1800.00' },
          overdue1To30: { amount: '300.00' },
          overdue31To60: { amount: '700.00' },
          overdue61To90: { amount: '0.00' },
          overdueOver90: { amount: '0.00' },
          total: { amount: '2800.00' },
        },
        {
          currency: 'USD',
          current: { amount: '1000.00' },
          overdue1To30: { amount: '0.00' },
          overdue31To60: { amount: '0.00' },
          overdue61To90: { amount: '0.00' },
          overdueOver90: { amount: '0.00' },
          total: { amount: '1000.00' },
        },
      ]);
      // backlog: 10000 − (1500 + 1800) = 6700 EUR; 5000 − 600 = 4400 USD
      expect(financeKpis.backlog).toEqual([
        { amount: '6700.00', currency: 'EUR' },
        { amount: '4400.00', currency: 'USD' },
      ]);
      // WIP: EUR 3300 recognised − (1000 + 2000 + 300 + 100 − 500 − 100 = 2800) invoiced = 500; USD 600 − 1000 → 0
      expect(financeKpis.unbilled).toEqual([
        { amount: '500.00', currency: 'EUR' },
        { amount: '0.00', currency: 'USD' },
      ]);
      expect(financeKpis.revenueRecognized).toEqual([
        { amount: '1800.00', currency: 'EUR' },
        { amount: '600.00', currency: 'USD' },
      ]);
      // posted in March: INV2 03-05 − 02-28 = 5, INV3 03-12 − 03-10 = 2, INV4 03-14 − 03-12 = 2, INV5 03-16 − 02-28 = 16
      expect(financeKpis.invoiceCycleTime).toEqual({ invoices: 4, averageDays: '6.25', p90Days: 16 });
      // issued in March: INV2, INV3, INV4 (2880 EUR), credited INV2 600 and INV4 120
      expect(financeKpis.invoiceAccuracy).toEqual([
        {
          currency: 'EUR',
          invoices: 3,
          creditedInvoices: 2,
          invoicedAmount: { amount: '2880.00' },
          creditedAmount: { amount: '720.00' },
          creditedCountPct: '66.67',
          creditedAmountPct: '25.00',
        },
        {
          currency: 'USD',
          invoices: 1,
          creditedInvoices: 0,
          invoicedAmount: { amount: '1000.00' },
          creditedAmount: { amount: '0.00' },
          creditedCountPct: '0.00',
          creditedAmountPct: '0.00',
        },
      ]);
      expect(financeKpis.writeOffs).toEqual([{ currency: 'EUR', count: 1, amount: { amount: '60.00' } }]);
      // USD at 0.900000: AR 2800 + 900, sales 2160 + 900, DSO 3700 / 3060 × 31 = 37.483… → 37.48,
      // backlog 6700 + 3960, WIP 500 + 0, revenue 1800 + 540
      expect(financeKpis.inFunctionalCurrency).toEqual({
        currency: 'EUR',
        fxDate: '2025-03-31',
        receivables: { amount: '3700.00' },
        creditSales: { amount: '3060.00' },
        dsoDays: '37.48',
        backlog: { amount: '10660.00' },
        unbilled: { amount: '500.00' },
        revenueRecognized: { amount: '2340.00' },
        writeOffs: { amount: '60.00' },
      });
      expect(financeKpis.projects).toEqual([{ id: projectEur }, { id: projectUsd }].sort((left, right) => (left.id < right.id ? -1 : 1)));
    });

    it('should keep to one currency when asked', async () => {
      const { financeKpis } = await gql(
        `query($le: ID) { financeKpis(from: "2025-03-01", to: "2025-03-31", legalEntityId: $le, currency: "USD") { dso { currency days } backlog { amount currency } writeOffs { count } } }`,
        { le: legalEntity.id },
      );

      expect(financeKpis).toEqual({
        dso: [{ currency: 'USD', days: '31.00' }],
        backlog: [{ amount: '4400.00', currency: 'USD' }],
        writeOffs: [],
      });
    });

    it('should read a past period as it was: on 2025-02-28 INV1 was 14 days late and unpaid', async () => {
      const { financeKpis } = await gql(
        `query($le: ID) { financeKpis(from: "2025-02-01", to: "2025-02-28", legalEntityId: $le) { dso { currency receivables { amount } creditSales { amount } days } arAgeing { overdue1To30 { amount } } backlog { amount currency } } }`,
        { le: legalEntity.id },
      );

      expect(financeKpis.dso).toEqual([
        { currency: 'EUR', receivables: { amount: '1200.00' }, creditSales: { amount: '0.00' }, days: null },
      ]);
      expect(financeKpis.arAgeing).toEqual([{ overdue1To30: { amount: '1200.00' } }]);
      // 10000 − 1500; 5000 − 0
      expect(financeKpis.backlog).toEqual([
        { amount: '8500.00', currency: 'EUR' },
        { amount: '5000.00', currency: 'USD' },
      ]);
    });

    it('should answer clients, projects, contracts and legal entities the same way, batched', async () => {
      const { _entities } = await gql(
        `query($representations: [_Any!]!) { _entities(representations: $representations) {
           ... on Client { id financeKpis(from: "2025-03-01", to: "2025-03-31") { dso { currency days } writeOffs { count } } }
           ... on Project { id financeKpis(from: "2025-03-01", to: "2025-03-31") { unbilled { amount currency } revenueRecognized { amount } backlog { amount } } } } }`,
        {
          representations: [
            { __typename: 'Client', id: eur.customer.clientId },
            { __typename: 'Client', id: usd.customer.clientId },
            { __typename: 'Project', id: projectEur },
          ],
        },
      );
      const { contract, legalEntity: entity } = await gql(
        `query($contract: ID!, $le: ID!) {
           contract(id: $contract) { financeKpis(from: "2025-03-01", to: "2025-03-31") { backlog { amount currency } unbilled { amount } } }
           legalEntity(id: $le) { financeKpis(from: "2025-03-01", to: "2025-03-31") { inFunctionalCurrency { receivables { amount } dsoDays } } } }`,
        { contract: eur.contract.id, le: legalEntity.id },
      );

      expect(_entities).toEqual([
        { id: eur.customer.clientId, financeKpis: { dso: [{ currency: 'EUR', days: '40.19' }], writeOffs: [{ count: 1 }] } },
        { id: usd.customer.clientId, financeKpis: { dso: [{ currency: 'USD', days: '31.00' }], writeOffs: [] } },
        // the project's invoices carry no projectId here: WIP is all of its 3300 recognised; no backlog for projects
        {
          id: projectEur,
          financeKpis: { unbilled: [{ amount: '3300.00', currency: 'EUR' }], revenueRecognized: [{ amount: '1800.00' }], backlog: [] },
        },
      ]);
      expect(contract.financeKpis).toEqual({ backlog: [{ amount: '6700.00', currency: 'EUR' }], unbilled: [{ amount: '500.00' }] });
      expect(entity.financeKpis.inFunctionalCurrency).toEqual({ receivables: { amount: '3700.00' }, dsoDays: '37.48' });
    });

    it('should refuse a period that ends before it starts', async () => {
      const result = await postGraphQL(sut.graphqlUrl, `{ financeKpis(from: "2025-03-31", to: "2025-03-01") { days } }`);

      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });
  });
});
