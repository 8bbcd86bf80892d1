import { newId } from '@concord/common';
import { postGraphQL, queryData, useTestService } from '@concord/testing';
import { ErpModule } from '../../app.module';
import { BillingFactory } from '../../__tests__/billing-factories';

jest.setTimeout(60_000);

const CREATE = `mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { id } }`;
const BILLED = `query($sourceType: InvoiceLineSourceType!, $sourceIds: [ID!]!) { billedInvoiceSources(sourceType: $sourceType, sourceIds: $sourceIds) }`;
const READY = `mutation($asOf: String, $milestoneId: ID, $contractId: ID) {
  readyBillingScheduleLines(asOf: $asOf, milestoneId: $milestoneId, contractId: $contractId) { id plannedDate status milestoneId } }`;
const SCHEDULE = `mutation($input: CreateBillingScheduleInput!) { createBillingSchedule(input: $input) {
  lines { id plannedDate status milestoneId amount { amount } } } }`;

describe('Invoice run support in the ERP', () => {
  const sut = useTestService((databaseUrl) => ErpModule.forRoot({ databaseUrl }), 'erp');
  let factory: BillingFactory;

  beforeAll(() => {
    factory = new BillingFactory(sut.graphqlUrl);
  });

  const schedule = async (contractLineId: string, lines: Record<string, unknown>[]) =>
    (await queryData(sut.graphqlUrl, SCHEDULE, { input: { contractLineId, type: 'FIXED_DATE', lines } })).createBillingSchedule.lines;
  const contractOf = async (id: string) =>
    (await queryData(sut.graphqlUrl, `query($id: ID!) { contract(id: $id) { consumedAmount { amount } } }`, { id })).contract;
  const invoiceCount = async (contractId: string) =>
    (await queryData(sut.graphqlUrl, `query($c: ID!) { invoices(filter: { contractId: $c }, first: 50) { edges { node { id } } } }`, { c: contractId }))
      .invoices.edges.length;

  describe('readyBillingScheduleLines', () => {
    it('should make date-based lines READY on their date and milestone lines only on their milestone, once', async () => {
      const { contract, line } = await factory.context();
      const milestoneId = newId();
      // answered by planned date: the milestone line (01-15) first
      const [milestone, january, february] = await schedule(line.id, [
        { plannedDate: '2025-01-31', amount: '1000' },
        { plannedDate: '2025-02-28', amount: '2000' },
        { plannedDate: '2025-01-15', amount: '3000', milestoneId },
      ]);

      const byDate = (await queryData(sut.graphqlUrl, READY, { asOf: '2025-02-27', contractId: contract.id })).readyBillingScheduleLines;
      const again = (await queryData(sut.graphqlUrl, READY, { asOf: '2025-02-27', contractId: contract.id })).readyBillingScheduleLines;
      const byMilestone = (await queryData(sut.graphqlUrl, READY, { milestoneId })).readyBillingScheduleLines;

      expect(byDate).toEqual([{ id: january.id, plannedDate: '2025-01-31', status: 'READY', milestoneId: null }]);
      expect(again).toEqual([]);
      expect(byMilestone).toEqual([{ id: milestone.id, plannedDate: '2025-01-15', status: 'READY', milestoneId }]);
      const { billingScheduleLine } = await queryData(sut.graphqlUrl, `query($id: ID!) { billingScheduleLine(id: $id) { status } }`, {
        id: february.id,
      });
      expect(billingScheduleLine.status).toBe('PLANNED');
    });

    it('should refuse to guess between a date and a milestone', async () => {
      const response = await postGraphQL(sut.graphqlUrl, READY, {});

      expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('createInvoice with the lines of a run', () => {
    /**
     * Contract in EUR: time of one project at 120.15/h (7.25 h → 871.09 and 1.75 h → 210.26 on the entries: 1081.35 for
     * 9.00 h), expenses 155.50 and a READY schedule line of 2500.00: 3736.85.
     */
    const runInvoice = async () => {
      const context = await factory.context();
      const [scheduled] = await schedule(context.line.id, [{ plannedDate: '2025-03-15', amount: '2500' }]);
      await queryData(sut.graphqlUrl, READY, { asOf: '2025-03-31', contractId: context.contract.id });
      const time = [newId(), newId()];
      const expenses = [newId(), newId()];
      const input = {
        customerId: context.customer.id,
        legalEntityId: context.legalEntity.id,
        contractId: context.contract.id,
        billingPeriodEnd: '2025-03-31',
        lines: [
          { sourceType: 'TIME', sourceIds: time, description: 'P-1 at 120.15', qty: '9.00', rate: '120.15', amount: '1081.35' },
          { sourceType: 'EXPENSE', sourceIds: expenses, description: 'P-1 travel', qty: '1', rate: '155.50', amount: '155.50' },
          {
            sourceType: 'FIXED',
            description: 'March instalment',
            qty: '1',
            rate: '2500.00',
            contractLineId: context.line.id,
            billingScheduleLineId: scheduled.id,
          },
        ],
      };
      return { ...context, scheduled, time, expenses, input };
    };

    it('should bill the sources at their own amounts and count the posted subtotal in the contract consumption', async () => {
      const { contract, input, time, scheduled } = await runInvoice();

      const draft = await factory.draftInvoice(input);
      const posted = await factory.post(draft.id);
      const { invoices } = await queryData(
        sut.graphqlUrl,
        `query($c: ID!) { invoices(filter: { contractId: $c, billingPeriodEnd: "2025-03-31" }) { edges { node { id } } } }`,
        { c: contract.id },
      );

      expect(draft.lines.map((line: { amount: { amount: string } }) => line.amount.amount)).toEqual(['1081.35', '155.50', '2500.00']);
      expect(draft.lines[0]).toMatchObject({ sourceType: 'TIME', sourceIds: time, qty: '9.00', rate: { amount: '120.15' } });
      expect(posted.subtotal).toEqual({ amount: '3736.85', currency: 'EUR' });
      expect((await contractOf(contract.id)).consumedAmount.amount).toBe('3736.85');
      expect(invoices.edges).toEqual([{ node: { id: draft.id } }]);
      const { billingScheduleLine } = await queryData(sut.graphqlUrl, `query($id: ID!) { billingScheduleLine(id: $id) { status invoiceId } }`, {
        id: scheduled.id,
      });
      expect(billingScheduleLine).toEqual({ status: 'INVOICED', invoiceId: draft.id });
    });

    it('should not bill a time entry that a live draft already bills, and bill it again once that draft is cancelled', async () => {
      const { contract, input, time } = await runInvoice();
      const first = await factory.draftInvoice({ ...input, lines: [input.lines[0]] });
      const stray = newId();

      const billed = (await queryData(sut.graphqlUrl, BILLED, { sourceType: 'TIME', sourceIds: [stray, ...time] })).billedInvoiceSources;
      const refused = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: {
          ...input,
          lines: [{ sourceType: 'TIME', sourceIds: [stray, time[1]], description: 'again', qty: '9', rate: '120.15', amount: '1081.35' }],
        },
      });
      const countAfterRefusal = await invoiceCount(contract.id);
      await queryData(sut.graphqlUrl, `mutation($id: ID!) { cancelInvoice(id: $id) { id } }`, { id: first.id });
      const second = await factory.draftInvoice({ ...input, lines: [input.lines[0]] });

      expect(billed).toEqual([...time].sort());
      expect(refused.errors?.[0].extensions?.code).toBe('CONFLICT');
      expect(countAfterRefusal).toBe(1);
      expect(second.total.amount).toBe('1081.35');
    });

    it('should refuse a source listed twice and an amount beyond the rounding of its sources', async () => {
      const { input } = await runInvoice();
      const id = newId();

      const twice = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: {
          ...input,
          lines: [
            { sourceType: 'EXPENSE', sourceIds: [id], description: 'a', qty: '1', rate: '10' },
            { sourceType: 'EXPENSE', sourceIds: [id], description: 'b', qty: '1', rate: '10' },
          ],
        },
      });
      // 2 sources and 2 hours allow 0.005 × 4 = 0.02 from 2 × 100 = 200.00
      const off = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: { ...input, lines: [{ sourceType: 'TIME', sourceIds: [newId(), newId()], description: 'x', qty: '2', rate: '100', amount: '200.03' }] },
      });
      const within = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: { ...input, lines: [{ sourceType: 'TIME', sourceIds: [newId(), newId()], description: 'x', qty: '2', rate: '100', amount: '200.02' }] },
      });
      const fixedWithAmount = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: { ...input, lines: [{ sourceType: 'FIXED', description: 'x', qty: '1', rate: '100', amount: '100' }] },
      });

      expect(twice.errors?.[0].extensions?.code).toBe('CONFLICT');
      expect(off.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(within.errors).toBeUndefined();
      expect(fixedWithAmount.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });
  });
});
