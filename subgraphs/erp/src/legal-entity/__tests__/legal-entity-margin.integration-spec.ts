import { newId } from '@concord/common';
import { asCaller, postGraphQL, queryData, useTestService } from '@concord/testing';
import { ErpModule } from '../../app.module';
import { BillingFactory } from '../../__tests__/billing-factories';

jest.setTimeout(60_000);

const ENTITIES = `query($representations: [_Any!]!) { _entities(representations: $representations) {
  ... on LegalEntity { id revenueRecognized { amount currency } margin { amount currency } marginPct } } }`;
const FINANCE = asCaller({ sub: 'fin-le-1', roles: ['finance'] });

type Money = { amount: string; currency: string };

describe('LegalEntity revenue and margin (ERP)', () => {
  const sut = useTestService((databaseUrl) => ErpModule.forRoot({ databaseUrl }), 'erp');
  let factory: BillingFactory;

  beforeAll(async () => {
    factory = new BillingFactory(sut.graphqlUrl);
    await factory.fxRate('USD', 'EUR', '2025-01-01', '0.900000');
  });

  const legalEntity = (id: string, costToDate?: Money[] | null) => ({ __typename: 'LegalEntity', id, costToDate });

  async function recordRevenue(contractLineId: string, period: string, recognizedAmount: string): Promise<void> {
    await queryData(sut.graphqlUrl, `mutation($input: RecordRevenueEntryInput!) { recordRevenueEntry(input: $input) { id } }`, {
      input: { contractLineId, projectId: newId(), period, recognizedAmount },
    });
  }

  /** A EUR legal entity with 5000 EUR recognised on one contract and 1000 USD on another; an unrelated entity with 700 EUR. */
  async function entityWithRevenue() {
    const euro = await factory.context({ lineAmount: '100000' });
    await recordRevenue(euro.line.id, '2025-01-01', '3000');
    await recordRevenue(euro.line.id, '2025-02-01', '2000');
    const dollar = await factory.context({
      legalEntity: {},
      contract: { legalEntityId: euro.legalEntity.id, currency: 'USD' },
      lineAmount: '50000',
    });
    await recordRevenue(dollar.line.id, '2025-02-01', '1000');
    const other = await factory.context();
    await recordRevenue(other.line.id, '2025-01-01', '700');
    return { id: euro.legalEntity.id, otherId: other.legalEntity.id };
  }

  it('should sum the revenue of its contracts per currency, subtract the cost PSA passes in each, and give margin % in the functional currency', async () => {
    const { id, otherId } = await entityWithRevenue();
    const idle = await factory.core.legalEntity();
    const cost = [
      { amount: '3500.00', currency: 'EUR' },
      { amount: '1100.00', currency: 'USD' },
    ];

    const { _entities } = await queryData(
      sut.graphqlUrl,
      ENTITIES,
      { representations: [legalEntity(id, cost), legalEntity(otherId, []), legalEntity(idle.id, [{ amount: '10.00', currency: 'EUR' }])] },
      FINANCE,
    );

    expect(_entities).toEqual([
      {
        id,
        revenueRecognized: [
          { amount: '5000.00', currency: 'EUR' },
          { amount: '1000.00', currency: 'USD' },
        ],
        margin: [
          { amount: '1500.00', currency: 'EUR' },
          { amount: '-100.00', currency: 'USD' },
        ],
        // in EUR: revenue 5000 + 1000 × 0.9 = 5900, cost 3500 + 1100 × 0.9 = 4490: 1410 / 5900 = 23.898… %
        marginPct: '23.90',
      },
      {
        id: otherId,
        revenueRecognized: [{ amount: '700.00', currency: 'EUR' }],
        margin: [{ amount: '700.00', currency: 'EUR' }],
        marginPct: '100.00',
      },
      // no contract yet: no revenue, the cost is a loss, no percentage
      { id: idle.id, revenueRecognized: [], margin: [{ amount: '-10.00', currency: 'EUR' }], marginPct: null },
    ]);
  });

  it('should keep a currency with cost and no revenue apart, and refuse the margin % when no FX rate converts it', async () => {
    const { id } = await entityWithRevenue();

    const result = await postGraphQL(
      sut.graphqlUrl,
      ENTITIES,
      { representations: [legalEntity(id, [{ amount: '250.00', currency: 'GBP' }])] },
      FINANCE,
    );

    expect(result.data?._entities[0].margin).toEqual([
      { amount: '5000.00', currency: 'EUR' },
      { amount: '-250.00', currency: 'GBP' },
      { amount: '1000.00', currency: 'USD' },
    ]);
    expect(result.data?._entities[0].marginPct).toBeNull();
    expect(result.errors?.map((error) => [error.path, error.extensions?.code, error.message])).toEqual([
      [['_entities', 0, 'marginPct'], 'BAD_USER_INPUT', 'no FX rate from GBP to EUR: record one to compare legal entity amounts'],
    ]);
  });

  it('should answer null margin without the cost, and not show margin to a caller who may not see it', async () => {
    const { id } = await entityWithRevenue();
    const cost = [{ amount: '100.00', currency: 'EUR' }];

    const withoutCost = await queryData(sut.graphqlUrl, ENTITIES, { representations: [legalEntity(id, null)] }, FINANCE);
    const sales = await postGraphQL(
      sut.graphqlUrl,
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on LegalEntity { id margin { amount } marginPct } } }`,
      { representations: [legalEntity(id, cost)] },
      asCaller({ sub: 'rep-le-1', roles: ['sales'] }),
    );

    expect(withoutCost._entities[0]).toMatchObject({ margin: null, marginPct: null });
    expect(sales.data?._entities).toEqual([{ id, margin: null, marginPct: null }]);
    expect(sales.errors?.map((error) => [error.path, error.extensions?.code, error.extensions?.coordinate])).toEqual([
      [['_entities', 0, 'margin'], 'FORBIDDEN_FIELD', 'LegalEntity.margin'],
      [['_entities', 0, 'marginPct'], 'FORBIDDEN_FIELD', 'LegalEntity.marginPct'],
    ]);
  });

  it('should declare margin and marginPct as requiring PSA costToDate', async () => {
    const { _service } = await queryData(sut.graphqlUrl, `{ _service { sdl } }`);

    expect(_service.sdl).toContain('costToDate: [Money!] @external');
    expect(_service.sdl).toMatch(/margin: \[Money!\] @requires\(fields: "costToDate \{ amount currency \}"\)/);
    expect(_service.sdl).toMatch(/marginPct: String @requires\(fields: "costToDate \{ amount currency \}"\)/);
  });
});
