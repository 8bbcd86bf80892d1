import { newId } from '@concord/common';
import { postGraphQL, queryData, useTestService } from '@concord/testing';
import { DeliveryFactory } from '../../__tests__/delivery.factory';
import { PsaModule } from '../../app.module';

jest.setTimeout(60_000);

const DELIVERIES = `query($from: String!, $to: String!, $contractIds: [ID!]) {
  revenueDeliveries(from: $from, to: $to, contractIds: $contractIds) {
    delivered { contractId projectId contractLineId sourceType amount { amount currency } count }
    progress { projectId contractId percentComplete contractLineIds } } }`;

describe('RevenueDeliveryService', () => {
  const sut = useTestService((databaseUrl) => PsaModule.forRoot({ databaseUrl }), 'psa');
  let factory: DeliveryFactory;

  beforeAll(() => {
    factory = new DeliveryFactory(sut.graphqlUrl);
  });

  /**
   * Contract C, T&M project P (EUR, 42.5 % complete by hand) with task T on contract line L: in March 2025 time on T
   * (approved, and invoiced), time without a task, a billable expense; plus work that is not delivered revenue of
   * March (April, submitted, non-billable, a non-billable expense).
   */
  const contractWork = async () => {
    const contractId = newId();
    const contractLineId = newId();
    const period = { startDate: '2025-03-01', endDate: '2025-04-30' };
    const { project, resource, assignment } = await factory.staffed({
      project: { contractId, billingModel: 'TM', percentCompleteMethod: 'MANUAL', percentComplete: '42.5' },
      assignment: { billRate: '120.15', ...period },
    });
    const task = await factory.projects.task(project.id, { contractLineId });
    await factory.approvedTimeEntry(assignment.id, { date: '2025-03-03', hours: '7.25', taskId: task.id });
    const invoiced = await factory.approvedTimeEntry(assignment.id, { date: '2025-03-04', hours: '2', taskId: task.id });
    await queryData(
      sut.graphqlUrl,
      `mutation($ids: [ID!]!, $invoiceId: ID!) { markTimeEntriesInvoiced(ids: $ids, invoiceId: $invoiceId) { id } }`,
      {
        ids: [invoiced.id],
        invoiceId: newId(),
      },
    );
    await factory.approvedTimeEntry(assignment.id, { date: '2025-03-31', hours: '1' });
    await factory.approvedTimeEntry(assignment.id, { date: '2025-04-01', hours: '8', taskId: task.id });
    await factory.transitionTimeEntry(
      (await factory.timeEntry(assignment.id, { date: '2025-03-10', hours: '8', taskId: task.id })).id,
      'SUBMITTED',
    );
    await factory.approvedTimeEntry(assignment.id, { date: '2025-03-11', hours: '4', billable: false, taskId: task.id });
    const expense = await factory.expense(project.id, resource.id, {
      date: '2025-03-05',
      category: 'TRAVEL',
      amount: '100.00',
      markupPct: '10',
    });
    await factory.transitionExpense(expense.id, 'SUBMITTED', 'APPROVED');
    const unbillable = await factory.expense(project.id, resource.id, {
      date: '2025-03-07',
      category: 'MEALS',
      amount: '30.00',
      billable: false,
    });
    await factory.transitionExpense(unbillable.id, 'SUBMITTED', 'APPROVED');
    return { contractId, contractLineId, project };
  };

  it('should sum the approved and invoiced billable work of the period per project, contract line and source, with the projects’ progress', async () => {
    const { contractId, contractLineId, project } = await contractWork();
    await contractWork();

    const { revenueDeliveries } = await queryData(sut.graphqlUrl, DELIVERIES, {
      from: '2025-03-01',
      to: '2025-03-31',
      contractIds: [contractId],
    });

    const base = { contractId, projectId: project.id };
    expect(revenueDeliveries).toEqual({
      delivered: [
        // 7.25 × 120.15 = 871.09 (approved) + 2 × 120.15 = 240.30 (invoiced)
        { ...base, contractLineId, sourceType: 'TIME', amount: { amount: '1111.39', currency: 'EUR' }, count: 2 },
        { ...base, contractLineId: null, sourceType: 'TIME', amount: { amount: '120.15', currency: 'EUR' }, count: 1 },
        // 100.00 + 10 % markup
        { ...base, contractLineId: null, sourceType: 'EXPENSE', amount: { amount: '110.00', currency: 'EUR' }, count: 1 },
      ],
      progress: [{ projectId: project.id, contractId, percentComplete: '42.50', contractLineIds: [contractLineId] }],
    });
  });

  it('should answer every contract’s projects without contractIds, and refuse a range that ends before it starts', async () => {
    const first = await contractWork();
    const second = await contractWork();

    const { revenueDeliveries } = await queryData(sut.graphqlUrl, DELIVERIES, { from: '2025-04-01', to: '2025-04-30' });
    const reversed = await postGraphQL(sut.graphqlUrl, DELIVERIES, { from: '2025-04-30', to: '2025-04-01' });

    const projects = new Set(revenueDeliveries.delivered.map((row: { projectId: string }) => row.projectId));
    expect(projects.has(first.project.id) && projects.has(second.project.id)).toBe(true);
    expect(revenueDeliveries.delivered.find((row: { projectId: string }) => row.projectId === first.project.id)).toMatchObject({
      contractLineId: first.contractLineId,
      amount: { amount: '961.20' },
    });
    expect(reversed.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
  });
});
