import { postGraphQL, queryData, useTestService } from '@concord/testing';
import { CrmModule } from '../../app.module';
import { CrmFactory } from '../../__tests__/crm.factories';

const ROW = `period currency opportunities amount { amount currency } weightedAmount { amount currency }`;

/**
 * Client A: EUR 10000 at 25 % and 3333.33 at 33 % closing in March 2026, EUR 1000 at 50 % in April, USD 2000 at 10 %
 * in March, a lost EUR 5000 in March and an EUR 7000 at 40 % in May (outside the period). Client B: EUR 4000 at 75 %
 * on 2026-03-01. Period 2026-03-01 to 2026-04-30.
 */
describe('WeightedPipelineService', () => {
  const sut = useTestService((databaseUrl) => CrmModule.forRoot({ databaseUrl }), 'crm');
  let clientA: string;
  let clientB: string;

  beforeAll(async () => {
    const factory = new CrmFactory(sut.graphqlUrl);
    clientA = (await factory.client()).id;
    clientB = (await factory.client()).id;
    const opportunity = (clientId: string, amount: string, probability: number, closeDate: string, currency = 'EUR') =>
      factory.opportunity(clientId, { amount, probability, closeDate, currency });
    await opportunity(clientA, '10000', 25, '2026-03-10');
    await opportunity(clientA, '3333.33', 33, '2026-03-20');
    await opportunity(clientA, '1000', 50, '2026-04-05');
    await opportunity(clientA, '2000', 10, '2026-03-15', 'USD');
    await opportunity(clientA, '7000', 40, '2026-05-02');
    const lost = await opportunity(clientA, '5000', 60, '2026-03-25');
    await queryData(
      sut.graphqlUrl,
      `mutation($id: ID!) { moveOpportunity(id: $id, stage: CLOSED_LOST, lostReason: "Budget cut") { id } }`,
      {
        id: lost.id,
      },
    );
    await opportunity(clientB, '4000', 75, '2026-03-01');
  });

  it("should give a client's open pipeline per close month and currency, weighted by probability", async () => {
    const { _entities } = await queryData(
      sut.graphqlUrl,
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Client { id weightedPipeline(from: "2026-03-01", to: "2026-04-30") { ${ROW} } } } }`,
      {
        representations: [
          { __typename: 'Client', id: clientA },
          { __typename: 'Client', id: clientB },
        ],
      },
    );

    expect(_entities).toEqual([
      {
        id: clientA,
        weightedPipeline: [
          // (10000 × 25 + 3333.33 × 33) / 100 = 3599.9989 → 3600.00; the lost one is left out
          {
            period: '2026-03',
            currency: 'EUR',
            opportunities: 2,
            amount: { amount: '13333.33', currency: 'EUR' },
            weightedAmount: { amount: '3600.00', currency: 'EUR' },
          },
          {
            period: '2026-03',
            currency: 'USD',
            opportunities: 1,
            amount: { amount: '2000.00', currency: 'USD' },
            weightedAmount: { amount: '200.00', currency: 'USD' },
          },
          {
            period: '2026-04',
            currency: 'EUR',
            opportunities: 1,
            amount: { amount: '1000.00', currency: 'EUR' },
            weightedAmount: { amount: '500.00', currency: 'EUR' },
          },
        ],
      },
      {
        id: clientB,
        weightedPipeline: [
          {
            period: '2026-03',
            currency: 'EUR',
            opportunities: 1,
            amount: { amount: '4000.00', currency: 'EUR' },
            weightedAmount: { amount: '3000.00', currency: 'EUR' },
          },
        ],
      },
    ]);
  });

  it('should add clients up on the portfolio without mixing currencies', async () => {
    const { weightedPipeline } = await queryData(sut.graphqlUrl, `{ weightedPipeline(from: "2026-03-01", to: "2026-03-31") { ${ROW} } }`);

    // 3599.9989 + 3000 = 6599.9989 → 6600.00
    expect(weightedPipeline).toEqual([
      {
        period: '2026-03',
        currency: 'EUR',
        opportunities: 3,
        amount: { amount: '17333.33', currency: 'EUR' },
        weightedAmount: { amount: '6600.00', currency: 'EUR' },
      },
      {
        period: '2026-03',
        currency: 'USD',
        opportunities: 1,
        amount: { amount: '2000.00', currency: 'USD' },
        weightedAmount: { amount: '200.00', currency: 'USD' },
      },
    ]);
  });

  it('should refuse a period that ends before it starts', async () => {
    const result = await postGraphQL(sut.graphqlUrl, `{ weightedPipeline(from: "2026-04-01", to: "2026-03-01") { period } }`);

    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
