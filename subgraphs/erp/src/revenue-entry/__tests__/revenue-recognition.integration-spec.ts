import { randomUUID } from 'node:crypto';
import { postGraphQL, queryData, useTestService } from '@concord/testing';
import { ErpModule } from '../../app.module';
import { BillingFactory } from '../../__tests__/billing-factories';

const ENTRY_FIELDS = `id contractLineId contractId projectId period method currency recognizedAmount { amount currency }
  cumulativeRecognized { amount } functionalCurrency fxRate recognizedFunctional { amount currency }`;
const RECOGNIZE = `mutation($input: RecognizeRevenueInput!) { recognizeRevenue(input: $input) {
  period entries { ${ENTRY_FIELDS} } skipped { contractLineId reason } } }`;

type Row = Record<string, any>;

/** The first day of the current month and of the one before (milestone acceptance is stamped with the real clock). */
function currentMonths(): { previous: string; current: string } {
  const now = new Date();
  const current = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const previous = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return { previous: previous.toISOString().slice(0, 10), current: current.toISOString().slice(0, 10) };
}

describe('recognizeRevenue', () => {
  const sut = useTestService((databaseUrl) => ErpModule.forRoot({ databaseUrl }), 'erp');
  let factory: BillingFactory;

  beforeAll(async () => {
    factory = new BillingFactory(sut.graphqlUrl);
    await factory.currency('EUR');
  });

  async function recognize(input: Row): Promise<Row> {
    return (await queryData(sut.graphqlUrl, RECOGNIZE, { input: { delivered: [], progress: [], ...input } })).recognizeRevenue;
  }

  /** An ACTIVE contract of a new customer and legal entity with the given lines (in order). */
  async function activeContract(options: { functionalCurrency?: string; currency?: string; lines: Row[]; contract?: Row }): Promise<Row> {
    const legalEntity = await factory.core.legalEntity({ functionalCurrency: options.functionalCurrency ?? 'EUR' });
    const customer = await factory.core.legalCustomer({ defaultCurrency: options.currency ?? 'EUR' });
    const contract = await factory.core.contract({
      customerId: customer.id,
      legalEntityId: legalEntity.id,
      startDate: '2025-01-01',
      endDate: '2025-03-31',
      lines: options.lines,
      ...options.contract,
    });
    await queryData(sut.graphqlUrl, `mutation($id: ID!) { transitionContract(id: $id, to: ACTIVE) { id } }`, { id: contract.id });
    return contract;
  }

  async function entryCount(contractId: string): Promise<number> {
    const { revenueEntries } = await queryData(
      sut.graphqlUrl,
      `query($id: ID!) { revenueEntries(filter: { contractId: $id }, first: 100) { edges { node { id } } } }`,
      { id: contractId },
    );
    return revenueEntries.edges.length;
  }

  it('should write nothing when a legal entity has no FX rate for the period, naming the pair and the date', async () => {
    await factory.currency('GBP');
    // both contracts started before any other of this suite, so the unscoped run covers exactly these two
    const euro = await activeContract({
      lines: [{ description: 'Support', billingModel: 'RETAINER', amount: '310' }],
      contract: { number: `A-${randomUUID()}`, startDate: '2024-01-01', endDate: '2024-01-31' },
    });
    const pound = await activeContract({
      currency: 'GBP',
      lines: [{ description: 'Support', billingModel: 'RETAINER', amount: '500' }],
      contract: { number: `B-${randomUUID()}`, startDate: '2024-01-01', endDate: '2024-12-31' },
    });

    const result = await postGraphQL(sut.graphqlUrl, RECOGNIZE, { input: { period: '2024-01-01', delivered: [], progress: [] } });

    expect(result.errors?.[0].message).toContain('no exchange rate GBP→EUR on or before 2024-01-31');
    expect(result.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'FX_RATE_MISSING',
      from: 'GBP',
      to: 'EUR',
      date: '2024-01-31',
    });
    // the euro contract came first and was not half-written
    expect([await entryCount(euro.id), await entryCount(pound.id)]).toEqual([0, 0]);
  });

  it('should spread a straight-line line per day over the contract dates and convert each month at its period end rate', async () => {
    await factory.fxRate('USD', 'EUR', '2025-01-31', '0.9');
    await factory.fxRate('USD', 'EUR', '2025-02-28', '0.95');
    const contract = await activeContract({
      currency: 'USD',
      lines: [{ description: 'Licence', billingModel: 'RETAINER', amount: '1000' }],
    });
    const lineId = contract.lines[0].id;

    const months = [];
    for (const period of ['2025-01-01', '2025-02-01', '2025-03-01', '2025-04-01']) {
      months.push((await recognize({ period, contractId: contract.id })).entries);
    }

    // 1000.00 over 90 days: 31 → 344.44, 59 → 655.56, 90 → 1000.00; April after the end: 0
    expect(
      months.map((entries) => entries.map((entry: Row) => [entry.recognizedAmount.amount, entry.cumulativeRecognized.amount])),
    ).toEqual([[['344.44', '344.44']], [['311.12', '655.56']], [['344.44', '1000.00']], [['0.00', '1000.00']]]);
    expect(months[0][0]).toMatchObject({
      contractLineId: lineId,
      method: 'STRAIGHT_LINE',
      currency: 'USD',
      functionalCurrency: 'EUR',
      fxRate: '0.900000',
    });
    // 344.44 × 0.9 = 309.996; 311.12 × 0.95 = 295.564; March uses the latest rate on or before 2025-03-31
    expect(months.slice(0, 3).map((entries) => [entries[0].fxRate, entries[0].recognizedFunctional])).toEqual([
      ['0.900000', { amount: '310.00', currency: 'EUR' }],
      ['0.950000', { amount: '295.56', currency: 'EUR' }],
      ['0.950000', { amount: '327.22', currency: 'EUR' }],
    ]);
  });

  it('should return the entries of a period already recognised unchanged, and recognise nothing before the contract starts', async () => {
    const contract = await activeContract({ lines: [{ description: 'Licence', billingModel: 'RETAINER', amount: '900' }] });
    const january = await recognize({ period: '2025-01-01', contractId: contract.id });
    await recognize({ period: '2025-02-01', contractId: contract.id });

    const again = await recognize({ period: '2025-02-01', contractId: contract.id });
    const earlier = await recognize({ period: '2024-12-01', contractId: contract.id });
    const januaryAgain = await recognize({ period: '2025-01-01', contractId: contract.id });

    expect(again.entries).toHaveLength(1);
    expect(januaryAgain.entries).toEqual(january.entries);
    expect(earlier).toEqual({ period: '2024-12-01', entries: [], skipped: [] });
    expect(await entryCount(contract.id)).toBe(2);
    // the rate of a contract in the functional currency is 1
    expect(january.entries[0]).toMatchObject({ fxRate: '1.000000', recognizedFunctional: { amount: '310.00', currency: 'EUR' } });
  });

  it('should skip a line whose later period is recognised', async () => {
    const contract = await activeContract({ lines: [{ description: 'Licence', billingModel: 'RETAINER', amount: '900' }] });
    await recognize({ period: '2025-03-01', contractId: contract.id });

    const february = await recognize({ period: '2025-02-01', contractId: contract.id });

    expect(february.entries).toEqual([]);
    expect(february.skipped).toEqual([
      { contractLineId: contract.lines[0].id, reason: 'a later period (2025-03-01) is already recognised' },
    ]);
  });

  it('should recognise time and materials as delivered, capped at the line amount, with a 0 month once the line has entries', async () => {
    const contract = await activeContract({
      lines: [
        { description: 'Consulting', billingModel: 'TM', amount: '1000' },
        { description: 'Training', billingModel: 'TM', amount: '500' },
      ],
    });
    const [consulting, training] = contract.lines.map((line: Row) => line.id);
    const projectId = randomUUID();

    const january = await recognize({
      period: '2025-01-01',
      contractId: contract.id,
      delivered: [
        { contractLineId: consulting, amount: '600.10', currency: 'EUR', projectId },
        { contractLineId: consulting, amount: '99.90', currency: 'EUR', projectId },
      ],
    });
    const february = await recognize({
      period: '2025-02-01',
      contractId: contract.id,
      delivered: [{ contractLineId: consulting, amount: '500', currency: 'EUR', projectId }],
    });
    const march = await recognize({ period: '2025-03-01', contractId: contract.id });

    expect(january.entries).toEqual([
      expect.objectContaining({
        contractLineId: consulting,
        method: 'TM_AS_DELIVERED',
        projectId,
        recognizedAmount: { amount: '700.00', currency: 'EUR' },
      }),
    ]);
    expect(january.skipped).toEqual([{ contractLineId: training, reason: 'nothing to recognise yet' }]);
    expect(february.entries.map((entry: Row) => [entry.recognizedAmount.amount, entry.cumulativeRecognized.amount])).toEqual([
      ['300.00', '1000.00'],
    ]);
    expect(march.entries.map((entry: Row) => [entry.contractLineId, entry.recognizedAmount.amount, entry.projectId])).toEqual([
      [consulting, '0.00', projectId],
    ]);
  });

  it('should refuse delivered work in another currency than the contract, and an unknown contract line', async () => {
    const contract = await activeContract({ lines: [{ description: 'Consulting', billingModel: 'TM', amount: '1000' }] });

    const currency = await postGraphQL(sut.graphqlUrl, RECOGNIZE, {
      input: {
        period: '2025-01-01',
        contractId: contract.id,
        progress: [],
        delivered: [{ contractLineId: contract.lines[0].id, amount: '1', currency: 'USD' }],
      },
    });
    const unknown = await postGraphQL(sut.graphqlUrl, RECOGNIZE, {
      input: {
        period: '2025-01-01',
        contractId: contract.id,
        progress: [],
        delivered: [{ contractLineId: randomUUID(), amount: '1', currency: 'EUR' }],
      },
    });

    expect(currency.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'delivered' });
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'delivered' });
    expect(await entryCount(contract.id)).toBe(0);
  });

  it('should recognise a fixed fee by the percent complete of its project, never going back', async () => {
    const contract = await activeContract({ lines: [{ description: 'Build', billingModel: 'FIXED', amount: '10000.01' }] });
    const lineId = contract.lines[0].id;
    const projectId = randomUUID();
    const progress = (percentComplete: string, by: Row) => [{ projectId, percentComplete, ...by }];

    const january = await recognize({
      period: '2025-01-01',
      contractId: contract.id,
      progress: progress('33.33', { contractId: contract.id }),
    });
    const february = await recognize({
      period: '2025-02-01',
      contractId: contract.id,
      progress: progress('20', { contractId: contract.id }),
    });
    const march = await recognize({
      period: '2025-03-01',
      contractId: contract.id,
      progress: progress('100', { contractLineIds: [lineId] }),
    });

    // 10000.01 × 33.33% = 3333.003333 → 3333.00; a lower percent keeps the cumulative; 100% is the whole amount
    expect(
      [january, february, march].map(({ entries }) => [
        entries[0].method,
        entries[0].projectId,
        entries[0].recognizedAmount.amount,
        entries[0].cumulativeRecognized.amount,
      ]),
    ).toEqual([
      ['PCT_COMPLETE', projectId, '3333.00', '3333.00'],
      ['PCT_COMPLETE', projectId, '0.00', '3333.00'],
      ['PCT_COMPLETE', projectId, '6667.01', '10000.01'],
    ]);
  });

  it('should recognise milestone lines when their schedule lines became READY, by the period end', async () => {
    const { previous, current } = currentMonths();
    const contract = await activeContract({
      lines: [{ description: 'Phases', billingModel: 'MILESTONE', amount: '6000' }],
      contract: { startDate: '2025-01-01', endDate: null },
    });
    const lineId = contract.lines[0].id;
    const [design, delivery] = [randomUUID(), randomUUID()];
    await queryData(sut.graphqlUrl, `mutation($input: CreateBillingScheduleInput!) { createBillingSchedule(input: $input) { id } }`, {
      input: {
        contractLineId: lineId,
        type: 'MILESTONE',
        lines: [
          { plannedDate: '2025-02-01', amount: '2000', milestoneId: design },
          { plannedDate: '2025-06-01', amount: '4000', milestoneId: delivery },
        ],
      },
    });
    await queryData(sut.graphqlUrl, `mutation($id: ID) { readyBillingScheduleLines(milestoneId: $id) { id readyAt } }`, { id: design });

    // accepted now: nothing by the end of last month, the design milestone by the end of this one
    const before = await recognize({ period: previous, contractId: contract.id });
    const after = await recognize({ period: current, contractId: contract.id });

    expect(before).toEqual({ period: previous, entries: [], skipped: [{ contractLineId: lineId, reason: 'nothing to recognise yet' }] });
    expect(after.entries.map((entry: Row) => [entry.method, entry.recognizedAmount.amount, entry.cumulativeRecognized.amount])).toEqual([
      ['MILESTONE', '2000.00', '2000.00'],
    ]);
  });

  it('should skip a straight-line line of an open-ended contract and leave DRAFT contracts alone', async () => {
    const open = await activeContract({
      lines: [{ description: 'Support', billingModel: 'RETAINER', amount: '1200' }],
      contract: { endDate: null },
    });
    const draft = await factory.core.contract({ lines: [{ description: 'Support', billingModel: 'RETAINER', amount: '1200' }] });

    const openResult = await recognize({ period: '2025-01-01', contractId: open.id });
    const draftResult = await recognize({ period: '2025-01-01', contractId: draft.id });

    expect(openResult.skipped).toEqual([
      { contractLineId: open.lines[0].id, reason: 'STRAIGHT_LINE needs a line amount and a contract end date' },
    ]);
    expect(draftResult).toEqual({ period: '2025-01-01', entries: [], skipped: [] });
  });
});
