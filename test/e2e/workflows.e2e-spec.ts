import { seedDatabase } from '@concord/seed';
import { queryData } from '@concord/testing';
import { sql } from './support/database';
import { bearerFor, startStack, type Stack } from './support/stack';

const rep = { sub: 'rep-wf', roles: ['sales', 'integration'] };
const steward = { sub: 'steward-wf', roles: ['data_steward'] };
const auditor = { sub: 'aud-wf', roles: ['auditor'] };

const RUN = `query Run($key: String!, $kind: WorkflowKind!) {
  workflowRuns(kind: $kind, businessKey: $key, first: 1) {
    edges { node { id status correlationId attempts stepsDone steps state
      lastError { code step permanent reasons message } events { kind step message actor } } }
  } }`;

const DEAL = `query Deal($id: ID!) {
  contracts(first: 5, filter: { opportunityId: $id }) { edges { node {
      id number status currency customerId legalEntityId opportunityId totalValue { amount }
      lines { description billingModel amount { amount } hoursCap sourceQuoteLineId rateCardId
        billingSchedules { type lines { plannedDate amount { amount } milestoneId status } } }
  } } }
  projects(first: 5, filter: { opportunityId: $id }) { edges { node {
      id code status currency budget { amount } budgetHours plannedStart plannedEnd contractId legalEntityId
      tasks { name allocatedHours contractLineId milestoneId billable }
      milestones { id name targetDate amount { amount } contractLineId }
      resourceRequests { role hours startDate endDate sourceQuoteLineId status }
  } } }
}`;

interface Deal {
  opportunityId: string;
  quoteLineIds: string[];
  /** the correlation id of the request that moved the opportunity to CLOSED_WON */
  correlationId: string;
}

/** The closed-won flow's records, counted in the subgraphs' own tables: exactly once means one of each. */
async function recordCounts(stack: Stack, opportunityId: string) {
  const [row] = await sql<Record<string, number>>(
    stack.database.url,
    `SELECT
       (SELECT count(*)::int FROM erp.contract WHERE opportunity_id = $1) AS contracts,
       (SELECT count(*)::int FROM erp.contract_line l JOIN erp.contract c ON c.id = l.contract_id WHERE c.opportunity_id = $1) AS "contractLines",
       (SELECT count(*)::int FROM erp.billing_schedule s JOIN erp.contract c ON c.id = s.contract_id WHERE c.opportunity_id = $1) AS schedules,
       (SELECT count(*)::int FROM psa.project WHERE opportunity_id = $1) AS projects,
       (SELECT count(*)::int FROM psa.task t JOIN psa.project p ON p.id = t.project_id WHERE p.opportunity_id = $1) AS tasks,
       (SELECT count(*)::int FROM psa.milestone m JOIN psa.project p ON p.id = m.project_id WHERE p.opportunity_id = $1) AS milestones,
       (SELECT count(*)::int FROM psa.resource_request r JOIN psa.project p ON p.id = r.project_id WHERE p.opportunity_id = $1) AS requests`,
    [opportunityId],
  );
  return row;
}

describe('cross-system workflows through the gateway', () => {
  let stack: Stack;
  let repAuth: Record<string, string>;
  /** a client whose legal customer, legal entity (from its contracts) and rate cards ERP knows */
  let known: { clientId: string; currency: string };
  /** a client ERP has never heard of */
  let unknownClientId: string;

  beforeAll(async () => {
    stack = await startStack({
      governance: true,
      workflows: true,
      beforeGateway: (databaseUrl) => seedDatabase({ databaseUrl, scale: 0.1, seed: 5 }).then(() => undefined),
    });
    repAuth = await bearerFor(rep);
    [known] = await sql<{ clientId: string; currency: string }>(
      stack.database.url,
      `SELECT c.client_id AS "clientId", c.currency FROM erp.contract c
         JOIN erp.legal_customer lc ON lc.id = c.customer_id AND lc.status = 'ACTIVE' AND lc.tax_id IS NOT NULL
        WHERE EXISTS (SELECT 1 FROM erp.rate_card r WHERE r.currency = c.currency)
        ORDER BY c.client_id LIMIT 1`,
    );
    const client = await queryData(
      stack.gateway.url,
      `mutation ($input: CreateClientInput!) { createClient(input: $input) { id } }`,
      {
        input: {
          name: 'Brand New Holdings',
          domain: 'brand-new-holdings.example',
          ownerId: rep.sub,
          tier: 'SMALL',
          currency: known.currency,
        },
      },
      repAuth,
    );
    unknownClientId = client.createClient.id;
  });

  afterAll(async () => {
    await stack?.close();
  });

  const gql = (query: string, variables: Record<string, unknown>, headers = repAuth) =>
    queryData(stack.gateway.url, query, variables, headers);

  /** An opportunity with an accepted quote of a T&M role line and a milestone line, moved to CLOSED_WON. */
  async function winDeal(clientId: string, currency: string): Promise<Deal> {
    const { createOpportunity } = await gql(`mutation ($input: CreateOpportunityInput!) { createOpportunity(input: $input) { id } }`, {
      input: {
        name: `Data platform ${Math.random().toString(36).slice(2, 7)}`,
        clientId,
        ownerId: rep.sub,
        currency,
        closeDate: '2026-12-15',
        expectedStartDate: '2027-01-04',
        billingModel: 'TM',
      },
    });
    const opportunityId: string = createOpportunity.id;
    const { createQuote } = await gql(`mutation ($input: CreateQuoteInput!) { createQuote(input: $input) { id lines { id } } }`, {
      input: {
        opportunityId,
        validUntil: '2027-06-30',
        lines: [
          {
            serviceCode: 'TM-ARCH',
            description: 'Architect, time and materials',
            roleId: 'Architect',
            billingModel: 'TM',
            hours: '120',
            unitRate: '210.00',
            serviceTracking: 'PROJECT_AND_TASK',
          },
          {
            serviceCode: 'MILESTONE',
            description: 'Go-live',
            billingModel: 'MILESTONE',
            quantity: '1',
            unitRate: '15000.00',
            serviceTracking: 'PROJECT_AND_TASK',
            milestoneName: 'Go-live',
            milestoneDate: '2027-03-31',
          },
        ],
      },
    });
    await gql(`mutation ($id: ID!) { sendQuote(id: $id) { id } }`, { id: createQuote.id });
    await gql(`mutation ($id: ID!) { acceptQuote(id: $id) { id } }`, { id: createQuote.id });
    for (const stage of ['QUALIFICATION', 'PROPOSAL', 'NEGOTIATION']) {
      await gql(`mutation ($id: ID!, $stage: OpportunityStage!) { moveOpportunity(id: $id, stage: $stage) { id } }`, {
        id: opportunityId,
        stage,
      });
    }
    const correlationId = `close-${opportunityId}`;
    await gql(
      `mutation ($id: ID!) { moveOpportunity(id: $id, stage: CLOSED_WON) { stage } }`,
      { id: opportunityId },
      { ...repAuth, 'x-correlation-id': correlationId },
    );
    return { opportunityId, quoteLineIds: createQuote.lines.map((line: { id: string }) => line.id), correlationId };
  }

  async function runOf(businessKey: string, kind: string) {
    const { workflowRuns } = await gql(RUN, { key: businessKey, kind }, await bearerFor(steward));
    return workflowRuns.edges[0]?.node ?? null;
  }

  async function waitForRun(opportunityId: string, done: (run: any) => boolean, timeoutMs = 40_000, kind = 'OPPORTUNITY_TO_PROJECT') {
    const deadline = Date.now() + timeoutMs;
    let run: any = null;
    while (Date.now() < deadline) {
      run = await runOf(opportunityId, kind);
      if (run && done(run)) {
        return run;
      }
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    throw new Error(`the run of ${opportunityId} did not get there in ${timeoutMs} ms: ${JSON.stringify(run)}`);
  }

  it('should turn a closed-won opportunity into a contract, billing schedule, project, tasks, milestone and resource request, under one correlation id', async () => {
    const deal = await winDeal(known.clientId, known.currency);

    const run = await waitForRun(deal.opportunityId, (candidate) => candidate.status === 'SUCCEEDED');
    const { contracts, projects } = await gql(DEAL, { id: deal.opportunityId });
    const opportunity = { contract: contracts.edges[0]?.node, project: projects.edges[0]?.node };
    expect([contracts.edges.length, projects.edges.length]).toEqual([1, 1]);

    expect(run).toMatchObject({ correlationId: deal.correlationId, attempts: 1, stepsDone: 8, lastError: null });
    // the CRM opportunity points at what it became
    const { opportunity: won } = await gql(`query ($id: ID!) { opportunity(id: $id) { stage contract { id } project { id } } }`, {
      id: deal.opportunityId,
    });
    expect(won).toEqual({ stage: 'CLOSED_WON', contract: { id: opportunity.contract.id }, project: { id: opportunity.project.id } });
    const [timeLine, milestoneLine] = deal.quoteLineIds;
    expect(opportunity.contract).toMatchObject({
      status: 'ACTIVE',
      currency: known.currency,
      opportunityId: deal.opportunityId,
      totalValue: { amount: '40200.00' },
    });
    const lines = new Map(opportunity.contract.lines.map((line: any) => [line.sourceQuoteLineId, line]));
    expect(lines.get(timeLine)).toMatchObject({
      billingModel: 'TM',
      amount: { amount: '25200.00' },
      hoursCap: '120.00',
      billingSchedules: [],
    });
    expect(lines.get(timeLine)).toHaveProperty('rateCardId', expect.any(String));
    const milestoneId = opportunity.project.milestones[0].id;
    expect(lines.get(milestoneLine)).toMatchObject({
      billingModel: 'MILESTONE',
      amount: { amount: '15000.00' },
      billingSchedules: [
        { type: 'MILESTONE', lines: [{ plannedDate: '2027-03-31', amount: { amount: '15000.00' }, milestoneId, status: 'PLANNED' }] },
      ],
    });
    expect(opportunity.project).toMatchObject({
      status: 'SETUP',
      currency: known.currency,
      budget: { amount: '40200.00' },
      budgetHours: '120.00',
      plannedStart: '2027-01-04',
      plannedEnd: '2027-03-31',
      legalEntityId: opportunity.contract.legalEntityId,
      milestones: [{ name: 'Go-live', targetDate: '2027-03-31', amount: { amount: '15000.00' } }].map((expected) =>
        expect.objectContaining(expected),
      ),
      resourceRequests: [
        { role: 'Architect', hours: '120.00', startDate: '2027-01-04', endDate: '2027-03-31', sourceQuoteLineId: timeLine, status: 'OPEN' },
      ],
    });
    expect(opportunity.project.tasks).toHaveLength(2);
    expect(opportunity.project.tasks.find((task: any) => task.milestoneId === milestoneId)).toMatchObject({
      name: 'Go-live',
      allocatedHours: '0.00',
    });
    expect(opportunity.project.tasks.find((task: any) => task.milestoneId === null)).toMatchObject({
      name: 'Architect, time and materials',
      allocatedHours: '120.00',
    });

    // the ledger: every write of the flow, the rep's closing included, carries one correlation id; the engine wrote
    // as integration (the outbox relays deliver within a second or so)
    const expected = [
      'erp:Contract',
      'erp:ContractLine',
      'erp:BillingSchedule',
      'erp:BillingScheduleLine',
      'psa:Project',
      'psa:Task',
      'psa:Milestone',
      'psa:ResourceRequest',
      'crm:Opportunity',
    ];
    let events: { service: string; entity: string; sub: string }[] = [];
    for (let wait = 0; wait < 50; wait++) {
      events = await sql(
        stack.database.url,
        `SELECT service, entity, actor->>'sub' AS sub FROM governance.audit_event WHERE correlation_id = $1 AND action <> 'read' ORDER BY position`,
        [deal.correlationId],
      );
      // the rep's closing is a crm:Opportunity event too: wait for the engine's own write of each kind
      if (
        expected.every((kind) => events.some((event) => event.sub === 'workflow-engine' && `${event.service}:${event.entity}` === kind))
      ) {
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(events[0]).toMatchObject({ service: 'crm', entity: 'Opportunity', sub: rep.sub });
    const engineWrites = events.filter((event) => event.sub === 'workflow-engine');
    expect(new Set(engineWrites.map((event) => `${event.service}:${event.entity}`))).toEqual(new Set(expected));
    expect(engineWrites).toHaveLength(events.length - 1);
    expect(await recordCounts(stack, deal.opportunityId)).toEqual({
      contracts: 1,
      contractLines: 2,
      schedules: 1,
      projects: 1,
      tasks: 2,
      milestones: 1,
      requests: 1,
    });

    // the delivery manager confirms the project: the setup cycle ends (DOMAIN.md §3)
    await gql(
      `mutation ($id: ID!) { updateProject(id: $id, input: { managerId: "pm-ada" }) { id } transitionProject(id: $id, to: ACTIVE) { status } }`,
      {
        id: opportunity.project.id,
      },
    );
    const today = new Date().toISOString().slice(0, 10);
    let setup: any;
    for (let wait = 0; wait < 50 && !setup?.activatedAt; wait++) {
      const { projectSetupCycleTime } = await gql(
        `query ($from: String!, $to: String!) { projectSetupCycleTime(from: $from, to: $to) {
           count activated p95SetupSeconds projects { opportunityId projectId closedWonAt setupReadyAt activatedAt setupSeconds cycleDays } } }`,
        { from: today, to: today },
        await bearerFor({ sub: 'exec-wf', roles: ['executive'] }),
      );
      setup = projectSetupCycleTime.projects.find((project: any) => project.opportunityId === deal.opportunityId);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(setup).toMatchObject({ projectId: opportunity.project.id, cycleDays: expect.any(Number) });
    expect(Date.parse(setup.setupReadyAt)).toBeGreaterThan(Date.parse(setup.closedWonAt));
    expect(setup.setupSeconds).toBeCloseTo((Date.parse(setup.setupReadyAt) - Date.parse(setup.closedWonAt)) / 1000, 2);
    expect(Date.parse(setup.activatedAt)).toBeGreaterThanOrEqual(Date.parse(setup.setupReadyAt));
  });

  it('should stop a deal that fails the data-quality gate before anything is created, and finish it after a steward replays it with the fix', async () => {
    const deal = await winDeal(unknownClientId, known.currency);

    const parked = await waitForRun(deal.opportunityId, (candidate) => candidate.status === 'EXCEPTION');

    expect(parked.lastError).toMatchObject({ code: 'GATE_FAILED', step: 'gate', permanent: true });
    expect(parked.lastError.reasons).toContain(
      'the client has no legal customer in ERP: replay with customer.taxId (and customer.legalName) to create it',
    );
    expect(await recordCounts(stack, deal.opportunityId)).toMatchObject({ contracts: 0, projects: 0 });

    const [{ legalEntityId }] = await sql<{ legalEntityId: string }>(
      stack.database.url,
      `SELECT id AS "legalEntityId" FROM erp.legal_entity WHERE functional_currency = $1 ORDER BY code LIMIT 1`,
      [known.currency],
    );
    const { replayWorkflowRun } = await gql(
      `mutation ($id: ID!, $payload: JSON) { replayWorkflowRun(id: $id, reason: "tax id from the signed order form", payload: $payload) { status } }`,
      {
        id: parked.id,
        payload: {
          opportunityId: deal.opportunityId,
          legalEntityId,
          customer: { legalName: 'Brand New Holdings Ltd', taxId: 'GB-123456789' },
        },
      },
      await bearerFor(steward),
    );
    expect(replayWorkflowRun.status).toBe('PENDING');
    await waitForRun(deal.opportunityId, (candidate) => candidate.status === 'SUCCEEDED');

    const [customer] = await sql<{ legal_name: string; tax_id: string }>(
      stack.database.url,
      `SELECT legal_name, tax_id FROM erp.legal_customer WHERE client_id = $1`,
      [unknownClientId],
    );
    expect(customer).toEqual({ legal_name: 'Brand New Holdings Ltd', tax_id: 'GB-123456789' });
    expect(await recordCounts(stack, deal.opportunityId)).toEqual({
      contracts: 1,
      contractLines: 2,
      schedules: 1,
      projects: 1,
      tasks: 2,
      milestones: 1,
      requests: 1,
    });
    const audits = await queryData(
      stack.gateway.url,
      `query ($filter: AuditEventFilter) { auditEvents(filter: $filter, first: 10) { edges { node { action reason actor { sub } } } } }`,
      { filter: { entityId: parked.id } },
      await bearerFor(auditor),
    );
    expect(audits.auditEvents.edges.map((edge: any) => [edge.node.action, edge.node.actor.sub])).toEqual(
      expect.arrayContaining([
        ['workflow.exception', 'workflow-engine'],
        ['workflow.replay', steward.sub],
      ]),
    );
  });

  it('should complete a flow exactly once when PSA is down mid-flow and a step ran without being recorded', async () => {
    await stack.subgraphs.psa.kill();
    try {
      const deal = await winDeal(known.clientId, known.currency);
      const stalled = await waitForRun(
        deal.opportunityId,
        (candidate) => candidate.status === 'RETRYING' && candidate.lastError?.step === 'project',
      );
      expect(stalled.lastError.code).toBe('SERVICE_UNAVAILABLE');
      // the crash window: ERP's writes committed, the run's record of them lost — the steps run again
      await sql(
        stack.database.url,
        `UPDATE governance.workflow_run SET step = 1, state = state - 'contractId' - 'contractLines' WHERE id = $1`,
        [stalled.id],
      );
    } finally {
      await stack.subgraphs.psa.restart();
    }
    const [{ business_key: opportunityId }] = await sql<{ business_key: string }>(
      stack.database.url,
      `SELECT business_key FROM governance.workflow_run ORDER BY started_at DESC LIMIT 1`,
    );

    const run = await waitForRun(opportunityId, (candidate) => candidate.status === 'SUCCEEDED');

    expect(run.attempts).toBeGreaterThan(1);
    expect(run.events.filter((event: any) => event.kind === 'failed').length).toBeGreaterThan(0);
    expect(await recordCounts(stack, opportunityId)).toEqual({
      contracts: 1,
      contractLines: 2,
      schedules: 1,
      projects: 1,
      tasks: 2,
      milestones: 1,
      requests: 1,
    });
  });

  it('should complete a flow exactly once when governance, which runs it, is killed mid-flow', async () => {
    const deal = await winDeal(known.clientId, known.currency);
    // wait until some of the flow has happened, then crash the engine
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && (await recordCounts(stack, deal.opportunityId)).contracts === 0) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await stack.governance!.kill();
    await stack.governance!.restart();

    const run = await waitForRun(deal.opportunityId, (candidate) => candidate.status === 'SUCCEEDED', 90_000);

    expect(run.correlationId).toBe(deal.correlationId);
    expect(await recordCounts(stack, deal.opportunityId)).toEqual({
      contracts: 1,
      contractLines: 2,
      schedules: 1,
      projects: 1,
      tasks: 2,
      milestones: 1,
      requests: 1,
    });
  });

  it('should carry an approved change order into the contract (a line, version + 1, billing) and then apply it to the project', async () => {
    const [project] = await sql<{ id: string; contractId: string; budget: string; version: number; lines: number }>(
      stack.database.url,
      `SELECT p.id, p.contract_id AS "contractId", p.budget AS budget, c.version,
              (SELECT count(*)::int FROM erp.contract_line l WHERE l.contract_id = c.id) AS lines
         FROM psa.project p JOIN erp.contract c ON c.id = p.contract_id
        WHERE p.status = 'ACTIVE' AND p.billing_model = 'FIXED' AND c.status = 'ACTIVE'
        ORDER BY p.code LIMIT 1`,
    );
    const { createChangeOrder } = await gql(
      `mutation ($input: CreateChangeOrderInput!) { createChangeOrder(input: $input) { id number } }`,
      { input: { projectId: project.id, delta: '12500.00', deltaHours: '80', newEndDate: '2027-09-30', reason: 'Second data domain' } },
    );
    await gql(`mutation ($id: ID!) { submitChangeOrder(id: $id) { id } }`, { id: createChangeOrder.id });
    await gql(`mutation ($id: ID!) { approveChangeOrder(id: $id, approvedBy: "pm-lee") { id } }`, { id: createChangeOrder.id });

    const run = await waitForRun(createChangeOrder.id, (candidate) => candidate.status === 'SUCCEEDED', 40_000, 'CHANGE_ORDER');

    expect(run.lastError).toBeNull();
    const { contract, changeOrder } = await gql(
      `query ($contractId: ID!, $id: ID!) {
         contract(id: $contractId) { version lines { description amount { amount } changeOrderNumber billingSchedules { type lines { plannedDate amount { amount } } } } }
         changeOrder(id: $id) { status appliedAt project { budget { amount } plannedEnd } } }`,
      { contractId: project.contractId, id: createChangeOrder.id },
    );
    expect(contract.version).toBe(project.version + 1);
    expect(contract.lines).toHaveLength(project.lines + 1);
    expect(contract.lines.find((line: any) => line.changeOrderNumber?.startsWith(createChangeOrder.number))).toMatchObject({
      description: `Change order ${createChangeOrder.number}: Second data domain`,
      amount: { amount: '12500.00' },
      billingSchedules: [{ type: 'FIXED_DATE', lines: [{ plannedDate: '2027-09-30', amount: { amount: '12500.00' } }] }],
    });
    expect(changeOrder).toMatchObject({ status: 'APPLIED', project: { plannedEnd: '2027-09-30' } });
    expect(changeOrder.project.budget.amount).toBe((Number(project.budget) + 12_500).toFixed(2));
  });

  it("should add an approved change order's hours to the task billed under the contract line it changes, once", async () => {
    const deal = await winDeal(known.clientId, known.currency);
    await waitForRun(deal.opportunityId, (candidate) => candidate.status === 'SUCCEEDED');
    const { projects } = await gql(DEAL, { id: deal.opportunityId });
    const project = projects.edges[0].node;
    const architect = project.tasks.find((task: any) => task.name === 'Architect, time and materials');
    const goLive = project.tasks.find((task: any) => task.name === 'Go-live');
    const { createChangeOrder } = await gql(
      `mutation ($input: CreateChangeOrderInput!) { createChangeOrder(input: $input) { id number } }`,
      { input: { projectId: project.id, delta: '8400.00', deltaHours: '40', reason: 'Second data domain' } },
    );
    await gql(`mutation ($id: ID!) { submitChangeOrder(id: $id) { id } }`, { id: createChangeOrder.id });
    await gql(`mutation ($id: ID!) { approveChangeOrder(id: $id, approvedBy: "pm-lee") { id } }`, { id: createChangeOrder.id });

    const run = await waitForRun(createChangeOrder.id, (candidate) => candidate.status === 'SUCCEEDED', 40_000, 'CHANGE_ORDER');
    // the task's id is not in DEAL's selection: find it by its contract line
    const [{ id: architectId }] = await sql<{ id: string }>(
      stack.database.url,
      `SELECT id FROM psa.task WHERE project_id = $1 AND contract_line_id = $2`,
      [project.id, architect.contractLineId],
    );
    // a second allocation (a retried step) changes nothing
    const again = await gql(
      `mutation ($id: ID!, $contractLineId: ID!) { allocateChangeOrderHours(id: $id, contractLineId: $contractLineId) { allocatedTaskId } }`,
      { id: createChangeOrder.id, contractLineId: architect.contractLineId },
    );
    const after = await gql(
      `query ($projectId: ID!, $id: ID!) {
         project(id: $projectId) { budgetHours tasks { name allocatedHours contractLineId } }
         changeOrder(id: $id) { status allocatedTaskId } }`,
      { projectId: project.id, id: createChangeOrder.id },
    );

    expect(run).toMatchObject({ lastError: null, stepsDone: 5 });
    expect(run.steps).toEqual(['load', 'contract-line', 'billing', 'task-hours', 'apply']);
    expect(run.state).toMatchObject({ amendedLineId: architect.contractLineId, allocatedTaskId: architectId });
    expect(after.changeOrder).toEqual({ status: 'APPLIED', allocatedTaskId: architectId });
    expect(again.allocateChangeOrderHours).toEqual({ allocatedTaskId: architectId });
    expect(after.project.budgetHours).toBe('160.00');
    expect(after.project.tasks.find((task: any) => task.contractLineId === architect.contractLineId).allocatedHours).toBe('160.00');
    expect(after.project.tasks.find((task: any) => task.contractLineId === goLive.contractLineId).allocatedHours).toBe('0.00');
  });

  it('should stamp a posted invoice on its PSA time entries, unlink them when it is cancelled, and open a renewal once when consumption crosses the threshold', async () => {
    // a T&M contract with approved, billable, uninvoiced time
    const [source] = await sql<{
      contractId: string;
      customerId: string;
      legalEntityId: string;
      projectId: string;
      ids: string[];
      hours: string;
      rate: string;
      total: string;
      consumed: string;
    }>(
      stack.database.url,
      `SELECT c.id AS "contractId", c.customer_id AS "customerId", c.legal_entity_id AS "legalEntityId", t.project_id AS "projectId",
              array_agg(t.id ORDER BY t.id) AS ids, sum(t.billable_hours)::text AS hours, round(t.bill_rate, 2)::text AS rate,
              c.total_value::text AS total, c.consumed_amount::text AS consumed
         FROM psa.time_entry t JOIN psa.project p ON p.id = t.project_id JOIN erp.contract c ON c.id = p.contract_id
        WHERE t.status = 'APPROVED' AND t.billable AND t.invoice_id IS NULL AND c.status = 'ACTIVE'
        GROUP BY c.id, t.project_id, t.bill_rate HAVING count(*) >= 2
        ORDER BY c.id LIMIT 1`,
    );
    const ids = source.ids.slice(0, 2);
    const [{ hours }] = await sql<{ hours: string }>(
      stack.database.url,
      `SELECT round(sum(billable_hours), 2)::text AS hours FROM psa.time_entry WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    // the next posting crosses the threshold: set it just above today's consumption
    const threshold = ((Number(source.consumed) / Number(source.total)) * 100 + 0.01).toFixed(2);
    await gql(`mutation ($id: ID!, $input: UpdateContractInput!) { updateContract(id: $id, input: $input) { id } }`, {
      id: source.contractId,
      input: { renewalThresholdPct: threshold },
    });
    const { createInvoice } = await gql(`mutation ($input: CreateInvoiceInput!) { createInvoice(input: $input) { id lines { id } } }`, {
      input: {
        customerId: source.customerId,
        legalEntityId: source.legalEntityId,
        contractId: source.contractId,
        projectId: source.projectId,
        lines: [{ sourceType: 'TIME', sourceIds: ids, description: 'Consulting', qty: hours, rate: source.rate }],
      },
    });
    await gql(`mutation ($id: ID!) { postInvoice(id: $id) { status } }`, { id: createInvoice.id });

    await waitForRun(createInvoice.id, (candidate) => candidate.status === 'SUCCEEDED', 40_000, 'INVOICE_POSTED');
    const stamped = await sql<{ status: string; invoice_id: string; invoice_line_id: string }>(
      stack.database.url,
      `SELECT status, invoice_id, invoice_line_id FROM psa.time_entry WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    expect(stamped).toEqual(
      ids.map(() => ({ status: 'INVOICED', invoice_id: createInvoice.id, invoice_line_id: createInvoice.lines[0].id })),
    );
    const renewal = await waitForRun(
      `${source.contractId}@${threshold}`,
      (candidate) => candidate.status === 'SUCCEEDED',
      40_000,
      'RENEWAL',
    );
    const renewals = await sql<{ id: string; name: string; stage: string }>(
      stack.database.url,
      `SELECT o.id, o.name, o.stage FROM crm.opportunity o JOIN erp.contract c ON c.client_id = o.client_id
        WHERE c.id = $1 AND o.name = 'Renewal of ' || c.number`,
      [source.contractId],
    );
    expect(renewals).toEqual([
      { id: renewal.state.renewalOpportunityId, name: expect.stringMatching(/^Renewal of /), stage: 'PROSPECTING' },
    ]);

    await gql(`mutation ($id: ID!) { cancelInvoice(id: $id) { status } }`, { id: createInvoice.id });
    await waitForRun(createInvoice.id, (candidate) => candidate.status === 'SUCCEEDED', 40_000, 'INVOICE_CANCELLED');

    const unlinked = await sql<{ status: string; invoice_id: string | null }>(
      stack.database.url,
      `SELECT status, invoice_id FROM psa.time_entry WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    expect(unlinked).toEqual(ids.map(() => ({ status: 'APPROVED', invoice_id: null })));
    // cancelling took consumption back below the threshold; crossing again is the same contract and threshold: no second renewal
    expect(
      await sql(stack.database.url, `SELECT 1 FROM governance.workflow_run WHERE kind = 'RENEWAL' AND business_key LIKE $1`, [
        `${source.contractId}@%`,
      ]),
    ).toHaveLength(1);
  });

  it('should charge the project’s legal entity for approved time of another entity’s resource, and nothing within one entity', async () => {
    const submitted = await sql<{ id: string; resourceId: string; projectLegalEntityId: string; cost: string; currency: string }>(
      stack.database.url,
      `SELECT DISTINCT ON (t.resource_id) t.id, t.resource_id AS "resourceId", p.legal_entity_id AS "projectLegalEntityId",
              t.cost_amount::text AS cost, t.currency
         FROM psa.time_entry t JOIN psa.project p ON p.id = t.project_id
        WHERE t.status = 'SUBMITTED' AND p.legal_entity_id IS NOT NULL
        ORDER BY t.resource_id, t.id LIMIT 2`,
    );
    const [crossing, local] = submitted;
    const [{ id: otherEntityId }] = await sql<{ id: string }>(
      stack.database.url,
      `SELECT id FROM erp.legal_entity WHERE id <> $1 ORDER BY code LIMIT 1`,
      [crossing.projectLegalEntityId],
    );
    // the first entry's resource belongs to another entity than its project; the second's to the project's own
    const moveResource = (id: string, legalEntityId: string) =>
      gql(`mutation ($id: ID!, $input: UpdateResourceInput!) { updateResource(id: $id, input: $input) { id } }`, {
        id,
        input: { legalEntityId },
      });
    await moveResource(crossing.resourceId, otherEntityId);
    await moveResource(local.resourceId, local.projectLegalEntityId);
    for (const entry of [crossing, local]) {
      await gql(`mutation ($id: ID!) { transitionTimeEntry(id: $id, to: APPROVED) { status } }`, { id: entry.id });
    }

    const charged = await waitForRun(crossing.id, (candidate) => candidate.status === 'SUCCEEDED', 40_000, 'INTERCOMPANY');
    const none = await waitForRun(local.id, (candidate) => candidate.status === 'SUCCEEDED', 40_000, 'INTERCOMPANY');

    expect(none.state).toMatchObject({ charged: false, reason: 'same legal entity' });
    expect(charged.state).toMatchObject({ charged: true, amount: crossing.cost });
    const { intercompanyCharge } = await gql(
      `query ($id: ID!) { intercompanyCharge(id: $id) { sourceType sourceId fromLegalEntityId toLegalEntityId cost { amount currency } amount { amount } } }`,
      { id: charged.state.chargeId },
    );
    expect(intercompanyCharge).toEqual({
      sourceType: 'TIME',
      sourceId: crossing.id,
      fromLegalEntityId: otherEntityId,
      toLegalEntityId: crossing.projectLegalEntityId,
      cost: { amount: crossing.cost, currency: crossing.currency },
      amount: { amount: crossing.cost },
    });
  });
});
