import { queryData, useTestService } from '@concord/testing';
import { CrmModule } from '../../app.module';
import { CrmFactory } from '../../__tests__/crm.factories';

const PART = `period currency amount { amount currency }`;

/**
 * Client A: EUR 10000 at 25 % closing 2031-03-10, EUR 3333.33 at 33 % on 2031-04-20, USD 2000 at 10 % on 2031-03-15,
 * a lost EUR 5000 in March; client B: EUR 4000 at 75 % on 2031-03-01. The range is 2031-03 to 2031-04.
 */
describe('RevenueForecastService (CRM weighted pipeline part)', () => {
  const sut = useTestService((databaseUrl) => CrmModule.forRoot({ databaseUrl }), 'crm');
  let clientA: string;
  let clientB: string;

  const forecast = async (scope: string, scopeId: string) => {
    const { _entities } = await queryData(
      sut.graphqlUrl,
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on RevenueForecast { weightedPipeline { ${PART} } } } }`,
      { representations: [{ __typename: 'RevenueForecast', scope, scopeId, from: '2031-03', to: '2031-04' }] },
    );
    return _entities[0].weightedPipeline;
  };

  beforeAll(async () => {
    const factory = new CrmFactory(sut.graphqlUrl);
    clientA = (await factory.client()).id;
    clientB = (await factory.client()).id;
    await factory.opportunity(clientA, { amount: '10000', probability: 25, closeDate: '2031-03-10' });
    await factory.opportunity(clientA, { amount: '3333.33', probability: 33, closeDate: '2031-04-20' });
    await factory.opportunity(clientA, { amount: '2000', probability: 10, closeDate: '2031-03-15', currency: 'USD' });
    const lost = await factory.opportunity(clientA, { amount: '5000', probability: 60, closeDate: '2031-03-25' });
    await queryData(sut.graphqlUrl, `mutation($id: ID!) { moveOpportunity(id: $id, stage: CLOSED_LOST, lostReason: "Budget cut") { id } }`, {
      id: lost.id,
    });
    await factory.opportunity(clientB, { amount: '4000', probability: 75, closeDate: '2031-03-01' });
  });

  it("should give a client's weighted pipeline by close month and currency on Client.revenueForecast", async () => {
    const { _entities } = await queryData(
      sut.graphqlUrl,
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Client { revenueForecast(from: "2031-03", to: "2031-04") { scope scopeId weightedPipeline { ${PART} } } } } }`,
      { representations: [{ __typename: 'Client', id: clientA }] },
    );

    expect(_entities[0].revenueForecast).toEqual({
      scope: 'CLIENT',
      scopeId: clientA,
      weightedPipeline: [
        { period: '2031-03', currency: 'EUR', amount: { amount: '2500.00', currency: 'EUR' } },
        { period: '2031-03', currency: 'USD', amount: { amount: '200.00', currency: 'USD' } },
        // 3333.33 × 33 / 100 = 1099.9989
        { period: '2031-04', currency: 'EUR', amount: { amount: '1100.00', currency: 'EUR' } },
      ],
    });
  });

  it('should add every client up on the portfolio and give no pipeline to a project or a legal entity', async () => {
    expect(await forecast('PORTFOLIO', 'portfolio')).toEqual([
      // 2500 + 4000 × 75 / 100
      { period: '2031-03', currency: 'EUR', amount: { amount: '5500.00', currency: 'EUR' } },
      { period: '2031-03', currency: 'USD', amount: { amount: '200.00', currency: 'USD' } },
      { period: '2031-04', currency: 'EUR', amount: { amount: '1100.00', currency: 'EUR' } },
    ]);
    expect(await forecast('CLIENT', clientB)).toEqual([{ period: '2031-03', currency: 'EUR', amount: { amount: '3000.00', currency: 'EUR' } }]);
    expect(await forecast('PROJECT', clientA)).toEqual([]);
    expect(await forecast('LEGAL_ENTITY', clientA)).toEqual([]);
  });
});
