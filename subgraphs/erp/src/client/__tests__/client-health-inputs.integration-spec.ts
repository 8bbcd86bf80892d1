import { addDays, newId, todayIso } from '@concord/common';
import { asCaller, postGraphQL, queryData, useTestService } from '@concord/testing';
import { ErpModule } from '../../app.module';
import { BillingFactory } from '../../__tests__/billing-factories';

jest.setTimeout(60_000);

const ENTITIES = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Client { id oldestOverdueDays marginPct } } }`;

describe('Client health inputs (ERP)', () => {
  const sut = useTestService((databaseUrl) => ErpModule.forRoot({ databaseUrl }), 'erp');
  let factory: BillingFactory;

  beforeAll(async () => {
    factory = new BillingFactory(sut.graphqlUrl);
    await factory.fxRate('USD', 'EUR', '2025-01-01', '0.900000');
  });

  const client = (id: string, costToDate?: { amount: string; currency: string }[] | null) => ({ __typename: 'Client', id, costToDate });
  // the ERP counts overdue days against the system clock
  const daysAgo = (days: number) => addDays(todayIso(), -days);

  it('should give the age of the oldest POSTED invoice still due, and 0 when nothing is overdue', async () => {
    const { legalEntity, customer, contract } = await factory.context();
    const billing = { customerId: customer.id, legalEntityId: legalEntity.id, contractId: contract.id };
    await factory.postedInvoice({ ...billing, issueDate: daysAgo(80), dueDate: daysAgo(75) });
    await factory.postedInvoice({ ...billing, issueDate: daysAgo(50), dueDate: daysAgo(40) });
    await factory.postedInvoice({ ...billing, issueDate: daysAgo(5), dueDate: addDays(todayIso(), 25) });
    // a draft is not a receivable, however old
    await factory.draftInvoice({ ...billing, issueDate: daysAgo(200), dueDate: daysAgo(190) });
    const other = await factory.context();
    await factory.postedInvoice({
      customerId: other.customer.id,
      legalEntityId: other.legalEntity.id,
      contractId: other.contract.id,
      issueDate: daysAgo(3),
      dueDate: addDays(todayIso(), 27),
    });

    const { _entities } = await queryData(sut.graphqlUrl, ENTITIES, {
      representations: [client(customer.clientId), client(other.customer.clientId), client(newId())],
    });

    expect(_entities.map((row: { oldestOverdueDays: number }) => row.oldestOverdueDays)).toEqual([75, 0, 0]);
  });

  it('should compute the margin % from recognised revenue and the cost PSA passes, converted to the contract currency', async () => {
    const { customer, line } = await factory.context({ lineAmount: '100000' });
    for (const [period, recognizedAmount] of [
      ['2025-01-01', '3000'],
      ['2025-02-01', '2000'],
    ]) {
      await queryData(sut.graphqlUrl, `mutation($input: RecordRevenueEntryInput!) { recordRevenueEntry(input: $input) { id } }`, {
        input: { contractLineId: line.id, projectId: newId(), period, recognizedAmount },
      });
    }
    const noRevenue = await factory.context();
    // 3500 EUR + 1100 USD × 0.9 = 4490 EUR of cost against 5000 EUR of revenue: 510 / 5000 = 10.20 %
    const cost = [
      { amount: '3500.00', currency: 'EUR' },
      { amount: '1100.00', currency: 'USD' },
    ];
    const representations = [client(customer.clientId, cost), client(customer.clientId, null), client(noRevenue.customer.clientId, cost)];

    const finance = await queryData(sut.graphqlUrl, ENTITIES, { representations }, asCaller({ sub: 'fin-1', roles: ['finance'] }));
    const sales = await queryData(sut.graphqlUrl, ENTITIES, { representations }, asCaller({ sub: 'rep-1', roles: ['sales'] }));

    expect(finance._entities.map((row: { marginPct: string | null }) => row.marginPct)).toEqual(['10.20', null, null]);
    // a caller who may not see margin (the gateway asking for Client.health on their behalf) gets none
    expect(sales._entities.map((row: { marginPct: string | null }) => row.marginPct)).toEqual([null, null, null]);
  });

  it('should give the margin per currency, revenue − the cost PSA passes, never converted; none to a caller who may not see it', async () => {
    const { customer, line } = await factory.context({ lineAmount: '100000' });
    await queryData(sut.graphqlUrl, `mutation($input: RecordRevenueEntryInput!) { recordRevenueEntry(input: $input) { id } }`, {
      input: { contractLineId: line.id, projectId: newId(), period: '2025-01-01', recognizedAmount: '5000' },
    });
    const cost = [
      { amount: '3500.00', currency: 'EUR' },
      { amount: '1100.00', currency: 'USD' },
    ];
    const query = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Client { id margin { amount currency } } } }`;
    const representations = [client(customer.clientId, cost), client(customer.clientId, null)];

    const finance = await queryData(sut.graphqlUrl, query, { representations }, asCaller({ sub: 'fin-1', roles: ['finance'] }));
    const sales = await postGraphQL(sut.graphqlUrl, query, { representations }, asCaller({ sub: 'rep-1', roles: ['sales'] }));

    expect(finance._entities).toEqual([
      {
        id: customer.clientId,
        margin: [
          { amount: '1500.00', currency: 'EUR' },
          { amount: '-1100.00', currency: 'USD' },
        ],
      },
      { id: customer.clientId, margin: null },
    ]);
    expect(sales.data?._entities).toEqual([
      { id: customer.clientId, margin: null },
      { id: customer.clientId, margin: null },
    ]);
    expect(sales.errors?.map((error) => [error.path, error.extensions?.code])).toEqual([
      [['_entities', 0, 'margin'], 'FORBIDDEN_FIELD'],
      [['_entities', 1, 'margin'], 'FORBIDDEN_FIELD'],
    ]);
  });
});
