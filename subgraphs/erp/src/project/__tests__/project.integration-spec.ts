import { QueryCounter } from '@concord/common';
import { asCaller, postGraphQL, queryData, useTestService } from '@concord/testing';
import { ErpModule } from '../../app.module';
import { BillingFactory } from '../../__tests__/billing-factories';

const PROJECT_FIELDS = `id revenueRecognized { amount currency } billedToDate { amount currency } margin { amount currency } marginPct
  invoices { id total { amount } } revenueEntries(first: 1) { period }`;
const ENTITIES = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Project { ${PROJECT_FIELDS} } } }`;

type Row = Record<string, any>;

describe('Project (ERP extension)', () => {
  const counter = new QueryCounter();
  const sut = useTestService((databaseUrl) => ErpModule.forRoot({ databaseUrl, queryLogger: counter }), 'erp');
  let factory: BillingFactory;

  beforeAll(async () => {
    factory = new BillingFactory(sut.graphqlUrl);
    await factory.fxRate('USD', 'EUR', '2025-01-01', '0.900000');
  });

  const project = (id: string, costToDate: { amount: string; currency: string } | null) => ({ __typename: 'Project', id, costToDate });

  async function recordRevenue(contractLineId: string, projectId: string, period: string, recognizedAmount: string): Promise<void> {
    await queryData(sut.graphqlUrl, `mutation($input: RecordRevenueEntryInput!) { recordRevenueEntry(input: $input) { id } }`, {
      input: { contractLineId, projectId, period, recognizedAmount },
    });
  }

  it('should compute revenue, billing, margin and margin % from the costToDate the gateway passes, batched for many projects', async () => {
    const { legalEntity, customer, contract, line } = await factory.context({ lineAmount: '100000' });
    const [profitable, foreignCost, unknown, billedOnly] = [
      '01960000-0000-7000-8000-0000000000a1',
      '01960000-0000-7000-8000-0000000000a2',
      '01960000-0000-7000-8000-0000000000a3',
      '01960000-0000-7000-8000-0000000000a4',
    ];
    await recordRevenue(line.id, profitable, '2025-01-01', '3000');
    await recordRevenue(line.id, profitable, '2025-02-01', '2000');
    await recordRevenue(line.id, foreignCost, '2025-03-01', '1000');
    const billing = { customerId: customer.id, legalEntityId: legalEntity.id, contractId: contract.id };
    const invoice = await factory.postedInvoice({ ...billing, projectId: profitable, lines: [factory.line({ rate: '4000' })] });
    await factory.draftInvoice({ ...billing, projectId: profitable, issueDate: '2025-01-01' });
    const cancelled = await factory.postedInvoice({ ...billing, projectId: profitable, issueDate: '2025-01-02' });
    await queryData(sut.graphqlUrl, `mutation($id: ID!) { cancelInvoice(id: $id) { id } }`, { id: cancelled.id });
    await factory.postedInvoice({ ...billing, projectId: billedOnly, lines: [factory.line({ rate: '700' })] });
    const representations = [
      project(profitable, { amount: '3500.00', currency: 'EUR' }),
      project(foreignCost, { amount: '1100.00', currency: 'USD' }),
      project(unknown, { amount: '250.00', currency: 'GBP' }),
      project(billedOnly, { amount: '100.00', currency: 'EUR' }),
    ];

    counter.reset();
    const { _entities } = await queryData(sut.graphqlUrl, ENTITIES, { representations });
    const statements = counter.count;

    expect(_entities[0]).toMatchObject({
      id: profitable,
      revenueRecognized: { amount: '5000.00', currency: 'EUR' },
      billedToDate: { amount: '4000.00', currency: 'EUR' },
      margin: { amount: '1500.00', currency: 'EUR' },
      marginPct: '30.00',
      revenueEntries: [{ period: '2025-02-01' }],
    });
    expect(_entities[0].invoices.map((row: Row) => row.id)).toContain(invoice.id);
    expect(_entities[0].invoices).toHaveLength(3);
    expect(_entities[1]).toMatchObject({
      revenueRecognized: { amount: '1000.00', currency: 'EUR' },
      margin: { amount: '10.00', currency: 'EUR' },
      marginPct: '1.00',
    });
    expect(_entities[2]).toEqual({
      id: unknown,
      revenueRecognized: null,
      billedToDate: null,
      margin: { amount: '-250.00', currency: 'GBP' },
      marginPct: null,
      invoices: [],
      revenueEntries: [],
    });
    expect(_entities[3]).toMatchObject({
      revenueRecognized: { amount: '0.00', currency: 'EUR' },
      billedToDate: { amount: '700.00', currency: 'EUR' },
      margin: { amount: '-100.00', currency: 'EUR' },
      marginPct: null,
    });
    // financials (one statement for revenue, billing and margin), the USD → EUR rate, invoices, revenue entries
    expect(statements).toBe(4);
  });

  it('should answer null margin when the gateway passes no costToDate', async () => {
    const id = '01960000-0000-7000-8000-0000000000b1';

    const { _entities } = await queryData(
      sut.graphqlUrl,
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Project { id margin { amount } marginPct } } }`,
      {
        representations: [project(id, null)],
      },
    );

    expect(_entities).toEqual([{ id, margin: null, marginPct: null }]);
  });

  it('should show a delivery manager margin only on the projects they manage (row rule, FORBIDDEN_FIELD elsewhere)', async () => {
    const manager = { sub: 'dm-erp-1', roles: ['delivery_manager'] };
    const cost = { amount: '10.00', currency: 'EUR' };
    const own = { ...project('01960000-0000-7000-8000-0000000000c1', cost), managerId: manager.sub };
    const other = { ...project('01960000-0000-7000-8000-0000000000c2', cost), managerId: 'dm-erp-2' };

    const result = await postGraphQL(
      sut.graphqlUrl,
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Project { id margin { amount } marginPct } } }`,
      { representations: [own, other] },
      asCaller(manager),
    );

    expect(result.data?._entities).toEqual([
      { id: own.id, margin: { amount: '-10.00' }, marginPct: null },
      { id: other.id, margin: null, marginPct: null },
    ]);
    // no revenue yet: the own project's margin is −cost and its margin % null without an error; the other's are refused
    expect(result.errors?.map((error) => [error.path, error.extensions?.code])).toEqual([
      [['_entities', 1, 'margin'], 'FORBIDDEN_FIELD'],
      [['_entities', 1, 'marginPct'], 'FORBIDDEN_FIELD'],
    ]);
  });

  it('should declare margin and marginPct as requiring PSA costToDate and the project manager (for the row rule)', async () => {
    const { _service } = await queryData(sut.graphqlUrl, `{ _service { sdl } }`);

    expect(_service.sdl).toContain('costToDate: Money @external');
    expect(_service.sdl).toContain('managerId: String @external');
    expect(_service.sdl).toMatch(/margin: Money @requires\(fields: "costToDate \{ amount currency \} managerId"\)/);
    expect(_service.sdl).toMatch(/marginPct: String @requires\(fields: "costToDate \{ amount currency \} managerId"\)/);
  });
});
