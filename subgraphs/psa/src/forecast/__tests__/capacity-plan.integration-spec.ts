import { postGraphQL, queryData, useTestService } from '@concord/testing';
import { PsaModule } from '../../app.module';
import { DeliveryFactory } from '../../__tests__/delivery.factory';

const ROW = `role week capacityHours assignedHours requestedHours demandHours availableHours`;

/**
 * Weeks of 2031-03-03 and 2031-03-10. Consultants: 40 h and 32 h a week, and an inactive one (left out); one
 * Architect of 40 h. Demand: a HARD assignment of the first consultant, 56 h from 03-03 to 03-16 (28 h a week); an
 * OPEN Architect request of 80 h from 03-08 to 03-17 (8 h a day: 16 h, then 56 h); a CANCELLED request (left out).
 */
describe('CapacityPlanService', () => {
  const sut = useTestService((databaseUrl) => PsaModule.forRoot({ databaseUrl }), 'psa');

  beforeAll(async () => {
    const factory = new DeliveryFactory(sut.graphqlUrl);
    const project = await factory.project();
    const consultant = await factory.resource({ primaryRole: 'Consultant', capacityHoursPerWeek: '40' });
    await factory.resource({ primaryRole: 'Consultant', capacityHoursPerWeek: '32' });
    await factory.resource({ primaryRole: 'Consultant', capacityHoursPerWeek: '40', active: false });
    await factory.resource({ primaryRole: 'Architect', capacityHoursPerWeek: '40' });
    await factory.assignment(project.id, consultant.id, { scheduledHours: '56', startDate: '2031-03-03', endDate: '2031-03-16' });
    await factory.request(project.id, { role: 'Architect', hours: '80', startDate: '2031-03-08', endDate: '2031-03-17' });
    const cancelled = await factory.request(project.id, {
      role: 'Architect',
      hours: '500',
      startDate: '2031-03-03',
      endDate: '2031-03-16',
    });
    await queryData(sut.graphqlUrl, `mutation($id: ID!) { cancelResourceRequest(id: $id) { id } }`, { id: cancelled.id });
  });

  it('should put capacity against assigned and requested hours per role and week, from the Monday of the week given', async () => {
    const { capacityPlan } = await queryData(
      sut.graphqlUrl,
      `{ capacityPlan(from: "2031-03-05", weeks: 2) { from weeks rows { ${ROW} } } }`,
    );

    expect(capacityPlan).toEqual({
      from: '2031-03-03',
      weeks: 2,
      rows: [
        {
          role: 'Architect',
          week: '2031-03-03',
          capacityHours: '40.00',
          assignedHours: '0.00',
          requestedHours: '16.00',
          demandHours: '16.00',
          availableHours: '24.00',
        },
        {
          role: 'Architect',
          week: '2031-03-10',
          capacityHours: '40.00',
          assignedHours: '0.00',
          requestedHours: '56.00',
          demandHours: '56.00',
          availableHours: '-16.00',
        },
        {
          role: 'Consultant',
          week: '2031-03-03',
          capacityHours: '72.00',
          assignedHours: '28.00',
          requestedHours: '0.00',
          demandHours: '28.00',
          availableHours: '44.00',
        },
        {
          role: 'Consultant',
          week: '2031-03-10',
          capacityHours: '72.00',
          assignedHours: '28.00',
          requestedHours: '0.00',
          demandHours: '28.00',
          availableHours: '44.00',
        },
      ],
    });
  });

  it('should refuse more than 52 weeks', async () => {
    const result = await postGraphQL(sut.graphqlUrl, `{ capacityPlan(from: "2031-03-03", weeks: 53) { from } }`);

    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
