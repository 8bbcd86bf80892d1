import { newId, QueryCounter } from '@concord/common';
import { asCaller, postGraphQL, queryData, useTestService } from '@concord/testing';
import { DeliveryFactory } from '../../__tests__/delivery.factory';
import { PsaModule } from '../../app.module';

jest.setTimeout(60_000);

const MONEY = '{ amount currency }';
const KPIS = `query($from: String!, $to: String!, $legalEntityId: ID, $asOf: String, $graceDays: Int) {
  deliveryKpis(from: $from, to: $to, legalEntityId: $legalEntityId, asOf: $asOf, graceDays: $graceDays) {
    from to legalEntityId asOf resources leakageGraceDays
    utilization { availableHours billableHours totalHours billableUtilPct totalUtilPct }
    realization { billableHours billedHours realizationPct }
    compliance { expectedDays daysWithTime dayCompliancePct expectedHours submittedHours hourCompliancePct }
    effectiveBillRates { currency billedAmount ${MONEY} hoursWorked rate ${MONEY} }
    leakage { currency timeEntries hours expenses timeAmount ${MONEY} expenseAmount ${MONEY} amount ${MONEY} }
  } }`;
const ANOMALY = 'kind severity explanation projectId resourceId date measured threshold';

describe('Delivery KPIs', () => {
  const counter = new QueryCounter();
  const sut = useTestService((databaseUrl) => PsaModule.forRoot({ databaseUrl, queryLogger: counter }), 'psa');
  let factory: DeliveryFactory;

  beforeAll(() => {
    factory = new DeliveryFactory(sut.graphqlUrl);
  });

  const invoice = (ids: string[]) =>
    queryData(
      sut.graphqlUrl,
      `mutation($ids: [ID!]!, $invoiceId: ID!) { markTimeEntriesInvoiced(ids: $ids, invoiceId: $invoiceId) { id } }`,
      {
        ids,
        invoiceId: newId(),
      },
    );
  const submitted = async (assignmentId: string, values: Record<string, unknown>) =>
    factory.transitionTimeEntry((await factory.timeEntry(assignmentId, values)).id, 'SUBMITTED');
  const activeProject = async (overrides: Record<string, unknown>) => {
    const project = await factory.project(overrides);
    await queryData(sut.graphqlUrl, `mutation($id: ID!) { updateProject(id: $id, input: { actualStart: "2025-03-03" }) { id } }`, {
      id: project.id,
    });
    return project;
  };

  /**
   * Legal entity LE, 2025-03-03 (Mon) to 2025-03-16 (Sun): 10 weekdays. R1 (40 h/week) logs 8 h APPROVED, 8 h INVOICED,
   * 6 h of which 4 billable APPROVED, 4 h non-billable APPROVED, 8 h SUBMITTED and 8 h DRAFT at 150 EUR/h; R2 (20 h/week)
   * logs nothing. An APPROVED billable expense of 100 EUR with 10 % markup on 03-05.
   */
  const portfolio = async () => {
    const legalEntityId = newId();
    const { project, resource, assignment } = await factory.staffed({ project: { legalEntityId }, resource: { legalEntityId } });
    await factory.resource({ legalEntityId, capacityHoursPerWeek: '20' });
    await factory.approvedTimeEntry(assignment.id, { date: '2025-03-03', hours: '8' });
    const billed = await factory.approvedTimeEntry(assignment.id, { date: '2025-03-04', hours: '8' });
    await invoice([billed.id]);
    await factory.approvedTimeEntry(assignment.id, { date: '2025-03-05', hours: '6', billableHours: '4' });
    await factory.approvedTimeEntry(assignment.id, { date: '2025-03-06', hours: '4', billable: false });
    await submitted(assignment.id, { date: '2025-03-07', hours: '8' });
    await factory.timeEntry(assignment.id, { date: '2025-03-10', hours: '8' });
    const expense = await factory.expense(project.id, resource.id, { date: '2025-03-05', amount: '100.00', markupPct: '10' });
    await factory.transitionExpense(expense.id, 'SUBMITTED', 'APPROVED');
    return { legalEntityId, resource };
  };

  it('should compute utilization, realization, compliance, bill rate and leakage of a legal entity from known time', async () => {
    const { legalEntityId } = await portfolio();

    const { deliveryKpis } = await queryData(sut.graphqlUrl, KPIS, {
      from: '2025-03-03',
      to: '2025-03-16',
      legalEntityId,
      asOf: '2025-05-10',
      graceDays: 15,
    });

    expect(deliveryKpis).toEqual({
      from: '2025-03-03',
      to: '2025-03-16',
      legalEntityId,
      asOf: '2025-05-10',
      resources: 2,
      leakageGraceDays: 15,
      // available: (40 + 20) / 5 × 10 weekdays = 120; billable 8 + 8 + 4 = 20; total 8 + 8 + 6 + 4 = 26
      utilization: {
        availableHours: '120.00',
        billableHours: '20.00',
        totalHours: '26.00',
        billableUtilPct: '16.67',
        totalUtilPct: '21.67',
      },
      // 8 invoiced of 20 billable hours
      realization: { billableHours: '20.00', billedHours: '8.00', realizationPct: '40.00' },
      // 5 weekdays with submitted time of 2 × 10; 34 submitted hours of 120 expected
      compliance: {
        expectedDays: 20,
        daysWithTime: 5,
        dayCompliancePct: '25.00',
        expectedHours: '120.00',
        submittedHours: '34.00',
        hourCompliancePct: '28.33',
      },
      // 8 h × 150 invoiced / 26 hours worked = 46.153…
      effectiveBillRates: [
        {
          currency: 'EUR',
          billedAmount: { amount: '1200.00', currency: 'EUR' },
          hoursWorked: '26.00',
          rate: { amount: '46.15', currency: 'EUR' },
        },
      ],
      // March ended 2025-03-31; 2025-05-10 − 15 days is in April: 8 h + 4 billable h approved (1200 + 600) and 110.00 of expense
      leakage: [
        {
          currency: 'EUR',
          timeEntries: 2,
          hours: '12.00',
          expenses: 1,
          timeAmount: { amount: '1800.00', currency: 'EUR' },
          expenseAmount: { amount: '110.00', currency: 'EUR' },
          amount: { amount: '1910.00', currency: 'EUR' },
        },
      ],
    });
  });

  it('should not count work as leaking while its month is within the grace days', async () => {
    const { legalEntityId } = await portfolio();

    // 2025-04-10 − 15 days = 2025-03-26: March has not been over 15 days yet
    const early = await queryData(sut.graphqlUrl, KPIS, {
      from: '2025-03-03',
      to: '2025-03-16',
      legalEntityId,
      asOf: '2025-04-10',
      graceDays: 15,
    });
    // without graceDays the default (15) applies; 2025-04-16 − 15 = 2025-04-01: March leaks
    const late = await queryData(sut.graphqlUrl, KPIS, { from: '2025-03-03', to: '2025-03-16', legalEntityId, asOf: '2025-04-16' });

    expect(early.deliveryKpis.leakage).toEqual([]);
    expect(late.deliveryKpis.leakage.map((row: { amount: unknown }) => row.amount)).toEqual([{ amount: '1910.00', currency: 'EUR' }]);
  });

  it('should read Resource.deliveryKpis for a page of resources in two statements after the page', async () => {
    const { resource } = await portfolio();
    counter.reset();

    const { resources } = await queryData(
      sut.graphqlUrl,
      `{ resources(first: 100) { edges { node { id deliveryKpis(from: "2025-03-03", to: "2025-03-16") {
          utilization { availableHours billableUtilPct totalUtilPct } realization { realizationPct }
          compliance { expectedDays daysWithTime hourCompliancePct } effectiveBillRates { rate ${MONEY} } } } } } }`,
    );

    const own = resources.edges.find((edge: { node: { id: string } }) => edge.node.id === resource.id).node.deliveryKpis;
    expect(own).toEqual({
      utilization: { availableHours: '80.00', billableUtilPct: '25.00', totalUtilPct: '32.50' },
      realization: { realizationPct: '40.00' },
      compliance: { expectedDays: 10, daysWithTime: 5, hourCompliancePct: '42.50' },
      effectiveBillRates: [{ rate: { amount: '46.15', currency: 'EUR' } }],
    });
    // the page of resources, then hours and bill rates of all of them
    expect(counter.count).toBe(3);
  });

  it('should refuse a range that ends before it starts', async () => {
    const result = await postGraphQL(sut.graphqlUrl, KPIS, { from: '2025-03-16', to: '2025-03-03' });

    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('should compute earned value, estimates, burn and runway as of a date', async () => {
    const resource = await factory.resource();
    const project = await activeProject({ budget: '10000', budgetHours: '100', percentComplete: '30' });
    const assignment = await factory.assignment(project.id, resource.id);
    await factory.approvedTimeEntry(assignment.id, { date: '2025-03-03', hours: '8' });
    await submitted(assignment.id, { date: '2025-03-04', hours: '8' });
    await factory.timeEntry(assignment.id, { date: '2025-03-05', hours: '8' });
    await factory.approvedTimeEntry(assignment.id, { date: '2025-03-20', hours: '8' });
    const expense = await factory.expense(project.id, resource.id, { date: '2025-03-05', amount: '100.00' });
    await factory.transitionExpense(expense.id, 'SUBMITTED', 'APPROVED');
    const reached = await factory.projects.milestone(project.id, { requiresSignOff: false });
    await factory.projects.milestone(project.id);
    await queryData(sut.graphqlUrl, `mutation($id: ID!) { transitionMilestone(id: $id, to: REACHED) { id } }`, { id: reached.id });

    const { project: read } = await queryData(
      sut.graphqlUrl,
      `query($id: ID!) { project(id: $id) { earnedValue(asOf: "2025-03-16") {
          asOf budgetAtCompletion ${MONEY} earnedValue ${MONEY} actualCost ${MONEY} costPerformanceIndex
          estimateToComplete ${MONEY} estimateAtCompletion ${MONEY} budgetConsumedPct elapsedWeeks burnRatePerWeek ${MONEY}
          runwayWeeks percentComplete hoursConsumedPct milestonesReachedPct } } }`,
      { id: project.id },
    );

    // AC = 16 h × 60 + 100 = 1060 (the DRAFT and the 03-20 entries do not count); EV = 30 % × 10000 = 3000
    expect(read.earnedValue).toEqual({
      asOf: '2025-03-16',
      budgetAtCompletion: { amount: '10000.00', currency: 'EUR' },
      earnedValue: { amount: '3000.00', currency: 'EUR' },
      actualCost: { amount: '1060.00', currency: 'EUR' },
      costPerformanceIndex: '2.8302',
      // (10000 − 3000) / (3000 / 1060) = 2473.33; EAC = 1060 + 2473.33 = 10000 / CPI
      estimateToComplete: { amount: '2473.33', currency: 'EUR' },
      estimateAtCompletion: { amount: '3533.33', currency: 'EUR' },
      budgetConsumedPct: '10.60',
      // 03-03 to 03-16: 14 days
      elapsedWeeks: '2.00',
      burnRatePerWeek: { amount: '530.00', currency: 'EUR' },
      // (10000 − 1060) / 530 = 16.867…
      runwayWeeks: '16.87',
      percentComplete: '30.00',
      hoursConsumedPct: '16.00',
      milestonesReachedPct: '50.00',
    });
  });

  describe('anomalies', () => {
    const PROJECT_ANOMALIES = `query($id: ID!) { project(id: $id) { anomalies(from: "2025-03-10", to: "2025-03-16") { ${ANOMALY} } } }`;

    it('should flag burn ahead of progress on hours, and on cost only for callers who may see the cost', async () => {
      const legalEntityId = newId();
      const resource = await factory.resource({ legalEntityId });
      const project = await activeProject({ budget: '1000', budgetHours: '20', percentComplete: '10', legalEntityId, managerId: 'dm-1' });
      const assignment = await factory.assignment(project.id, resource.id);
      await factory.approvedTimeEntry(assignment.id, { date: '2025-03-03', hours: '8' });
      await factory.approvedTimeEntry(assignment.id, { date: '2025-03-04', hours: '8' });
      const hoursFlag = {
        kind: 'BURN_AHEAD_OF_PROGRESS',
        severity: 'CRITICAL',
        explanation: `Project ${project.code} has consumed 80.00 % of its budgeted hours but is 10.00 % complete: 70.00 points ahead (limit 20).`,
        projectId: project.id,
        resourceId: null,
        date: null,
        measured: '70.00',
        threshold: '20',
      };
      const costFlag = {
        ...hoursFlag,
        // 16 h × 60 = 960 of 1000
        explanation: `Project ${project.code} has consumed 96.00 % of its budgeted cost but is 10.00 % complete: 86.00 points ahead (limit 20).`,
        measured: '86.00',
      };

      const manager = await queryData(
        sut.graphqlUrl,
        PROJECT_ANOMALIES,
        { id: project.id },
        asCaller({ sub: 'dm-1', roles: ['delivery_manager'] }),
      );
      const otherManager = await queryData(
        sut.graphqlUrl,
        PROJECT_ANOMALIES,
        { id: project.id },
        asCaller({ sub: 'dm-2', roles: ['delivery_manager'] }),
      );
      const { deliveryAnomalies } = await queryData(
        sut.graphqlUrl,
        `query($legalEntityId: ID) { deliveryAnomalies(from: "2025-03-10", to: "2025-03-16", legalEntityId: $legalEntityId) { ${ANOMALY} } }`,
        { legalEntityId },
      );

      expect(manager.project.anomalies).toEqual([hoursFlag, costFlag]);
      expect(otherManager.project.anomalies).toEqual([hoursFlag]);
      expect(deliveryAnomalies).toEqual([hoursFlag, costFlag]);
    });

    it('should flag margin erosion when the bill rate falls against the cost rate period over period', async () => {
      const project = await activeProject({});
      const senior = await factory.assignment(project.id, (await factory.resource()).id, { billRate: '150' });
      const junior = await factory.assignment(project.id, (await factory.resource()).id, { billRate: '100' });
      // previous week: (150 − 60) / 150 = 60 %; this week: (100 − 60) / 100 = 40 %
      await factory.approvedTimeEntry(senior.id, { date: '2025-03-04', hours: '8' });
      await factory.approvedTimeEntry(junior.id, { date: '2025-03-11', hours: '8' });

      const { project: read } = await queryData(sut.graphqlUrl, PROJECT_ANOMALIES, { id: project.id });
      const lenient = await queryData(
        sut.graphqlUrl,
        `query($id: ID!) { project(id: $id) { anomalies(from: "2025-03-10", to: "2025-03-16", thresholds: { marginErosionPoints: "25" }) { kind } } }`,
        { id: project.id },
      );

      expect(read.anomalies).toEqual([
        {
          kind: 'MARGIN_EROSION',
          severity: 'CRITICAL',
          explanation: `Project ${project.code}: margin of delivered billable time (bill rate vs cost rate) fell from 60.00 % in the previous period to 40.00 % from 2025-03-10 to 2025-03-16, 20.00 points (limit 5).`,
          projectId: project.id,
          resourceId: null,
          date: '2025-03-10',
          measured: '20.00',
          threshold: '5',
        },
      ]);
      expect(lenient.project.anomalies).toEqual([]);
    });

    it('should flag a long day, a weekend spike and a week far above the resource history', async () => {
      const { resource, assignment } = await factory.staffed();
      const log = async (dates: string[], hours: string) => {
        for (const date of dates) {
          await factory.timeEntry(assignment.id, { date, hours });
        }
      };
      // history: 32, 40 and 48 hours (mean 40, deviation 6.53)
      await log(['2025-03-03', '2025-03-04', '2025-03-05', '2025-03-06'], '8');
      await log(['2025-03-10', '2025-03-11', '2025-03-12', '2025-03-13', '2025-03-14'], '8');
      await log(['2025-03-17', '2025-03-18', '2025-03-19', '2025-03-20', '2025-03-21', '2025-03-22'], '8');
      // the week of 2025-03-24: 10 + 10 + 10 + 14 + 10 + 6 + 6 = 66 hours
      await log(['2025-03-24', '2025-03-25', '2025-03-26', '2025-03-28'], '10');
      await log(['2025-03-27'], '14');
      await log(['2025-03-29', '2025-03-30'], '6');
      const query = `query($id: ID!, $thresholds: AnomalyThresholdsInput) { resource(id: $id) {
        anomalies(from: "2025-03-24", to: "2025-03-30", thresholds: $thresholds) { ${ANOMALY} } } }`;

      const withHistory = await queryData(sut.graphqlUrl, query, { id: resource.id, thresholds: { outlierMinHistoryWeeks: 3 } });
      const defaults = await queryData(sut.graphqlUrl, query, { id: resource.id });

      const common = { projectId: null, resourceId: resource.id };
      const longDay = {
        ...common,
        kind: 'IMPOSSIBLE_DAY',
        severity: 'WARNING',
        explanation: '14.00 hours logged on 2025-03-27, above the daily limit of 12 hours.',
        date: '2025-03-27',
        measured: '14.00',
        threshold: '12',
      };
      const weekend = {
        ...common,
        kind: 'WEEKEND_SPIKE',
        severity: 'WARNING',
        explanation: '12.00 hours logged on the weekend of the week of 2025-03-24, above the limit of 8 hours.',
        date: '2025-03-24',
        measured: '12.00',
        threshold: '8',
      };
      expect(withHistory.resource.anomalies).toEqual([
        longDay,
        weekend,
        {
          ...common,
          kind: 'TIMESHEET_OUTLIER',
          severity: 'WARNING',
          explanation:
            '66.00 hours logged in the week of 2025-03-24, against 40.00 ± 6.53 hours a week over the 3 previous weeks with time (limit mean + 3 deviations, at least 8 hours more).',
          date: '2025-03-24',
          measured: '66.00',
          // 40 + 3 × 6.53
          threshold: '59.59',
        },
      ]);
      // by default 4 weeks of history are needed for a verdict
      expect(defaults.resource.anomalies).toEqual([longDay, weekend]);
    });
  });
});
