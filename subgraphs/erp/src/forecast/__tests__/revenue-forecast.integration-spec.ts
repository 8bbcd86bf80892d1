import { postGraphQL, queryData, useTestService } from '@concord/testing';
import { ErpModule } from '../../app.module';
import { BillingFactory } from '../../__tests__/billing-factories';

const PART = `period currency amount { amount currency }`;
type Row = Record<string, any>;

/**
 * One customer (client C) with two ACTIVE contracts in 2031:
 * - K1 (EUR, legal entity L1): 3000 PLANNED on 03-15, 2000 READY on 04-10, 1500 CANCELLED on 04-20 (left out),
 *   3500 PLANNED on 05-05 (after the range);
 * - K2 (USD, legal entity L2): 4000 PLANNED on 04-01, 2500 INVOICED on 03-01 (left out).
 * The range is 2031-03 to 2031-04.
 */
describe('RevenueForecastService (ERP fixed fee and totals)', () => {
  const sut = useTestService((databaseUrl) => ErpModule.forRoot({ databaseUrl }), 'erp');
  let one: { legalEntity: Row; customer: Row; contract: Row };
  let two: { legalEntity: Row; customer: Row; contract: Row };

  const forecast = async (representation: Row, fields = `fixedFee { ${PART} }`) => {
    const { _entities } = await queryData(
      sut.graphqlUrl,
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on RevenueForecast { ${fields} } } }`,
      { representations: [{ __typename: 'RevenueForecast', from: '2031-03', to: '2031-04', projectContractId: null, ...representation }] },
    );
    return _entities[0];
  };

  const schedule = async (contract: Row, lines: { plannedDate: string; amount: string }[]): Promise<string[]> => {
    const { createBillingSchedule } = await queryData(
      sut.graphqlUrl,
      `mutation($input: CreateBillingScheduleInput!) { createBillingSchedule(input: $input) { lines { id plannedDate } } }`,
      { input: { contractLineId: contract.lines[0].id, type: 'FIXED_DATE', lines } },
    );
    return lines.map(({ plannedDate }) => createBillingSchedule.lines.find((line: Row) => line.plannedDate === plannedDate).id);
  };

  const transition = (id: string, to: string, invoiceId?: string) =>
    queryData(
      sut.graphqlUrl,
      `mutation($id: ID!, $to: BillingScheduleLineStatus!, $invoiceId: ID) { transitionBillingScheduleLine(id: $id, to: $to, invoiceId: $invoiceId) { id } }`,
      {
        id,
        to,
        invoiceId,
      },
    );

  beforeAll(async () => {
    const factory = new BillingFactory(sut.graphqlUrl);
    await factory.currency('EUR');
    await factory.currency('USD');
    one = await factory.context({ lineAmount: '10000' });
    two = await factory.context({
      customer: undefined,
      legalEntity: { functionalCurrency: 'USD' },
      contract: { currency: 'USD', customerId: one.customer.id, lines: [factory.core.fixedLine({ amount: '8000' })] },
    });
    const [, ready, cancelled] = await schedule(one.contract, [
      { plannedDate: '2031-03-15', amount: '3000' },
      { plannedDate: '2031-04-10', amount: '2000' },
      { plannedDate: '2031-04-20', amount: '1500' },
      { plannedDate: '2031-05-05', amount: '3500' },
    ]);
    await transition(ready, 'READY');
    await transition(cancelled, 'CANCELLED');
    const [, invoiced] = await schedule(two.contract, [
      { plannedDate: '2031-04-01', amount: '4000' },
      { plannedDate: '2031-03-01', amount: '2500' },
    ]);
    await transition(invoiced, 'READY');
    await transition(invoiced, 'INVOICED', await factory.core.invoiceFor(two.contract));
  });

  it("should forecast a legal entity's PLANNED and READY billing-schedule lines by planned month", async () => {
    const { _entities } = await queryData(
      sut.graphqlUrl,
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on LegalEntity { revenueForecast(from: "2031-03", to: "2031-04") { scope scopeId fixedFee { ${PART} } } } } }`,
      { representations: [{ __typename: 'LegalEntity', id: one.legalEntity.id }] },
    );

    expect(_entities[0].revenueForecast).toEqual({
      scope: 'LEGAL_ENTITY',
      scopeId: one.legalEntity.id,
      fixedFee: [
        { period: '2031-03', currency: 'EUR', amount: { amount: '3000.00', currency: 'EUR' } },
        { period: '2031-04', currency: 'EUR', amount: { amount: '2000.00', currency: 'EUR' } },
      ],
    });
  });

  it("should give a client's contracts per currency and a project only its own contract's lines", async () => {
    expect(await forecast({ scope: 'CLIENT', scopeId: one.contract.clientId })).toEqual({
      fixedFee: [
        { period: '2031-03', currency: 'EUR', amount: { amount: '3000.00', currency: 'EUR' } },
        { period: '2031-04', currency: 'EUR', amount: { amount: '2000.00', currency: 'EUR' } },
        { period: '2031-04', currency: 'USD', amount: { amount: '4000.00', currency: 'USD' } },
      ],
    });
    expect(
      await forecast({ scope: 'PROJECT', scopeId: '01a20978-0000-7000-8000-000000000001', projectContractId: two.contract.id }),
    ).toEqual({
      fixedFee: [{ period: '2031-04', currency: 'USD', amount: { amount: '4000.00', currency: 'USD' } }],
    });
    // a project without a contract has no fixed fee
    expect(await forecast({ scope: 'PROJECT', scopeId: '01a20978-0000-7000-8000-000000000002' })).toEqual({ fixedFee: [] });
  });

  it('should total T&M and fixed fee per month and currency on the portfolio, never across currencies', async () => {
    const { revenueForecast } = await queryData(
      sut.graphqlUrl,
      `{ revenueForecast(from: "2031-03", to: "2031-04") { scope scopeId from to } }`,
    );
    const months = await forecast(
      {
        ...revenueForecast,
        timeAndMaterials: [
          { period: '2031-03', currency: 'EUR', amount: { amount: '9300.00', currency: 'EUR' } },
          { period: '2031-04', currency: 'USD', amount: { amount: '4000.00', currency: 'USD' } },
        ],
      },
      `months { period currency timeAndMaterials { amount } fixedFee { amount } total { amount currency } }`,
    );

    expect(revenueForecast).toEqual({ scope: 'PORTFOLIO', scopeId: 'portfolio', from: '2031-03', to: '2031-04' });
    expect(months.months).toEqual([
      // 9300 + 3000
      {
        period: '2031-03',
        currency: 'EUR',
        timeAndMaterials: { amount: '9300.00' },
        fixedFee: { amount: '3000.00' },
        total: { amount: '12300.00', currency: 'EUR' },
      },
      {
        period: '2031-04',
        currency: 'EUR',
        timeAndMaterials: { amount: '0.00' },
        fixedFee: { amount: '2000.00' },
        total: { amount: '2000.00', currency: 'EUR' },
      },
      // 4000 + 4000
      {
        period: '2031-04',
        currency: 'USD',
        timeAndMaterials: { amount: '4000.00' },
        fixedFee: { amount: '4000.00' },
        total: { amount: '8000.00', currency: 'USD' },
      },
    ]);
  });

  it('should refuse a range longer than 36 months', async () => {
    const result = await postGraphQL(sut.graphqlUrl, `{ revenueForecast(from: "2031-01", to: "2034-01") { scope } }`);

    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
