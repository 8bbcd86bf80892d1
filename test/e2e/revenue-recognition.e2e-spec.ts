import { randomUUID } from 'node:crypto';
import { postGraphQL, queryData } from '@concord/testing';
import { sql } from './support/database';
import { bearerFor, startStack, type Stack } from './support/stack';

jest.setTimeout(180_000);

const finance = { sub: 'fin-revrec', roles: ['finance'] };

const START = `mutation ($period: String!, $contractId: ID) { startRevenueRecognition(period: $period, contractId: $contractId) { id kind status } }`;
const RUN = `query ($id: ID!) { workflowRun(id: $id) { id status stepsDone state lastError { code message } } }`;
const ENTRIES = `query ($contractId: ID!) { revenueEntries(filter: { contractId: $contractId }, first: 20) { edges { node {
  contractLineId projectId period method recognizedAmount { amount currency } cumulativeRecognized { amount }
  functionalCurrency fxRate recognizedFunctional { amount currency } } } } }`;

type Row = Record<string, any>;

describe('revenue recognition through the gateway', () => {
  let stack: Stack;
  let financeAuth: Record<string, string>;
  /** an ACTIVE USD contract of a EUR legal entity: straight line, T&M and fixed-fee lines, with a T&M project in PSA */
  let deal: { contractId: string; straight: string; tm: string; fixed: string; projectId: string };

  beforeAll(async () => {
    stack = await startStack({ governance: true, workflows: true });
    financeAuth = await bearerFor(finance);
    const erp = (query: string, variables: Row) => queryData(stack.gateway.url, query, variables, financeAuth);
    // PSA's records are written as the integration identity (finance writes only ERP's)
    const psa = (query: string, variables: Row) => queryData(stack.gateway.url, query, variables, stack.auth);

    for (const code of ['EUR', 'USD']) {
      await erp(`mutation ($input: CreateCurrencyInput!) { createCurrency(input: $input) { code } }`, { input: { code, name: code } });
    }
    await erp(`mutation ($input: CreateFxRateInput!) { createFxRate(input: $input) { id } }`, {
      input: { fromCurrency: 'USD', toCurrency: 'EUR', date: '2025-03-28', rate: '0.9137' },
    });
    const { createLegalEntity } = await erp(`mutation ($input: CreateLegalEntityInput!) { createLegalEntity(input: $input) { id } }`, {
      input: { code: `LE-RR-${randomUUID().slice(0, 6).toUpperCase()}`, name: 'Concord SAS', country: 'FR', functionalCurrency: 'EUR' },
    });
    const { createLegalCustomer } = await erp(
      `mutation ($input: CreateLegalCustomerInput!) { createLegalCustomer(input: $input) { id } }`,
      {
        input: { legalName: 'Acme Inc.', clientId: randomUUID(), defaultCurrency: 'USD' },
      },
    );
    const { createContract } = await erp(
      `mutation ($input: CreateContractInput!) { createContract(input: $input) { id lines { id revRecMethod } } }`,
      {
        input: {
          number: `C-RR-${randomUUID().slice(0, 8)}`,
          customerId: createLegalCustomer.id,
          legalEntityId: createLegalEntity.id,
          currency: 'USD',
          startDate: '2025-01-01',
          endDate: '2025-06-30',
          lines: [
            { description: 'Platform licence', billingModel: 'RETAINER', amount: '1810' },
            { description: 'Consulting', billingModel: 'TM', amount: '5000' },
            { description: 'Migration', billingModel: 'FIXED', amount: '12000' },
          ],
        },
      },
    );
    await erp(`mutation ($id: ID!) { transitionContract(id: $id, to: ACTIVE) { id } }`, { id: createContract.id });
    const [straight, tm, fixed] = createContract.lines.map((line: Row) => line.id);
    expect(createContract.lines.map((line: Row) => line.revRecMethod)).toEqual(['STRAIGHT_LINE', 'TM_AS_DELIVERED', 'PCT_COMPLETE']);

    const { createProject } = await psa(`mutation ($input: CreateProjectInput!) { createProject(input: $input) { id } }`, {
      input: {
        code: `P-RR-${randomUUID().slice(0, 6)}`,
        name: 'Acme rollout',
        clientId: randomUUID(),
        contractId: createContract.id,
        currency: 'USD',
        billingModel: 'TM',
        plannedStart: '2025-01-06',
        managerId: 'dm-revrec',
        percentCompleteMethod: 'MANUAL',
        percentComplete: '25',
      },
    });
    const projectId = createProject.id;
    await psa(`mutation ($id: ID!) { transitionProject(id: $id, to: ACTIVE) { id } }`, { id: projectId });
    const { createTask } = await psa(`mutation ($input: CreateTaskInput!) { createTask(input: $input) { id } }`, {
      input: { projectId, name: 'Consulting', contractLineId: tm },
    });
    const { createResource } = await psa(`mutation ($input: CreateResourceInput!) { createResource(input: $input) { id } }`, {
      input: {
        personId: `person-${randomUUID().slice(0, 6)}`,
        name: 'Ada',
        primaryRole: 'Consultant',
        costRate: '60',
        currency: 'USD',
        capacityHoursPerWeek: '40',
      },
    });
    const { createAssignment } = await psa(`mutation ($input: CreateAssignmentInput!) { createAssignment(input: $input) { id } }`, {
      input: {
        projectId,
        resourceId: createResource.id,
        billRate: '150',
        scheduledHours: '160',
        startDate: '2025-03-03',
        endDate: '2025-03-31',
        status: 'HARD',
      },
    });
    const approve = async (entity: 'TimeEntry' | 'Expense', id: string) => {
      for (const to of ['SUBMITTED', 'APPROVED']) {
        await psa(`mutation ($id: ID!, $to: ${entity}Status!) { transition${entity}(id: $id, to: $to) { id } }`, { id, to });
      }
    };
    // March: 7.5 h on the consulting task (1125.00), 2 h without a task (300.00), a travel expense (80.00); April is not March
    for (const input of [
      { date: '2025-03-03', hours: '7.5', taskId: createTask.id },
      { date: '2025-03-04', hours: '2' },
      { date: '2025-03-31', hours: '3', taskId: createTask.id, billable: false },
    ]) {
      const { createTimeEntry } = await psa(`mutation ($input: CreateTimeEntryInput!) { createTimeEntry(input: $input) { id } }`, {
        input: { assignmentId: createAssignment.id, ...input },
      });
      await approve('TimeEntry', createTimeEntry.id);
    }
    const { createExpense } = await psa(`mutation ($input: CreateExpenseInput!) { createExpense(input: $input) { id } }`, {
      input: { projectId, resourceId: createResource.id, date: '2025-03-05', category: 'TRAVEL', amount: '80.00' },
    });
    await approve('Expense', createExpense.id);
    deal = { contractId: createContract.id, straight, tm, fixed, projectId };
  });

  afterAll(async () => {
    await stack?.close();
  });

  async function finished(runId: string): Promise<Row> {
    const deadline = Date.now() + 60_000;
    let run: Row | null = null;
    while (Date.now() < deadline) {
      ({ workflowRun: run } = await queryData(stack.gateway.url, RUN, { id: runId }, financeAuth));
      if (run!.status === 'SUCCEEDED' || run!.status === 'EXCEPTION') {
        return run!;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`run ${runId} did not finish: ${JSON.stringify(run)}`);
  }

  it('should recognise March per line method in the contract currency and in the legal entity’s, once per period', async () => {
    const { startRevenueRecognition } = await queryData(
      stack.gateway.url,
      START,
      { period: '2025-03-01', contractId: deal.contractId },
      financeAuth,
    );
    const run = await finished(startRevenueRecognition.id);
    const { revenueEntries } = await queryData(stack.gateway.url, ENTRIES, { contractId: deal.contractId }, financeAuth);

    expect(startRevenueRecognition.kind).toBe('REVENUE_RECOGNITION');
    expect(run).toMatchObject({
      status: 'SUCCEEDED',
      stepsDone: 2,
      state: { contracts: 1, entries: 3, unassigned: [], otherCurrency: [] },
    });
    const byLine = new Map(revenueEntries.edges.map((edge: Row) => [edge.node.contractLineId, edge.node]));
    const common = { period: '2025-03-01', functionalCurrency: 'EUR', fxRate: '0.913700' };
    // 1810.00 over 181 days (Jan 1 – Jun 30), 90 elapsed by Mar 31: 900.00; × 0.9137 = 822.33
    expect(byLine.get(deal.straight)).toMatchObject({
      ...common,
      method: 'STRAIGHT_LINE',
      recognizedAmount: { amount: '900.00', currency: 'USD' },
      recognizedFunctional: { amount: '822.33', currency: 'EUR' },
    });
    // 1125.00 + 300.00 (no task: the contract's only T&M line) + 80.00 = 1505.00; × 0.9137 = 1375.1185 → 1375.12
    expect(byLine.get(deal.tm)).toMatchObject({
      ...common,
      method: 'TM_AS_DELIVERED',
      projectId: deal.projectId,
      recognizedAmount: { amount: '1505.00', currency: 'USD' },
      recognizedFunctional: { amount: '1375.12', currency: 'EUR' },
    });
    // 25 % of 12000.00 = 3000.00; × 0.9137 = 2741.10
    expect(byLine.get(deal.fixed)).toMatchObject({
      ...common,
      method: 'PCT_COMPLETE',
      projectId: deal.projectId,
      recognizedAmount: { amount: '3000.00', currency: 'USD' },
      cumulativeRecognized: { amount: '3000.00' },
      recognizedFunctional: { amount: '2741.10', currency: 'EUR' },
    });

    // the same period and scope again: the run already there, nothing written twice
    const again = await queryData(stack.gateway.url, START, { period: '2025-03-01', contractId: deal.contractId }, financeAuth);
    const [{ count }] = await sql<{ count: number }>(
      stack.database.url,
      `SELECT count(*)::int AS count FROM erp.revenue_entry WHERE contract_id = $1`,
      [deal.contractId],
    );
    expect(again.startRevenueRecognition.id).toBe(startRevenueRecognition.id);
    expect(count).toBe(3);
  });

  it('should refuse revenue recognition to a role that may not start one, and a period that is not a first of month', async () => {
    const sales = await bearerFor({ sub: 'rep-revrec', roles: ['sales'] });

    const refused = await postGraphQL(stack.gateway.url, START, { period: '2025-03-01' }, sales);
    const invalid = await postGraphQL(stack.gateway.url, START, { period: '2025-03-15' }, financeAuth);

    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(invalid.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
