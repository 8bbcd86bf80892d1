import { queryData, useTestService } from '@concord/testing';
import { CrmModule } from '../../app.module';
import { CrmFactory } from '../../__tests__/crm.factories';

/**
 * Weeks of 2031-03-03 and 2031-03-10.
 * - O1 at 50 %, expected start 03-03, quote: Architect 56 h, Consultant 20 h and a milestone on 03-16 (so 14 days):
 *   Architect 56 × 0.5 / 14 = 2 h a day, 14 h a week; Consultant 20 × 0.5 / 14 × 7 = 5 h a week.
 * - O2 at 40 %, no expected start, closing 03-10, quote: Architect 91 h, no milestone (so 91 days from 03-10):
 *   91 × 0.4 / 91 = 0.4 h a day, 2.8 h in the second week.
 * - O3 at 60 % without a role line, O4 at 90 % won with an accepted quote (left out: not open).
 */
describe('PipelineDemandService', () => {
  const sut = useTestService((databaseUrl) => CrmModule.forRoot({ databaseUrl }), 'crm');

  beforeAll(async () => {
    const factory = new CrmFactory(sut.graphqlUrl);
    const client = await factory.client();
    const first = await factory.opportunity(client.id, { probability: 50, closeDate: '2031-02-20', expectedStartDate: '2031-03-03' });
    await factory.quote(first.id, {
      lines: [
        { serviceCode: 'ARCH', billingModel: 'TM', roleId: 'Architect', hours: '56', unitRate: '150' },
        { serviceCode: 'CONS', billingModel: 'TM', roleId: 'Consultant', hours: '20', unitRate: '100' },
        { serviceCode: 'GO-LIVE', billingModel: 'MILESTONE', quantity: '1', unitRate: '5000', milestoneName: 'Go-live', milestoneDate: '2031-03-16' },
      ],
    });
    const second = await factory.opportunity(client.id, { probability: 40, closeDate: '2031-03-10' });
    await factory.quote(second.id, { lines: [{ serviceCode: 'ARCH', billingModel: 'TM', roleId: 'Architect', hours: '91', unitRate: '150' }] });
    const third = await factory.opportunity(client.id, { probability: 60, closeDate: '2031-03-03' });
    await factory.quote(third.id, { lines: [{ serviceCode: 'LICENCE', billingModel: 'FIXED', quantity: '1', unitRate: '900' }] });
    const won = await factory.opportunity(client.id, { probability: 90, closeDate: '2031-03-03', expectedStartDate: '2031-03-03' });
    await factory.acceptedQuote(won.id, { lines: [{ serviceCode: 'ARCH', billingModel: 'TM', roleId: 'Architect', hours: '1000', unitRate: '150' }] });
    await factory.negotiating(won.id);
    await queryData(sut.graphqlUrl, `mutation($id: ID!) { moveOpportunity(id: $id, stage: CLOSED_WON) { id } }`, { id: won.id });
  });

  it("should spread open opportunities' role hours × probability over the weeks their resource requests will take", async () => {
    const { _entities } = await queryData(
      sut.graphqlUrl,
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on CapacityPlan { from weeks pipelineDemand { role week hours } } } }`,
      { representations: [{ __typename: 'CapacityPlan', from: '2031-03-03', weeks: 2 }] },
    );

    expect(_entities[0]).toEqual({
      from: '2031-03-03',
      weeks: 2,
      pipelineDemand: [
        { role: 'Architect', week: '2031-03-03', hours: '14.00' },
        // 14 + 2.8
        { role: 'Architect', week: '2031-03-10', hours: '16.80' },
        { role: 'Consultant', week: '2031-03-03', hours: '5.00' },
        { role: 'Consultant', week: '2031-03-10', hours: '5.00' },
      ],
    });
  });
});
