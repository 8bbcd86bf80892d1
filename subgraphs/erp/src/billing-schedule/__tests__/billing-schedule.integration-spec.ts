import { randomUUID } from 'node:crypto';
import { QueryCounter } from '@concord/common';
import { WritePoint } from '@concord/graphql';
import { postGraphQL, queryData, useTestService, runAsTestCaller } from '@concord/testing';
import { ErpModule } from '../../app.module';
import { ErpCoreFactory } from '../../__tests__/core-factories';
import { BillingScheduleService } from '../billing-schedule.service';

/** Booting (or closing) Nest and creating (or dropping) a database can outlast jest's 5 s hook default on a busy machine. */
const BOOT_TIMEOUT = 60_000;

const CREATE = `mutation($input: CreateBillingScheduleInput!) { createBillingSchedule(input: $input) {
  id type contractId contractLine { id } lines { id plannedDate pct status amount { amount currency } milestone { id } } } }`;
const TRANSITION = `mutation($id: ID!, $to: BillingScheduleLineStatus!, $invoiceId: ID) {
  transitionBillingScheduleLine(id: $id, to: $to, invoiceId: $invoiceId) { status invoiceId } }`;
const READ_LINE = `query($id: ID!) { billingScheduleLine(id: $id) { status invoiceId amount { amount } pct plannedDate } }`;

describe('BillingSchedule', () => {
  const queries = new QueryCounter();
  const sut = useTestService((databaseUrl) => ErpModule.forRoot({ databaseUrl, queryLogger: queries }), 'erp');
  let factory: ErpCoreFactory;

  /** A DRAFT contract with one fixed-fee line of `amount`. */
  const fixedFeeContract = async (amount = '10000') => {
    const contract = await factory.contract({ lines: [factory.fixedLine({ amount })] });
    return { contract, lineId: contract.lines[0].id as string };
  };

  const schedule = async (contractLineId: string, lines: Record<string, unknown>[], type = 'FIXED_DATE') =>
    (await queryData(sut.graphqlUrl, CREATE, { input: { contractLineId, type, lines } })).createBillingSchedule;

  beforeAll(async () => {
    factory = new ErpCoreFactory(sut.graphqlUrl);
  }, BOOT_TIMEOUT);

  describe('create', () => {
    it('should create a schedule with amount and percentage lines, the percentage priced from the contract line', async () => {
      const { contract, lineId } = await fixedFeeContract('10000');
      const milestoneId = randomUUID();

      const created = await schedule(
        lineId,
        [
          { plannedDate: '2025-03-31', pct: '30', milestoneId },
          { plannedDate: '2025-01-31', amount: '2000' },
        ],
        'MILESTONE',
      );

      expect(created).toMatchObject({ type: 'MILESTONE', contractId: contract.id, contractLine: { id: lineId } });
      expect(created.lines).toEqual([
        {
          id: expect.any(String),
          plannedDate: '2025-01-31',
          pct: null,
          status: 'PLANNED',
          amount: { amount: '2000.00', currency: 'EUR' },
          milestone: null,
        },
        {
          id: expect.any(String),
          plannedDate: '2025-03-31',
          pct: '30.00',
          status: 'PLANNED',
          amount: { amount: '3000.00', currency: 'EUR' },
          milestone: { id: milestoneId },
        },
      ]);
    });

    it('should not accept a line with both amount and pct, or neither (BAD_USER_INPUT)', async () => {
      const { lineId } = await fixedFeeContract();

      const both = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: { contractLineId: lineId, type: 'FIXED_DATE', lines: [{ plannedDate: '2025-01-01', amount: '1', pct: '1' }] },
      });
      const neither = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: { contractLineId: lineId, type: 'FIXED_DATE', lines: [{ plannedDate: '2025-01-01' }] },
      });

      expect(both.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(neither.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('should not let the percentages exceed 100 and write nothing', async () => {
      const { contract, lineId } = await fixedFeeContract();

      const result = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: {
          contractLineId: lineId,
          type: 'PERIODIC',
          lines: [
            { plannedDate: '2025-01-01', pct: '60' },
            { plannedDate: '2025-02-01', pct: '40.01' },
          ],
        },
      });

      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      const { billingSchedules } = await queryData(
        sut.graphqlUrl,
        `query($id: ID!) { billingSchedules(filter: { contractId: $id }) { edges { node { id } } } }`,
        { id: contract.id },
      );
      expect(billingSchedules.edges).toHaveLength(0);
    });

    it('should answer NOT_FOUND for an unknown contract line and refuse a cancelled contract (BAD_USER_INPUT)', async () => {
      const { contract, lineId } = await fixedFeeContract();
      await queryData(sut.graphqlUrl, `mutation($id: ID!) { transitionContract(id: $id, to: CANCELLED) { status } }`, { id: contract.id });

      const unknown = await postGraphQL(sut.graphqlUrl, CREATE, { input: { contractLineId: randomUUID(), type: 'FIXED_DATE' } });
      const cancelled = await postGraphQL(sut.graphqlUrl, CREATE, { input: { contractLineId: lineId, type: 'FIXED_DATE' } });

      expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      expect(cancelled.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('should add a line to an existing schedule and change the schedule type', async () => {
      const { lineId } = await fixedFeeContract();
      const created = await schedule(lineId, []);

      const { createBillingScheduleLine } = await queryData(
        sut.graphqlUrl,
        `mutation($id: ID!) { createBillingScheduleLine(input: { billingScheduleId: $id, plannedDate: "2025-06-30", amount: "1500", description: "June" }) { description billingSchedule { id } } }`,
        { id: created.id },
      );
      const { updateBillingSchedule } = await queryData(
        sut.graphqlUrl,
        `mutation($id: ID!) { updateBillingSchedule(id: $id, input: { type: PERIODIC, description: "monthly" }) { type description } }`,
        {
          id: created.id,
        },
      );

      expect(createBillingScheduleLine).toEqual({ description: 'June', billingSchedule: { id: created.id } });
      expect(updateBillingSchedule).toEqual({ type: 'PERIODIC', description: 'monthly' });
    });
  });

  describe('percentage lines', () => {
    it('should follow the contract line amount while open, but not once invoiced', async () => {
      const { contract, lineId } = await fixedFeeContract('10000');
      const created = await schedule(lineId, [
        { plannedDate: '2025-01-31', pct: '50' },
        { plannedDate: '2025-02-28', pct: '50' },
      ]);
      const [invoiced, open] = created.lines;
      await queryData(sut.graphqlUrl, TRANSITION, { id: invoiced.id, to: 'READY' });
      await queryData(sut.graphqlUrl, TRANSITION, { id: invoiced.id, to: 'INVOICED', invoiceId: await factory.invoiceFor(contract) });

      await queryData(
        sut.graphqlUrl,
        `mutation($id: ID!) { updateContractLine(id: $id, input: { amount: "12000", amendmentReason: "Scope extension" }) { id } }`,
        {
          id: lineId,
        },
      );

      expect((await queryData(sut.graphqlUrl, READ_LINE, { id: invoiced.id })).billingScheduleLine.amount).toEqual({ amount: '5000.00' });
      expect((await queryData(sut.graphqlUrl, READ_LINE, { id: open.id })).billingScheduleLine.amount).toEqual({ amount: '6000.00' });
    });

    it('should switch a line from percentage to amount', async () => {
      const { lineId } = await fixedFeeContract('10000');
      const created = await schedule(lineId, [{ plannedDate: '2025-01-31', pct: '10' }]);

      const { updateBillingScheduleLine } = await queryData(
        sut.graphqlUrl,
        `mutation($id: ID!) { updateBillingScheduleLine(id: $id, input: { amount: "1234.5", plannedDate: "2025-02-15" }) { pct plannedDate amount { amount } } }`,
        { id: created.lines[0].id },
      );

      expect(updateBillingScheduleLine).toEqual({ pct: null, plannedDate: '2025-02-15', amount: { amount: '1234.50' } });
    });
  });

  describe('transitions', () => {
    it('should go PLANNED → READY → INVOICED with the invoice id', async () => {
      const { contract, lineId } = await fixedFeeContract();
      const [line] = (await schedule(lineId, [{ plannedDate: '2025-01-31', amount: '100' }])).lines;
      const invoiceId = await factory.invoiceFor(contract);

      const ready = await queryData(sut.graphqlUrl, TRANSITION, { id: line.id, to: 'READY' });
      const invoiced = await queryData(sut.graphqlUrl, TRANSITION, { id: line.id, to: 'INVOICED', invoiceId });

      expect(ready.transitionBillingScheduleLine).toEqual({ status: 'READY', invoiceId: null });
      expect(invoiced.transitionBillingScheduleLine).toEqual({ status: 'INVOICED', invoiceId });
    });

    it('should cancel a PLANNED and a READY line', async () => {
      const { lineId } = await fixedFeeContract();
      const [planned, ready] = (
        await schedule(lineId, [
          { plannedDate: '2025-01-31', amount: '1' },
          { plannedDate: '2025-02-28', amount: '1' },
        ])
      ).lines;
      await queryData(sut.graphqlUrl, TRANSITION, { id: ready.id, to: 'READY' });

      const first = await queryData(sut.graphqlUrl, TRANSITION, { id: planned.id, to: 'CANCELLED' });
      const second = await queryData(sut.graphqlUrl, TRANSITION, { id: ready.id, to: 'CANCELLED' });

      expect([first.transitionBillingScheduleLine.status, second.transitionBillingScheduleLine.status]).toEqual(['CANCELLED', 'CANCELLED']);
    });

    it.each([
      ['PLANNED', 'INVOICED', []],
      ['INVOICED', 'CANCELLED', ['READY', 'INVOICED']],
      ['INVOICED', 'READY', ['READY', 'INVOICED']],
      ['CANCELLED', 'READY', ['CANCELLED']],
      ['READY', 'PLANNED', ['READY']],
    ])('should not go from %s to %s (INVALID_TRANSITION) and change nothing', async (from, to, path) => {
      const { contract, lineId } = await fixedFeeContract();
      const [line] = (await schedule(lineId, [{ plannedDate: '2025-01-31', amount: '100' }])).lines;
      const invoiceId = await factory.invoiceFor(contract);
      for (const step of path) {
        await queryData(sut.graphqlUrl, TRANSITION, { id: line.id, to: step, invoiceId: step === 'INVOICED' ? invoiceId : null });
      }

      const result = await postGraphQL(sut.graphqlUrl, TRANSITION, { id: line.id, to, invoiceId: to === 'INVOICED' ? invoiceId : null });

      expect(result.errors?.[0].extensions).toMatchObject({ code: 'INVALID_TRANSITION', from, to });
      expect((await queryData(sut.graphqlUrl, READ_LINE, { id: line.id })).billingScheduleLine).toMatchObject({
        status: from,
        invoiceId: from === 'INVOICED' ? invoiceId : null,
      });
    });

    it('should not mark a line INVOICED without an invoice id, nor take one for another status (BAD_USER_INPUT)', async () => {
      const { lineId } = await fixedFeeContract();
      const [line] = (await schedule(lineId, [{ plannedDate: '2025-01-31', amount: '100' }])).lines;

      const early = await postGraphQL(sut.graphqlUrl, TRANSITION, { id: line.id, to: 'READY', invoiceId: randomUUID() });
      await queryData(sut.graphqlUrl, TRANSITION, { id: line.id, to: 'READY' });
      const missing = await postGraphQL(sut.graphqlUrl, TRANSITION, { id: line.id, to: 'INVOICED' });

      expect(early.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(missing.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect((await queryData(sut.graphqlUrl, READ_LINE, { id: line.id })).billingScheduleLine.status).toBe('READY');
    });

    it('should not make a percentage of a line without amount READY (BAD_USER_INPUT)', async () => {
      const contract = await factory.contract({ lines: [factory.tmLine({ amount: null })] });
      const [line] = (await schedule(contract.lines[0].id, [{ plannedDate: '2025-01-31', pct: '100' }], 'TM_RUN')).lines;

      const result = await postGraphQL(sut.graphqlUrl, TRANSITION, { id: line.id, to: 'READY' });

      expect(line.amount).toBeNull();
      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('should mark a READY line invoiced inside the caller transaction (invoicing side)', async () => {
      const { contract, lineId } = await fixedFeeContract();
      const [line] = (await schedule(lineId, [{ plannedDate: '2025-01-31', amount: '100' }])).lines;
      await queryData(sut.graphqlUrl, TRANSITION, { id: line.id, to: 'READY' });
      const invoiceId = await factory.invoiceFor(contract);

      await runAsTestCaller(() =>
        sut.app.get(WritePoint).run((tx) => sut.app.get(BillingScheduleService).markInvoiced(tx, line.id, invoiceId)),
      );

      expect((await queryData(sut.graphqlUrl, READ_LINE, { id: line.id })).billingScheduleLine).toMatchObject({
        status: 'INVOICED',
        invoiceId,
      });
    });

    it('should not change an INVOICED line (BAD_USER_INPUT)', async () => {
      const { contract, lineId } = await fixedFeeContract();
      const [line] = (await schedule(lineId, [{ plannedDate: '2025-01-31', amount: '100' }])).lines;
      await queryData(sut.graphqlUrl, TRANSITION, { id: line.id, to: 'READY' });
      await queryData(sut.graphqlUrl, TRANSITION, { id: line.id, to: 'INVOICED', invoiceId: await factory.invoiceFor(contract) });

      const result = await postGraphQL(
        sut.graphqlUrl,
        `mutation($id: ID!) { updateBillingScheduleLine(id: $id, input: { amount: "1" }) { id } }`,
        { id: line.id },
      );

      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('queries', () => {
    it('should filter lines by contract, status and planned date, sorted by planned date', async () => {
      const { contract, lineId } = await fixedFeeContract();
      const lines = (
        await schedule(
          lineId,
          ['2025-04-30', '2025-01-31', '2025-03-31', '2025-02-28'].map((plannedDate) => ({ plannedDate, amount: '10' })),
        )
      ).lines;
      await queryData(sut.graphqlUrl, TRANSITION, { id: lines[1].id, to: 'READY' });

      const { billingScheduleLines } = await queryData(
        sut.graphqlUrl,
        `query($id: ID!) { billingScheduleLines(filter: { contractId: $id, statusIn: [PLANNED], plannedDateFrom: "2025-02-01", plannedDateTo: "2025-04-30" }, orderBy: { field: PLANNED_DATE, direction: DESC }) {
           edges { node { plannedDate } } } }`,
        { id: contract.id },
      );

      expect(billingScheduleLines.edges.map((edge: { node: { plannedDate: string } }) => edge.node.plannedDate)).toEqual([
        '2025-04-30',
        '2025-03-31',
      ]);
    });

    it('should resolve contract lines, their schedules and schedule lines in one statement per level', async () => {
      const contract = await factory.contract({ lines: [factory.fixedLine(), factory.fixedLine({ description: 'second' })] });
      for (const line of contract.lines) {
        await schedule(line.id, [
          { plannedDate: '2025-01-31', amount: '1' },
          { plannedDate: '2025-02-28', amount: '2' },
        ]);
        await schedule(line.id, [{ plannedDate: '2025-03-31', pct: '5' }]);
      }

      queries.reset();
      const { contract: read } = await queryData(
        sut.graphqlUrl,
        `query($id: ID!) { contract(id: $id) { lines { billingSchedules { lines { plannedDate } } } } }`,
        { id: contract.id },
      );

      expect(
        read.lines.map((line: { billingSchedules: { lines: unknown[] }[] }) => line.billingSchedules.map((s) => s.lines.length)),
      ).toEqual([
        [2, 1],
        [2, 1],
      ]);
      expect(queries.count).toBe(4);
    });

    it('should read a schedule by id and page schedules of a contract line', async () => {
      const { lineId } = await fixedFeeContract();
      const made = [await schedule(lineId, []), await schedule(lineId, []), await schedule(lineId, [])];

      const { billingSchedule } = await queryData(sut.graphqlUrl, `query($id: ID!) { billingSchedule(id: $id) { id type } }`, {
        id: made[1].id,
      });
      const first = await queryData(
        sut.graphqlUrl,
        `query($id: ID!) { billingSchedules(first: 2, filter: { contractLineId: $id }) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
        {
          id: lineId,
        },
      );
      const second = await queryData(
        sut.graphqlUrl,
        `query($id: ID!, $after: String) { billingSchedules(first: 2, after: $after, filter: { contractLineId: $id }) { edges { node { id } } } }`,
        {
          id: lineId,
          after: first.billingSchedules.pageInfo.endCursor,
        },
      );

      expect(billingSchedule).toEqual({ id: made[1].id, type: 'FIXED_DATE' });
      expect(
        [...first.billingSchedules.edges, ...second.billingSchedules.edges].map((edge: { node: { id: string } }) => edge.node.id),
      ).toEqual(made.map((s) => s.id));
    });
  });
});
