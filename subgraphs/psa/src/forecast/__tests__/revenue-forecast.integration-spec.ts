import { newId } from '@concord/common';
import { postGraphQL, queryData, useTestService } from '@concord/testing';
import { PsaModule } from '../../app.module';
import { DeliveryFactory } from '../../__tests__/delivery.factory';

const PARTS = `timeAndMaterials { period currency amount { amount currency } }`;

/**
 * Client C, legal entities L1 and L2, all in 2031 (after today, so every scheduled day is still to come):
 * - P1 (EUR, L1, contract K1): HARD 122 h × 150 from 03-01 to 04-30 (61 days, 2 h a day) and SOFT 15 h × 120 from
 *   04-01 to 04-15; a CANCELLED 100 h × 150 in March (left out).
 * - P2 (USD, L2): HARD 40 h × 100 in April.
 * - P3 (EUR, L1, CANCELLED project): 50 h × 100 in March (left out).
 */
describe('RevenueForecastService (PSA T&M part)', () => {
  const sut = useTestService((databaseUrl) => PsaModule.forRoot({ databaseUrl }), 'psa');
  const clientId = newId();
  const legalEntityOne = newId();
  const legalEntityTwo = newId();
  const contractOne = newId();
  let factory: DeliveryFactory;
  let projectOne: string;
  let hardAssignment: string;

  const forecastOf = async (scope: string, scopeId: string, from = '2031-03', to = '2031-04') => {
    const { _entities } = await queryData(
      sut.graphqlUrl,
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on RevenueForecast { scope scopeId ${PARTS} projectContractId } } }`,
      { representations: [{ __typename: 'RevenueForecast', scope, scopeId, from, to }] },
    );
    return _entities[0];
  };

  beforeAll(async () => {
    factory = new DeliveryFactory(sut.graphqlUrl);
    const resource = await factory.resource();
    const one = await factory.project({ clientId, legalEntityId: legalEntityOne, contractId: contractOne });
    projectOne = one.id;
    hardAssignment = (
      await factory.assignment(one.id, resource.id, {
        scheduledHours: '122',
        billRate: '150',
        startDate: '2031-03-01',
        endDate: '2031-04-30',
      })
    ).id;
    await factory.assignment(one.id, resource.id, {
      scheduledHours: '15',
      billRate: '120',
      startDate: '2031-04-01',
      endDate: '2031-04-15',
      status: 'SOFT',
    });
    const cancelled = await factory.assignment(one.id, resource.id, {
      scheduledHours: '100',
      startDate: '2031-03-01',
      endDate: '2031-03-31',
    });
    await queryData(sut.graphqlUrl, `mutation($id: ID!) { transitionAssignment(id: $id, to: CANCELLED) { id } }`, { id: cancelled.id });
    const two = await factory.project({ clientId, legalEntityId: legalEntityTwo, currency: 'USD' });
    await factory.assignment(two.id, resource.id, {
      scheduledHours: '40',
      billRate: '100',
      costRate: '70',
      startDate: '2031-04-01',
      endDate: '2031-04-30',
    });
    const three = await factory.project({ clientId, legalEntityId: legalEntityOne });
    await factory.assignment(three.id, resource.id, {
      scheduledHours: '50',
      billRate: '100',
      startDate: '2031-03-01',
      endDate: '2031-03-31',
    });
    await factory.projects.transitionProject(three.id, 'CANCELLED');
  });

  it("should forecast a project's remaining scheduled hours × bill rate per month, with its contract for ERP", async () => {
    const { project } = await queryData(
      sut.graphqlUrl,
      `query($id: ID!) { project(id: $id) { revenueForecast(from: "2031-02", to: "2031-05") { scope scopeId from to ${PARTS} projectContractId } } }`,
      { id: projectOne },
    );

    expect(project.revenueForecast).toEqual({
      scope: 'PROJECT',
      scopeId: projectOne,
      from: '2031-02',
      to: '2031-05',
      // March 31 days × 2 h × 150 = 9300; April 30 × 2 × 150 = 9000 + 15 × 120 = 1800
      timeAndMaterials: [
        { period: '2031-03', currency: 'EUR', amount: { amount: '9300.00', currency: 'EUR' } },
        { period: '2031-04', currency: 'EUR', amount: { amount: '10800.00', currency: 'EUR' } },
      ],
      projectContractId: contractOne,
    });
  });

  it('should add up a client per currency and a legal entity over its own projects only', async () => {
    expect(await forecastOf('CLIENT', clientId)).toEqual({
      scope: 'CLIENT',
      scopeId: clientId,
      timeAndMaterials: [
        { period: '2031-03', currency: 'EUR', amount: { amount: '9300.00', currency: 'EUR' } },
        { period: '2031-04', currency: 'EUR', amount: { amount: '10800.00', currency: 'EUR' } },
        { period: '2031-04', currency: 'USD', amount: { amount: '4000.00', currency: 'USD' } },
      ],
      projectContractId: null,
    });
    expect((await forecastOf('LEGAL_ENTITY', legalEntityTwo)).timeAndMaterials).toEqual([
      { period: '2031-04', currency: 'USD', amount: { amount: '4000.00', currency: 'USD' } },
    ]);
    expect((await forecastOf('PORTFOLIO', 'portfolio', '2031-04', '2031-04')).timeAndMaterials).toEqual([
      { period: '2031-04', currency: 'EUR', amount: { amount: '10800.00', currency: 'EUR' } },
      { period: '2031-04', currency: 'USD', amount: { amount: '4000.00', currency: 'USD' } },
    ]);
  });

  it('should take approved time off the remaining hours, spread again over the days left', async () => {
    await factory.approvedTimeEntry(hardAssignment, { date: '2031-03-03', hours: '8.5' });
    await factory.timeEntry(hardAssignment, { date: '2031-03-04', hours: '4' }); // a draft does not count

    const { timeAndMaterials } = await forecastOf('PROJECT', projectOne);

    // (122 − 8.5) × 150 = 17025 over 61 days: March × 31/61 = 8652.049…, April × 30/61 = 8372.950… + 1800
    expect(timeAndMaterials).toEqual([
      { period: '2031-03', currency: 'EUR', amount: { amount: '8652.05', currency: 'EUR' } },
      { period: '2031-04', currency: 'EUR', amount: { amount: '10172.95', currency: 'EUR' } },
    ]);
  });

  it('should refuse a month range that ends before it starts, or is not written YYYY-MM', async () => {
    const backwards = await postGraphQL(
      sut.graphqlUrl,
      `query($id: ID!) { project(id: $id) { revenueForecast(from: "2031-05", to: "2031-03") { scope } } }`,
      { id: projectOne },
    );
    const malformed = await postGraphQL(
      sut.graphqlUrl,
      `query($id: ID!) { project(id: $id) { revenueForecast(from: "2031-5", to: "2031-06") { scope } } }`,
      { id: projectOne },
    );

    expect(backwards.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(malformed.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
