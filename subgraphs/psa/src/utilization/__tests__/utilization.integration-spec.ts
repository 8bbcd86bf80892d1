import { newId, QueryCounter } from '@concord/common';
import { postGraphQL, queryData, useTestService } from '@concord/testing';
import { DeliveryFactory } from '../../__tests__/delivery.factory';
import { PsaModule } from '../../app.module';

const PERIOD_FIELDS = `id resourceId period availableHours billableHours totalHours billableUtilPct totalUtilPct targetPct`;
const REFRESH = `mutation($resourceId: ID!, $fromWeek: String!, $toWeek: String!) {
  refreshUtilization(resourceId: $resourceId, fromWeek: $fromWeek, toWeek: $toWeek) { ${PERIOD_FIELDS} } }`;

// jest ignores testTimeout inside a `projects` entry, so the 5 s default applies; a loaded CI machine needs more.
jest.setTimeout(60_000);

describe('UtilizationPeriod', () => {
  const counter = new QueryCounter();
  const sut = useTestService((databaseUrl) => PsaModule.forRoot({ databaseUrl, queryLogger: counter }), 'psa');
  let factory: DeliveryFactory;

  beforeAll(async () => {
    factory = new DeliveryFactory(sut.graphqlUrl);
  });

  const refresh = async (resourceId: string, fromWeek: string, toWeek: string) =>
    (await queryData(sut.graphqlUrl, REFRESH, { resourceId, fromWeek, toWeek })).refreshUtilization;
  const codeOf = (result: { errors?: { extensions?: Record<string, unknown> }[] }) => result.errors?.[0]?.extensions?.code;

  /** Week of Monday 2025-03-03: 26 approved hours of which 20 billable, plus 8 DRAFT hours that do not count. */
  const logKnownWeek = async (assignmentId: string) => {
    await factory.approvedTimeEntry(assignmentId, { date: '2025-03-03', hours: '8' });
    await factory.approvedTimeEntry(assignmentId, { date: '2025-03-04', hours: '8', billableHours: '6' });
    await factory.approvedTimeEntry(assignmentId, { date: '2025-03-05', hours: '4', billable: false });
    const draft = await factory.timeEntry(assignmentId, { date: '2025-03-06', hours: '8' });
    const invoiced = await factory.approvedTimeEntry(assignmentId, { date: '2025-03-07', hours: '6' });
    await queryData(
      sut.graphqlUrl,
      `mutation($ids: [ID!]!, $invoiceId: ID!) { markTimeEntriesInvoiced(ids: $ids, invoiceId: $invoiceId) { id } }`,
      {
        ids: [invoiced.id],
        invoiceId: newId(),
      },
    );
    await factory.approvedTimeEntry(assignmentId, { date: '2025-03-10', hours: '3' });
    return draft;
  };

  it('should compute billable and total utilization of known weeks from approved time and capacity', async () => {
    const { resource, assignment } = await factory.staffed({
      resource: { utilizationTargetPct: '75', utilizationTargetEffectiveDate: '2025-01-01' },
    });
    await logKnownWeek(assignment.id);

    const periods = await refresh(resource.id, '2025-03-05', '2025-03-19');

    expect(periods.map(({ id: _id, ...values }: Record<string, unknown>) => values)).toEqual([
      {
        resourceId: resource.id,
        period: '2025-03-03',
        availableHours: '40.00',
        billableHours: '20.00',
        totalHours: '26.00',
        billableUtilPct: '50.00',
        totalUtilPct: '65.00',
        targetPct: '75.00',
      },
      {
        resourceId: resource.id,
        period: '2025-03-10',
        availableHours: '40.00',
        billableHours: '3.00',
        totalHours: '3.00',
        billableUtilPct: '7.50',
        totalUtilPct: '7.50',
        targetPct: '75.00',
      },
      {
        resourceId: resource.id,
        period: '2025-03-17',
        availableHours: '40.00',
        billableHours: '0.00',
        totalHours: '0.00',
        billableUtilPct: '0.00',
        totalUtilPct: '0.00',
        targetPct: '75.00',
      },
    ]);
  });

  it('should upsert: a refresh after more approvals updates the same weeks', async () => {
    const { resource, assignment } = await factory.staffed();
    const draft = await logKnownWeek(assignment.id);
    const [first] = await refresh(resource.id, '2025-03-03', '2025-03-03');
    await factory.transitionTimeEntry(draft.id, 'SUBMITTED', 'APPROVED');

    const [second] = await refresh(resource.id, '2025-03-03', '2025-03-03');
    const { utilizationPeriods } = await queryData(
      sut.graphqlUrl,
      `query($resourceId: ID!) { utilizationPeriods(filter: { resourceId: $resourceId }) { edges { node { id } } } }`,
      {
        resourceId: resource.id,
      },
    );

    expect(second).toMatchObject({
      id: first.id,
      billableHours: '28.00',
      totalHours: '34.00',
      billableUtilPct: '70.00',
      totalUtilPct: '85.00',
      targetPct: null,
    });
    expect(utilizationPeriods.edges).toEqual([{ node: { id: first.id } }]);
  });

  it('should apply the target only from its effective date and leave percentages empty without capacity', async () => {
    const targeted = await factory.resource({ utilizationTargetPct: '80', utilizationTargetEffectiveDate: '2025-03-10' });
    const unavailable = await factory.resource({ capacityHoursPerWeek: '0' });

    const targets = (await refresh(targeted.id, '2025-03-03', '2025-03-10')).map(
      (period: { targetPct: string | null }) => period.targetPct,
    );
    const [empty] = await refresh(unavailable.id, '2025-03-03', '2025-03-03');

    expect(targets).toEqual([null, '80.00']);
    expect(empty).toMatchObject({ availableHours: '0.00', billableUtilPct: null, totalUtilPct: null });
  });

  it('should read Resource.utilization for many resources in one statement', async () => {
    const resources = [await factory.resource(), await factory.resource(), await factory.resource()];
    for (const resource of resources) {
      await refresh(resource.id, '2025-03-03', '2025-03-17');
    }
    counter.reset();

    const { resources: connection } = await queryData(
      sut.graphqlUrl,
      `{ resources(first: 100) { edges { node { id utilization(from: "2025-03-12", to: "2025-03-17") { period resourceId } } } } }`,
    );

    const byId = new Map(
      connection.edges.map((edge: { node: { id: string; utilization: unknown[] } }) => [edge.node.id, edge.node.utilization]),
    );
    for (const resource of resources) {
      expect(byId.get(resource.id)).toEqual([
        { period: '2025-03-10', resourceId: resource.id },
        { period: '2025-03-17', resourceId: resource.id },
      ]);
    }
    // the page of resources, then every resource's weeks
    expect(counter.count).toBe(2);
  });

  it.each([
    ['2025-03-10', '2025-03-03', 'ends before it starts'],
    ['2025-01-06', '2027-01-04', 'more than 100 weeks'],
    ['2025-02-30', '2025-03-03', 'an impossible date'],
  ])('should refuse a range from %s to %s (%s) with BAD_USER_INPUT', async (fromWeek, toWeek) => {
    const resource = await factory.resource();

    const result = await postGraphQL(sut.graphqlUrl, REFRESH, { resourceId: resource.id, fromWeek, toWeek });

    expect(codeOf(result)).toBe('BAD_USER_INPUT');
  });

  it('should answer NOT_FOUND for an unknown resource', async () => {
    const result = await postGraphQL(sut.graphqlUrl, REFRESH, { resourceId: newId(), fromWeek: '2025-03-03', toWeek: '2025-03-03' });

    expect(codeOf(result)).toBe('NOT_FOUND');
  });
});
