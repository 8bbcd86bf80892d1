import { QueryCounter } from '@concord/common';
import { queryData, useTestService } from '@concord/testing';
import { DeliveryFactory } from '../../__tests__/delivery.factory';
import { PsaModule } from '../../app.module';

const ENTITIES = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Project { id costToDate { amount currency } hoursToDate } } }`;

// jest ignores testTimeout inside a `projects` entry, so the 5 s default applies; a loaded CI machine needs more.
jest.setTimeout(60_000);

describe('Project.costToDate', () => {
  const counter = new QueryCounter();
  const sut = useTestService((databaseUrl) => PsaModule.forRoot({ databaseUrl, queryLogger: counter }), 'psa');
  let factory: DeliveryFactory;

  beforeAll(async () => {
    factory = new DeliveryFactory(sut.graphqlUrl);
  });

  it('should sum delivered time cost and incurred expenses of many projects through _entities in one statement, to the cent', async () => {
    const euro = await factory.staffed();
    const { project: euroProject, resource, assignment } = euro;
    const precise = await factory.assignment(euroProject.id, resource.id, { role: 'Specialist', costRate: '55.555555' });
    await factory.timeEntry(assignment.id, { date: '2025-03-03', hours: '8' }); // DRAFT: not delivered
    const submitted = await factory.timeEntry(assignment.id, { date: '2025-03-04', hours: '7.5' });
    await factory.transitionTimeEntry(submitted.id, 'SUBMITTED'); // 450.00
    await factory.approvedTimeEntry(precise.id, { date: '2025-03-05', hours: '2.25' }); // 124.99999875 → 125.00
    const invoiced = await factory.approvedTimeEntry(assignment.id, { date: '2025-03-06', hours: '1' }); // 60.00
    await queryData(
      sut.graphqlUrl,
      `mutation($ids: [ID!]!) { markTimeEntriesInvoiced(ids: $ids, invoiceId: "0194a2b0-0000-7000-8000-000000000001") { id } }`,
      {
        ids: [invoiced.id],
      },
    );
    const cancelled = await factory.timeEntry(assignment.id, { date: '2025-03-07', hours: '3' });
    await factory.transitionTimeEntry(cancelled.id, 'CANCELLED');
    const rejected = await factory.timeEntry(assignment.id, { date: '2025-03-10', hours: '4' });
    await factory.transitionTimeEntry(rejected.id, 'SUBMITTED', 'REJECTED');
    const travel = await factory.expense(euroProject.id, resource.id, { amount: '100.10' });
    await factory.transitionExpense(travel.id, 'SUBMITTED'); // 100.10
    const meal = await factory.expense(euroProject.id, resource.id, { amount: '0.05', category: 'MEALS', billable: false });
    await factory.transitionExpense(meal.id, 'SUBMITTED', 'APPROVED'); // 0.05
    await factory.expense(euroProject.id, resource.id, { amount: '999.00' }); // DRAFT: not incurred

    const dollar = await factory.staffed({ project: { currency: 'USD' }, assignment: { costRate: '0.1' } });
    await factory.approvedTimeEntry(dollar.assignment.id, { hours: '3' });
    const idle = await factory.project({ currency: 'GBP' });
    const ids = [euroProject.id, dollar.project.id, idle.id];
    counter.reset();

    const { _entities } = await queryData(sut.graphqlUrl, ENTITIES, { representations: ids.map((id) => ({ __typename: 'Project', id })) });

    expect(_entities).toEqual([
      { id: euroProject.id, costToDate: { amount: '735.15', currency: 'EUR' }, hoursToDate: '10.75' },
      { id: dollar.project.id, costToDate: { amount: '0.30', currency: 'USD' }, hoursToDate: '3.00' },
      { id: idle.id, costToDate: { amount: '0.00', currency: 'GBP' }, hoursToDate: '0.00' },
    ]);
    // the projects, then one statement for every project's cost and hours
    expect(counter.count).toBe(2);
  });

  it('should follow the entries: a cancelled entry no longer counts', async () => {
    const { project, assignment } = await factory.staffed();
    const entry = await factory.approvedTimeEntry(assignment.id, { hours: '2' });
    const read = async () =>
      (
        await queryData(sut.graphqlUrl, `query($id: ID!) { project(id: $id) { costToDate { amount currency } hoursToDate } }`, {
          id: project.id,
        })
      ).project;
    const before = await read();

    await factory.transitionTimeEntry(entry.id, 'CANCELLED');

    expect(before).toEqual({ costToDate: { amount: '120.00', currency: 'EUR' }, hoursToDate: '2.00' });
    expect(await read()).toEqual({ costToDate: { amount: '0.00', currency: 'EUR' }, hoursToDate: '0.00' });
  });
});
