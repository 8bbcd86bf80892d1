import { addDays, startOfIsoWeek, todayIso } from '@concord/common';
import { seedDatabase } from '@concord/seed';
import { postGraphQL, queryData } from '@concord/testing';
import { sql } from './support/database';
import { bearerFor, startStack, type Stack } from './support/stack';

const rep = { sub: 'rep-fc', roles: ['sales', 'integration'] };
const finance = { sub: 'fin-fc', roles: ['finance'] };
/** a role no seeded resource or deal has, so its rows are this test's alone */
const ROLE = 'Forecast E2E Architect';

const PORTFOLIO = `query ($from: String!, $to: String!) { revenueForecast(from: $from, to: $to) {
  scope months { period currency timeAndMaterials { amount } fixedFee { amount } total { amount currency } }
  weightedPipeline { period currency amount { amount } } } }`;
const CAPACITY = `query ($from: String!) { capacityPlan(from: $from, weeks: 12) { from weeks
  rows { role week capacityHours requestedHours demandHours availableHours } pipelineDemand { role week hours } } }`;

interface Month {
  period: string;
  currency: string;
  timeAndMaterials: { amount: string };
  fixedFee: { amount: string };
  total: { amount: string; currency: string };
}

interface Part {
  period: string;
  currency: string;
  amount: { amount: string };
}

/**
 * Forecasting and capacity through the gateway on a seeded stack with the workflows running: a deal in NEGOTIATION
 * (75 %) with an accepted quote of 120 h for ROLE from `start` (a Monday two weeks out) to a go-live milestone of
 * 15000 four weeks later. Before the win its hours are pipeline demand (120 × 0.75 / 28 days = 22.5 h a week) and
 * its amount weighted pipeline (40200 × 0.75 = 30150); after CLOSED_WON the OPPORTUNITY_TO_PROJECT workflow makes
 * the resource request (120 h over the same 28 days = 30 h a week) and the milestone's billing-schedule line.
 */
describe('revenue forecast and capacity through the gateway', () => {
  let stack: Stack;
  let repAuth: Record<string, string>;
  let financeAuth: Record<string, string>;
  let known: { clientId: string; currency: string };
  /** the project the first test's deal became */
  let wonProjectId: string | undefined;
  const start = addDays(startOfIsoWeek(todayIso()), 14);
  const goLive = addDays(start, 27);
  const closeDate = addDays(todayIso(), 7);
  const from = todayIso().slice(0, 7);
  const to = goLive.slice(0, 7);

  beforeAll(async () => {
    stack = await startStack({
      governance: true,
      workflows: true,
      beforeGateway: (databaseUrl) => seedDatabase({ databaseUrl, scale: 0.1, seed: 7 }).then(() => undefined),
    });
    repAuth = await bearerFor(rep);
    financeAuth = await bearerFor(finance);
    [known] = await sql<{ clientId: string; currency: string }>(
      stack.database.url,
      `SELECT c.client_id AS "clientId", c.currency FROM erp.contract c
         JOIN erp.legal_customer lc ON lc.id = c.customer_id AND lc.status = 'ACTIVE' AND lc.tax_id IS NOT NULL
        WHERE EXISTS (SELECT 1 FROM erp.rate_card r WHERE r.currency = c.currency)
        ORDER BY c.client_id LIMIT 1`,
    );
  });

  afterAll(async () => {
    await stack?.close();
  });

  const asRep = (query: string, variables: Record<string, unknown>) => queryData(stack.gateway.url, query, variables, repAuth);
  const asFinance = (query: string, variables: Record<string, unknown>) => queryData(stack.gateway.url, query, variables, financeAuth);

  const portfolio = async (): Promise<{ months: Month[]; weightedPipeline: Part[] }> =>
    (await asFinance(PORTFOLIO, { from, to })).revenueForecast;
  const monthOf = (months: Month[], period: string): Month | undefined =>
    months.find((month) => month.period === period && month.currency === known.currency);
  /** ROLE's rows (PSA: capacity, requests) and its weighted pipeline demand (CRM), beside each other on one plan */
  const rolePlan = async () => {
    const { capacityPlan } = await asFinance(CAPACITY, { from: start });
    expect(capacityPlan).toMatchObject({ from: start, weeks: 12 });
    return {
      rows: capacityPlan.rows.filter((row: { role: string }) => row.role === ROLE),
      pipeline: capacityPlan.pipelineDemand.filter((demand: { role: string }) => demand.role === ROLE),
    };
  };
  const weekRows = (requested: string) =>
    Array.from({ length: 12 }, (_, index) => {
      const hours = index < 4 ? requested : '0.00';
      return {
        role: ROLE,
        week: addDays(start, index * 7),
        capacityHours: '0.00',
        requestedHours: hours,
        demandHours: hours,
        availableHours: hours === '0.00' ? '0.00' : `-${hours}`,
      };
    });
  const weekPipeline = (hours: string) => Array.from({ length: 4 }, (_, index) => ({ role: ROLE, week: addDays(start, index * 7), hours }));

  it('should move a closed-won deal from weighted pipeline to fixed fee, and its hours from pipeline demand to resource-request demand', async () => {
    const { createOpportunity } = await asRep(`mutation ($input: CreateOpportunityInput!) { createOpportunity(input: $input) { id } }`, {
      input: {
        name: 'Forecast platform',
        clientId: known.clientId,
        ownerId: rep.sub,
        currency: known.currency,
        amount: '40200',
        closeDate,
        expectedStartDate: start,
        billingModel: 'TM',
      },
    });
    const opportunityId: string = createOpportunity.id;
    const { createQuote } = await asRep(`mutation ($input: CreateQuoteInput!) { createQuote(input: $input) { id } }`, {
      input: {
        opportunityId,
        lines: [
          {
            serviceCode: 'TM-ARCH',
            roleId: ROLE,
            billingModel: 'TM',
            hours: '120',
            unitRate: '210.00',
            serviceTracking: 'PROJECT_AND_TASK',
          },
          {
            serviceCode: 'GO-LIVE',
            billingModel: 'MILESTONE',
            quantity: '1',
            unitRate: '15000.00',
            serviceTracking: 'PROJECT_AND_TASK',
            milestoneName: 'Go-live',
            milestoneDate: goLive,
          },
        ],
      },
    });
    await asRep(`mutation ($id: ID!) { sendQuote(id: $id) { id } }`, { id: createQuote.id });
    await asRep(`mutation ($id: ID!) { acceptQuote(id: $id) { id } }`, { id: createQuote.id });
    for (const stage of ['QUALIFICATION', 'PROPOSAL', 'NEGOTIATION']) {
      await asRep(`mutation ($id: ID!, $stage: OpportunityStage!) { moveOpportunity(id: $id, stage: $stage) { id } }`, {
        id: opportunityId,
        stage,
      });
    }

    const before = await portfolio();
    const planBefore = await rolePlan();
    // ROLE has no resource: no rows until a request or an assignment names it; its pipeline demand is there
    expect(planBefore.rows).toEqual([]);
    expect(planBefore.pipeline).toEqual(weekPipeline('22.50'));
    for (const month of before.months) {
      // each month and currency is T&M + fixed fee, never across currencies
      const sum = Number(month.timeAndMaterials.amount) + Number(month.fixedFee.amount);
      expect(month.total).toEqual({ amount: sum.toFixed(2), currency: month.currency });
    }

    await asRep(`mutation ($id: ID!) { moveOpportunity(id: $id, stage: CLOSED_WON) { stage } }`, { id: opportunityId });
    let project: { id: string; resourceRequests: unknown[] } | undefined;
    for (let wait = 0; wait < 200 && !project?.resourceRequests.length; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const { projects } = await asFinance(
        `query ($id: ID!) { projects(first: 1, filter: { opportunityId: $id }) { edges { node { id resourceRequests { hours } } } } }`,
        {
          id: opportunityId,
        },
      );
      project = projects.edges[0]?.node;
    }
    expect(project?.resourceRequests).toEqual([{ hours: '120.00' }]);
    wonProjectId = project!.id;

    const after = await portfolio();
    const fixedFee = (months: Month[], period: string) => Number(monthOf(months, period)?.fixedFee.amount ?? 0);
    const pipeline = (parts: Part[], period: string) =>
      Number(parts.find((part) => part.period === period && part.currency === known.currency)?.amount.amount ?? 0);
    // the deal left the pipeline of its close month (40200 × 75 %) and its milestone is now planned billing
    expect(
      (pipeline(before.weightedPipeline, closeDate.slice(0, 7)) - pipeline(after.weightedPipeline, closeDate.slice(0, 7))).toFixed(2),
    ).toBe('30150.00');
    expect((fixedFee(after.months, to) - fixedFee(before.months, to)).toFixed(2)).toBe('15000.00');
    const planAfter = await rolePlan();
    expect(planAfter.rows).toEqual(weekRows('30.00'));
    expect(planAfter.pipeline).toEqual([]);

    const { project: won } = await asFinance(
      `query ($id: ID!, $from: String!, $to: String!) { project(id: $id) { revenueForecast(from: $from, to: $to) {
         timeAndMaterials { period } fixedFee { period amount { amount currency } } months { period total { amount currency } } } } }`,
      { id: project!.id, from, to },
    );
    expect(won.revenueForecast).toEqual({
      timeAndMaterials: [],
      fixedFee: [{ period: to, amount: { amount: '15000.00', currency: known.currency } }],
      months: [{ period: to, total: { amount: '15000.00', currency: known.currency } }],
    });
  });

  it("should keep a month's forecast as it stood when finance records its snapshot, once per month", async () => {
    const snapshotOf = async (month: string) =>
      (
        await asFinance(
          `query ($month: String!) { revenueForecastSnapshot(month: $month) {
             projectId currency recordedBy timeAndMaterials { amount } fixedFee { amount } total { amount } } }`,
          { month },
        )
      ).revenueForecastSnapshot as { projectId: string; currency: string; recordedBy: string; fixedFee: { amount: string } }[];
    expect(wonProjectId).toBeDefined();

    const { startForecastSnapshot } = await asFinance(`mutation ($month: String!) { startForecastSnapshot(month: $month) { id status } }`, {
      month: to,
    });
    let run: { status: string; state: { rows?: number }; lastError: unknown } | undefined;
    for (let wait = 0; wait < 150 && run?.status !== 'SUCCEEDED' && run?.status !== 'EXCEPTION'; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      ({ workflowRun: run } = await asFinance(`query ($id: ID!) { workflowRun(id: $id) { status state lastError { code message } } }`, {
        id: startForecastSnapshot.id,
      }));
    }
    const snapshot = await snapshotOf(to);
    const { startForecastSnapshot: again } = await asFinance(
      `mutation ($month: String!) { startForecastSnapshot(month: $month) { id status } }`,
      {
        month: to,
      },
    );

    expect(run).toMatchObject({ status: 'SUCCEEDED', lastError: null });
    expect(run!.state.rows).toBe(snapshot.length);
    // every project that can still earn is in it, in at least one currency
    const [{ live }] = await sql<{ live: number }>(
      stack.database.url,
      `SELECT count(*)::int AS live FROM psa.project WHERE status IN ('SETUP', 'ACTIVE', 'ON_HOLD')`,
    );
    expect(new Set(snapshot.map((row) => row.projectId)).size).toBe(live);
    // the won deal's go-live milestone is the fixed fee of its month, recorded by the workflow engine
    expect(snapshot.filter((row) => row.projectId === wonProjectId)).toEqual([
      {
        projectId: wonProjectId,
        currency: known.currency,
        recordedBy: 'workflow-engine',
        timeAndMaterials: { amount: '0.00' },
        fixedFee: { amount: '15000.00' },
        total: { amount: '15000.00' },
      },
    ]);
    // once per month: asking again answers the same run
    expect(again).toEqual({ id: startForecastSnapshot.id, status: 'SUCCEEDED' });
  });

  it('should give sales the forecast months without their amounts, each with FORBIDDEN_FIELD', async () => {
    const result = await postGraphQL(
      stack.gateway.url,
      `query ($from: String!, $to: String!) { revenueForecast(from: $from, to: $to) { scope months { period total { amount } } } }`,
      { from, to },
      await bearerFor({ sub: 'sales-fc', roles: ['sales'] }),
    );

    const months = (result.data as { revenueForecast: { scope: string; months: { period: string; total: unknown }[] } }).revenueForecast;
    expect(months.scope).toBe('PORTFOLIO');
    expect(months.months.length).toBeGreaterThan(0);
    expect(months.months.every((month) => month.total === null)).toBe(true);
    const forbidden = (result.errors ?? []).filter((error) => error.extensions?.code === 'FORBIDDEN_FIELD');
    expect(forbidden.map((error) => error.path?.join('.'))).toEqual(
      months.months.map((_, index) => `revenueForecast.months.${index}.total`),
    );
    expect(forbidden[0].extensions?.coordinate).toBe('RevenueForecastMonth.total');
  });
});
