import { postGraphQL, queryData, useTestService } from '@concord/testing';
import { PsaModule } from '../../app.module';
import { DeliveryFactory } from '../../__tests__/delivery.factory';

const ROW = `role week capacityHours assignedHours requestedHours pipelineHours demandHours availableHours`;

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
    const cancelled = await factory.request(project.id, { role: 'Architect', hours: '500', startDate: '2031-03-03', endDate: '2031-03-16' });
    await queryData(sut.graphqlUrl, `mutation($id: ID!) { cancelResourceRequest(id: $id) { id } }`, { id: cancelled.id });
  });

  it('should put capacity against assigned and requested hours per role and week, from the Monday of the week given', async () => {
    const { capacityPlan } = await queryData(sut.graphqlUrl, `{ capacityPlan(from: "2031-03-05", weeks: 2) { from weeks rows { ${ROW} } } }`);

    expect(capacityPlan).toEqual({
      from: '2031-03-03',
      weeks: 2,
      rows: [
        { role: 'Architect', week: '2031-03-03', capacityHours: '40.00', assignedHours: '0.00', requestedHours: '16.00', pipelineHours: '0.00', demandHours: '16.00', availableHours: '24.00' },
        { role: 'Architect', week: '2031-03-10', capacityHours: '40.00', assignedHours: '0.00', requestedHours: '56.00', pipelineHours: '0.00', demandHours: '56.00', availableHours: '-16.00' },
        { role: 'Consultant', week: '2031-03-03', capacityHours: '72.00', assignedHours: '28.00', requestedHours: '0.00', pipelineHours: '0.00', demandHours: '28.00', availableHours: '44.00' },
        { role: 'Consultant', week: '2031-03-10', capacityHours: '72.00', assignedHours: '28.00', requestedHours: '0.00', pipelineHours: '0.00', demandHours: '28.00', availableHours: '44.00' },
      ],
    });
  });

  it("should add CRM's weighted pipeline demand inside the plan's weeks, for roles without capacity too", async () => {
    const { _entities } = await queryData(
      sut.graphqlUrl,
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on CapacityPlan { rows { ${ROW} } } } }`,
      {
        representations: [
          {
            __typename: 'CapacityPlan',
            from: '2031-03-03',
            weeks: 2,
            pipelineDemand: [
              { role: 'Architect', week: '2031-03-10', hours: '7.50' },
              { role: 'Data Engineer', week: '2031-03-03', hours: '12.00' },
              { role: 'Architect', week: '2031-03-24', hours: '99.00' },
            ],
          },
        ],
      },
    );

    expect(_entities[0].rows.filter((row: { role: string }) => row.role !== 'Consultant')).toEqual([
      { role: 'Architect', week: '2031-03-03', capacityHours: '40.00', assignedHours: '0.00', requestedHours: '16.00', pipelineHours: '0.00', demandHours: '16.00', availableHours: '24.00' },
      // 56 + 7.5
      { role: 'Architect', week: '2031-03-10', capacityHours: '40.00', assignedHours: '0.00', requestedHours: '56.00', pipelineHours: '7.50', demandHours: '63.50', availableHours: '-23.50' },
      { role: 'Data Engineer', week: '2031-03-03', capacityHours: '0.00', assignedHours: '0.00', requestedHours: '0.00', pipelineHours: '12.00', demandHours: '12.00', availableHours: '-12.00' },
      { role: 'Data Engineer', week: '2031-03-10', capacityHours: '0.00', assignedHours: '0.00', requestedHours: '0.00', pipelineHours: '0.00', demandHours: '0.00', availableHours: '0.00' },
    ]);
  });

  it('should refuse more than 52 weeks', async () => {
    const result = await postGraphQL(sut.graphqlUrl, `{ capacityPlan(from: "2031-03-03", weeks: 53) { from } }`);

    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
