import { addDays, ErrorCode, todayIso } from '@concord/common';
import { postGraphQL, queryData, type GraphQLResponse } from '@concord/testing';
import { bearerFor, startStack, type Stack } from './support/stack';

/**
 * Client health and a delivery KPI (issue 6) end to end, through the Concord gateway with the default policy bundle.
 * As the integration account: one client with an ACTIVE AMBER project (budget 5000 EUR), 16 approved hours at cost 60
 * and bill 150 (8 of them invoiced) in the week of 2025-03-03, 1000 EUR of revenue recognised on its contract (client
 * margin (1000 − 960) / 1000 = 4 %, below the 10 % floor) and a posted invoice 45 days past due.
 */

const HEALTH = `query Health($id: ID!) { client(id: $id) { id name health { status marginConsidered reasons { code status message } } } }`;
const KPIS = `query Kpis($legalEntityId: ID) {
  deliveryKpis(from: "2025-03-03", to: "2025-03-09", legalEntityId: $legalEntityId) {
    utilization { availableHours billableHours billableUtilPct }
    effectiveBillRates { currency hoursWorked rate { amount currency } }
  } }`;

type ResponseError = NonNullable<GraphQLResponse['errors']>[number];

const forbiddenAt = (errors: readonly ResponseError[] | undefined) =>
  Object.fromEntries(
    (errors ?? [])
      .filter((error) => error.extensions?.code === ErrorCode.FORBIDDEN_FIELD)
      .map((error) => [error.path?.join('.'), error.extensions?.coordinate]),
  );

describe('client health and delivery KPIs through the gateway', () => {
  let stack: Stack;
  let clientId: string;
  let legalEntityId: string;

  const as = async (role: string, query: string, variables?: Record<string, unknown>) =>
    postGraphQL(stack.gateway.url, query, variables, await bearerFor({ sub: `${role}-1`, roles: [role] }));
  const write = (query: string, variables?: Record<string, unknown>) => queryData(stack.gateway.url, query, variables, stack.auth);

  beforeAll(async () => {
    stack = await startStack();

    ({
      createClient: { id: clientId },
    } = await write(
      `mutation { createClient(input: { name: "Health E2E Ltd", domain: "health-e2e.example.com", ownerId: "sales-1", currency: "EUR" }) { id } }`,
    ));
    await write(`mutation { createCurrency(input: { code: "EUR", name: "Euro" }) { id } }`);
    ({
      createLegalEntity: { id: legalEntityId },
    } = await write(
      `mutation { createLegalEntity(input: { code: "HE", name: "Health E2E SAS", country: "FR", functionalCurrency: "EUR" }) { id } }`,
    ));

    const { createProject: project } = await write(`mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }`, {
      input: {
        code: 'HE-1',
        name: 'Health E2E delivery',
        clientId,
        legalEntityId,
        currency: 'EUR',
        plannedStart: '2025-03-03',
        managerId: 'delivery_manager-1',
        budget: '5000',
        budgetHours: '40',
        percentComplete: '10',
      },
    });
    await write(`mutation($id: ID!) { transitionProject(id: $id, to: ACTIVE) { id } }`, { id: project.id });
    await write(`mutation($id: ID!) { updateProject(id: $id, input: { health: AMBER }) { id } }`, { id: project.id });
    const { createResource: resource } = await write(`mutation($input: CreateResourceInput!) { createResource(input: $input) { id } }`, {
      input: {
        personId: 'person-health-1',
        name: 'Consultant Health',
        primaryRole: 'Consultant',
        costRate: '60',
        currency: 'EUR',
        capacityHoursPerWeek: '40',
        legalEntityId,
      },
    });
    const { createAssignment: assignment } = await write(
      `mutation($input: CreateAssignmentInput!) { createAssignment(input: $input) { id } }`,
      {
        input: {
          projectId: project.id,
          resourceId: resource.id,
          billRate: '150',
          scheduledHours: '160',
          startDate: '2025-03-03',
          endDate: '2025-03-31',
          status: 'HARD',
        },
      },
    );
    const entries: string[] = [];
    for (const date of ['2025-03-03', '2025-03-04']) {
      const { createTimeEntry } = await write(`mutation($input: CreateTimeEntryInput!) { createTimeEntry(input: $input) { id } }`, {
        input: { assignmentId: assignment.id, date, hours: '8' },
      });
      for (const to of ['SUBMITTED', 'APPROVED']) {
        await write(`mutation($id: ID!, $to: TimeEntryStatus!) { transitionTimeEntry(id: $id, to: $to) { id } }`, {
          id: createTimeEntry.id,
          to,
        });
      }
      entries.push(createTimeEntry.id);
    }

    const { createLegalCustomer: customer } = await write(
      `mutation($clientId: ID!) { createLegalCustomer(input: { legalName: "Health E2E Ltd", clientId: $clientId, defaultCurrency: "EUR" }) { id } }`,
      { clientId },
    );
    const { createContract: contract } = await write(
      `mutation($customerId: ID!, $legalEntityId: ID!) {
        createContract(input: { number: "HE-C-1", customerId: $customerId, legalEntityId: $legalEntityId, startDate: "2025-01-01", currency: "EUR",
          lines: [{ description: "Fixed fee", billingModel: FIXED, amount: "10000" }] }) { id lines { id } } }`,
      { customerId: customer.id, legalEntityId },
    );
    await write(`mutation($id: ID!) { transitionContract(id: $id, to: ACTIVE) { id } }`, { id: contract.id });
    await write(`mutation($input: RecordRevenueEntryInput!) { recordRevenueEntry(input: $input) { id } }`, {
      input: { contractLineId: contract.lines[0].id, period: '2025-03-01', recognizedAmount: '1000.00', projectId: project.id },
    });
    const { createInvoice: invoice } = await write(`mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { id } }`, {
      input: {
        customerId: customer.id,
        legalEntityId,
        contractId: contract.id,
        projectId: project.id,
        issueDate: addDays(todayIso(), -50),
        dueDate: addDays(todayIso(), -45),
        lines: [{ sourceType: 'FIXED', description: 'Fixed fee', qty: '1', rate: '500' }],
      },
    });
    await write(`mutation($id: ID!) { postInvoice(id: $id) { id } }`, { id: invoice.id });
    await write(`mutation($ids: [ID!]!, $invoiceId: ID!) { markTimeEntriesInvoiced(ids: $ids, invoiceId: $invoiceId) { id } }`, {
      ids: [entries[0]],
      invoiceId: invoice.id,
    });
  });

  afterAll(async () => {
    await stack?.close();
  });

  const amberProject = { code: 'PROJECT_AMBER', status: 'AMBER', message: '1 active project is AMBER' };
  const overdue = { code: 'AR_OVERDUE', status: 'AMBER', message: 'the oldest overdue invoice is 45 days past due (AMBER above 30)' };

  it('should give finance the client health with its margin reason', async () => {
    const response = await as('finance', HEALTH, { id: clientId });

    expect(response.errors).toBeUndefined();
    expect(response.data?.client.health).toEqual({
      status: 'RED',
      marginConsidered: true,
      reasons: [{ code: 'MARGIN_BELOW_FLOOR', status: 'RED', message: 'margin 4.00 % is below the floor of 10 %' }, amberProject, overdue],
    });
  });

  it('should give sales the client health decided without margin, with no error and no word of margin', async () => {
    const health = await as('sales', HEALTH, { id: clientId });
    const margin = await as('sales', `query($id: ID!) { client(id: $id) { marginPct } }`, { id: clientId });

    expect(health.errors).toBeUndefined();
    expect(health.data?.client.health).toEqual({ status: 'AMBER', marginConsidered: false, reasons: [amberProject, overdue] });
    expect(JSON.stringify(health.data)).not.toMatch(/margin \d/);
    // asked for directly, the margin itself is refused
    expect(margin.data?.client.marginPct).toBeNull();
    expect(forbiddenAt(margin.errors)).toEqual({ 'client.marginPct': 'Client.marginPct' });
  });

  it('should give finance utilization and the effective bill rate of the legal entity', async () => {
    const response = await as('finance', KPIS, { legalEntityId });

    expect(response.errors).toBeUndefined();
    // 16 billable hours of 40 available; 1200 EUR invoiced over 16 hours worked
    expect(response.data?.deliveryKpis).toEqual({
      utilization: { availableHours: '40.00', billableHours: '16.00', billableUtilPct: '40.00' },
      effectiveBillRates: [{ currency: 'EUR', hoursWorked: '16.00', rate: { amount: '75.00', currency: 'EUR' } }],
    });
  });

  it('should give a delivery manager utilization but not the bill rate, a financial figure of the portfolio', async () => {
    const response = await as('delivery_manager', KPIS, { legalEntityId });

    expect(response.data?.deliveryKpis).toEqual({
      utilization: { availableHours: '40.00', billableHours: '16.00', billableUtilPct: '40.00' },
      effectiveBillRates: [{ currency: 'EUR', hoursWorked: '16.00', rate: null }],
    });
    expect(forbiddenAt(response.errors)).toEqual({ 'deliveryKpis.effectiveBillRates.0.rate': 'EffectiveBillRate.rate' });
  });
});
