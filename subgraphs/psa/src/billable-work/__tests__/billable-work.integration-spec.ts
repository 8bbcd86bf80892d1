import { newId } from '@concord/common';
import { postGraphQL, queryData, useTestService } from '@concord/testing';
import { DeliveryFactory } from '../../__tests__/delivery.factory';
import { PsaModule } from '../../app.module';

jest.setTimeout(60_000);

const GROUPS = `query($periodEnd: String!, $contractIds: [ID!], $projectIds: [ID!]) {
  billableWork(periodEnd: $periodEnd, contractIds: $contractIds, projectIds: $projectIds) {
    contractId projectId projectCode sourceType billRate { amount currency } category hours amount { amount currency } from to count sourceIds
  } }`;

describe('BillableWorkService', () => {
  const sut = useTestService((databaseUrl) => PsaModule.forRoot({ databaseUrl }), 'psa');
  let factory: DeliveryFactory;

  beforeAll(() => {
    factory = new DeliveryFactory(sut.graphqlUrl);
  });

  const approvedExpense = async (projectId: string, resourceId: string, values: Record<string, unknown>) => {
    const expense = await factory.expense(projectId, resourceId, values);
    return factory.transitionExpense(expense.id, 'SUBMITTED', 'APPROVED');
  };

  /**
   * Contract C, T&M project P (EUR): R1 at 120.15/h and R2 at 95/h in March 2025, plus work that must not be billed
   * (after the period, invoiced, submitted, non-billable, on a FIXED project of the same contract).
   */
  const contractWork = async () => {
    const contractId = newId();
    const period = { startDate: '2025-03-01', endDate: '2025-04-30' };
    const {
      project,
      resource: r1,
      assignment: a1,
    } = await factory.staffed({
      project: { contractId, billingModel: 'TM' },
      assignment: { billRate: '120.15', ...period },
    });
    const r2 = await factory.resource();
    const a2 = await factory.assignment(project.id, r2.id, { billRate: '95', ...period });
    const e1 = await factory.approvedTimeEntry(a1.id, { date: '2025-03-03', hours: '7.25' });
    const e2 = await factory.approvedTimeEntry(a1.id, { date: '2025-03-04', hours: '1.75' });
    const e3 = await factory.approvedTimeEntry(a2.id, { date: '2025-03-05', hours: '8' });
    const e4 = await factory.approvedTimeEntry(a2.id, { date: '2025-03-06', hours: '8', billableHours: '6' });
    await factory.approvedTimeEntry(a1.id, { date: '2025-04-01', hours: '8' });
    const invoiced = await factory.approvedTimeEntry(a1.id, { date: '2025-03-07', hours: '8' });
    await queryData(
      sut.graphqlUrl,
      `mutation($ids: [ID!]!, $invoiceId: ID!) { markTimeEntriesInvoiced(ids: $ids, invoiceId: $invoiceId) { id } }`,
      {
        ids: [invoiced.id],
        invoiceId: newId(),
      },
    );
    await factory.transitionTimeEntry((await factory.timeEntry(a1.id, { date: '2025-03-10', hours: '8' })).id, 'SUBMITTED');
    await factory.approvedTimeEntry(a1.id, { date: '2025-03-11', hours: '4', billable: false });
    const x1 = await approvedExpense(project.id, r1.id, { date: '2025-03-05', category: 'TRAVEL', amount: '100.00', markupPct: '10' });
    const x2 = await approvedExpense(project.id, r2.id, { date: '2025-03-12', category: 'TRAVEL', amount: '45.50' });
    const x3 = await approvedExpense(project.id, r1.id, { date: '2025-03-06', category: 'MEALS', amount: '20.00' });
    await approvedExpense(project.id, r1.id, { date: '2025-03-07', category: 'MEALS', amount: '30.00', billable: false });
    const { assignment: fixed } = await factory.staffed({ project: { contractId, billingModel: 'FIXED' }, assignment: period });
    await factory.approvedTimeEntry(fixed.id, { date: '2025-03-03', hours: '8' });
    return { contractId, project, ids: { e1, e2, e3, e4, x1, x2, x3 } };
  };

  it('should group approved billable uninvoiced work of T&M projects by bill rate and category with exact sums', async () => {
    const { contractId, project, ids } = await contractWork();
    const other = await contractWork();

    const { billableWork } = await queryData(sut.graphqlUrl, GROUPS, { periodEnd: '2025-03-31', contractIds: [contractId] });

    const base = { contractId, projectId: project.id, projectCode: project.code };
    expect(billableWork).toEqual([
      // 7.25 × 120.15 = 871.0875 → 871.09; 1.75 × 120.15 = 210.2625 → 210.26
      {
        ...base,
        sourceType: 'TIME',
        billRate: { amount: '95.00', currency: 'EUR' },
        category: null,
        hours: '14.00',
        amount: { amount: '1330.00', currency: 'EUR' },
        from: '2025-03-05',
        to: '2025-03-06',
        count: 2,
        sourceIds: [ids.e3.id, ids.e4.id],
      },
      {
        ...base,
        sourceType: 'TIME',
        billRate: { amount: '120.15', currency: 'EUR' },
        category: null,
        hours: '9.00',
        amount: { amount: '1081.35', currency: 'EUR' },
        from: '2025-03-03',
        to: '2025-03-04',
        count: 2,
        sourceIds: [ids.e1.id, ids.e2.id],
      },
      // 100.00 + 10 % = 110.00, + 45.50
      {
        ...base,
        sourceType: 'EXPENSE',
        billRate: null,
        category: 'MEALS',
        hours: null,
        amount: { amount: '20.00', currency: 'EUR' },
        from: '2025-03-06',
        to: '2025-03-06',
        count: 1,
        sourceIds: [ids.x3.id],
      },
      {
        ...base,
        sourceType: 'EXPENSE',
        billRate: null,
        category: 'TRAVEL',
        hours: null,
        amount: { amount: '155.50', currency: 'EUR' },
        from: '2025-03-05',
        to: '2025-03-12',
        count: 2,
        sourceIds: [ids.x1.id, ids.x2.id],
      },
    ]);
    expect(billableWork.map((group: { sourceIds: string[] }) => group.sourceIds).flat()).not.toContain(other.ids.e1.id);
  });

  it('should take the April entry into a later period and leave out a project not asked for', async () => {
    const { contractId, project } = await contractWork();

    const { billableWork } = await queryData(sut.graphqlUrl, GROUPS, { periodEnd: '2025-04-30', projectIds: [project.id] });
    const { billableWork: none } = await queryData(sut.graphqlUrl, GROUPS, { periodEnd: '2025-04-30', projectIds: [newId()] });

    const rate = billableWork.find((group: { billRate: { amount: string } | null }) => group.billRate?.amount === '120.15');
    // 9.00 h of March + 8 h on 04-01: 1081.35 + 961.20
    expect(rate).toMatchObject({ contractId, hours: '17.00', amount: { amount: '2042.55', currency: 'EUR' }, count: 3, to: '2025-04-01' });
    expect(none).toEqual([]);
  });

  it('should refuse a period end that is not a date', async () => {
    const response = await postGraphQL(sut.graphqlUrl, GROUPS, { periodEnd: '2025-02-30' });

    expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
