import { postGraphQL, queryData, useTestService } from '@concord/testing';
import { ErpModule } from '../../app.module';
import { BillingFactory } from '../../__tests__/billing-factories';

const ENTRY_FIELDS = `id contractLineId contractId projectId period method currency recognizedAmount { amount currency } cumulativeRecognized { amount }
  billedToDate { amount } unbilled { amount } deferred { amount }`;
const RECORD = `mutation($input: RecordRevenueEntryInput!) { recordRevenueEntry(input: $input) { ${ENTRY_FIELDS} } }`;

type Row = Record<string, any>;

describe('RevenueEntry', () => {
  const sut = useTestService((databaseUrl) => ErpModule.forRoot({ databaseUrl }), 'erp');
  let factory: BillingFactory;

  beforeAll(async () => {
    factory = new BillingFactory(sut.graphqlUrl);
  });

  async function record(input: Row): Promise<Row> {
    return (await queryData(sut.graphqlUrl, RECORD, { input })).recordRevenueEntry;
  }

  async function entriesOf(contractLineId: string): Promise<Row[]> {
    const { revenueEntries } = await queryData(
      sut.graphqlUrl,
      `query($id: ID!) { revenueEntries(filter: { contractLineId: $id }) { edges { node { period cumulativeRecognized { amount } } } } }`,
      {
        id: contractLineId,
      },
    );
    return revenueEntries.edges.map((edge: Row) => edge.node);
  }

  it('should keep a running cumulative per contract line, default the method from the line and compare with what was billed by the period end', async () => {
    const { legalEntity, customer, contract, line } = await factory.context();
    const projectId = '01960000-0000-7000-8000-0000000000a1';
    await factory.postedInvoice({
      customerId: customer.id,
      legalEntityId: legalEntity.id,
      contractId: contract.id,
      issueDate: '2025-01-31',
      lines: [factory.line({ rate: '3000', contractLineId: line.id })],
    });
    await factory.postedInvoice({
      customerId: customer.id,
      legalEntityId: legalEntity.id,
      contractId: contract.id,
      issueDate: '2025-02-01',
      lines: [factory.line({ rate: '500', contractLineId: line.id })],
    });

    const january = await record({ contractLineId: line.id, period: '2025-01-01', recognizedAmount: '2000', projectId });
    const february = await record({
      contractLineId: line.id,
      period: '2025-02-01',
      recognizedAmount: '2500.50',
      cumulativeRecognized: '4500.50',
    });

    expect(january).toMatchObject({
      contractId: contract.id,
      projectId,
      method: 'PCT_COMPLETE',
      currency: 'EUR',
      recognizedAmount: { amount: '2000.00', currency: 'EUR' },
      cumulativeRecognized: { amount: '2000.00' },
      billedToDate: { amount: '3000.00' },
      unbilled: { amount: '0.00' },
      deferred: { amount: '1000.00' },
    });
    expect(february).toMatchObject({
      projectId,
      cumulativeRecognized: { amount: '4500.50' },
      billedToDate: { amount: '3500.00' },
      unbilled: { amount: '1000.50' },
      deferred: { amount: '0.00' },
    });
  });

  it('should not record a period twice (CONFLICT)', async () => {
    const { line } = await factory.context();
    await record({ contractLineId: line.id, period: '2025-01-01', recognizedAmount: '100' });

    const result = await postGraphQL(sut.graphqlUrl, RECORD, {
      input: { contractLineId: line.id, period: '2025-01-01', recognizedAmount: '50' },
    });

    expect(result.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(await entriesOf(line.id)).toHaveLength(1);
  });

  it('should not record a period before the latest one', async () => {
    const { line } = await factory.context();
    await record({ contractLineId: line.id, period: '2025-03-01', recognizedAmount: '100' });

    const result = await postGraphQL(sut.graphqlUrl, RECORD, {
      input: { contractLineId: line.id, period: '2025-02-01', recognizedAmount: '50' },
    });

    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'period' });
    expect(await entriesOf(line.id)).toEqual([{ period: '2025-03-01', cumulativeRecognized: { amount: '100.00' } }]);
  });

  it('should not accept a cumulative that is not the previous cumulative plus the recognised amount', async () => {
    const { line } = await factory.context();
    await record({ contractLineId: line.id, period: '2025-01-01', recognizedAmount: '100' });

    const result = await postGraphQL(sut.graphqlUrl, RECORD, {
      input: { contractLineId: line.id, period: '2025-02-01', recognizedAmount: '50', cumulativeRecognized: '50' },
    });

    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'cumulativeRecognized', expected: '150.00' });
    expect(await entriesOf(line.id)).toHaveLength(1);
  });

  it('should not recognise beyond the contract line amount or below zero', async () => {
    const { line } = await factory.context({ lineAmount: '1000' });
    await record({ contractLineId: line.id, period: '2025-01-01', recognizedAmount: '900' });

    const beyond = await postGraphQL(sut.graphqlUrl, RECORD, {
      input: { contractLineId: line.id, period: '2025-02-01', recognizedAmount: '100.01' },
    });
    const negative = await postGraphQL(sut.graphqlUrl, RECORD, {
      input: { contractLineId: line.id, period: '2025-02-01', recognizedAmount: '-900.01' },
    });
    const reversal = await record({ contractLineId: line.id, period: '2025-02-01', recognizedAmount: '-100' });

    expect([beyond.errors?.[0].extensions?.code, negative.errors?.[0].extensions?.code]).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
    expect(reversal.cumulativeRecognized.amount).toBe('800.00');
  });

  it('should refuse a period that is not the first day of a month, and an unknown contract line', async () => {
    const { line } = await factory.context();

    const midMonth = await postGraphQL(sut.graphqlUrl, RECORD, {
      input: { contractLineId: line.id, period: '2025-01-15', recognizedAmount: '1' },
    });
    const unknown = await postGraphQL(sut.graphqlUrl, RECORD, {
      input: { contractLineId: '01960000-0000-7000-8000-000000000000', period: '2025-01-01', recognizedAmount: '1' },
    });

    expect(midMonth.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', problems: [expect.stringContaining('period')] });
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'contractLineId' });
  });

  it('should correct only the latest entry of a contract line', async () => {
    const { line } = await factory.context();
    const january = await record({ contractLineId: line.id, period: '2025-01-01', recognizedAmount: '100' });
    const february = await record({ contractLineId: line.id, period: '2025-02-01', recognizedAmount: '200' });
    const UPDATE = `mutation($id: ID!, $input: UpdateRevenueEntryInput!) { updateRevenueEntry(id: $id, input: $input) { recognizedAmount { amount } cumulativeRecognized { amount } billedToDate { amount } unbilled { amount } } }`;

    const earlier = await postGraphQL(sut.graphqlUrl, UPDATE, { id: january.id, input: { recognizedAmount: '150' } });
    const { updateRevenueEntry } = await queryData(sut.graphqlUrl, UPDATE, {
      id: february.id,
      input: { recognizedAmount: '250', billedToDate: '100' },
    });

    expect(earlier.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(updateRevenueEntry).toEqual({
      recognizedAmount: { amount: '250.00' },
      cumulativeRecognized: { amount: '350.00' },
      billedToDate: { amount: '100.00' },
      unbilled: { amount: '250.00' },
    });
  });

  it('should list the entries of a project within a period range, sorted by period', async () => {
    const { line } = await factory.context();
    const projectId = '01960000-0000-7000-8000-00000000beef';
    for (const period of ['2025-01-01', '2025-02-01', '2025-03-01', '2025-04-01']) {
      await record({ contractLineId: line.id, period, recognizedAmount: '10', projectId });
    }

    const { revenueEntries } = await queryData(
      sut.graphqlUrl,
      `query($projectId: ID!) { revenueEntries(filter: { projectId: $projectId, periodFrom: "2025-02-01", periodTo: "2025-03-31" }, orderBy: { field: PERIOD, direction: DESC }) { edges { node { period } } } }`,
      { projectId },
    );

    expect(revenueEntries.edges.map((edge: Row) => edge.node.period)).toEqual(['2025-03-01', '2025-02-01']);
  });
});
