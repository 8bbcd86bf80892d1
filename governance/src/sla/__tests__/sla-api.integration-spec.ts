import { ErrorCode } from '@concord/common';
import { asCaller, postGraphQL } from '@concord/testing';
import { useGovernance } from '../../__tests__/use-governance';
import { assessPairs, decidingPair } from '../burn-rate';
import { IncidentService } from '../incident.service';
import { SlaSampleService } from '../sla-sample.service';
import { SloService, type Slo } from '../slo.service';
import { latencyOf, slaSample } from './sla-sample.factory';

const olga = { sub: 'op-olga', roles: ['operator'] };
const consultant = { sub: 'con-carl', roles: ['consultant'] };
const executive = { sub: 'exec-erin', roles: ['executive'] };
const auditor = { sub: 'aud-ada', roles: ['auditor'] };
const steward = { sub: 'steward-sam', roles: ['data_steward'] };
const NOW = new Date('2026-03-05T12:00:30.000Z');

const SLO_FIELDS = 'id name kind target indicator objective latencyThresholdMs windowDays enabled createdBy updatedBy';
const SLOS = `{ serviceLevelObjectives { ${SLO_FIELDS} } }`;
const CREATE = `mutation Create($input: CreateServiceLevelObjectiveInput!) { createServiceLevelObjective(input: $input) { ${SLO_FIELDS} } }`;
const UPDATE = `mutation Update($id: ID!, $input: UpdateServiceLevelObjectiveInput!) {
  updateServiceLevelObjective(id: $id, input: $input) { ${SLO_FIELDS} } }`;
const REPORT = `query Report($kind: SlaTargetKind!, $target: String!, $from: String!, $to: String!) {
  slaReport(kind: $kind, target: $target, from: $from, to: $to) {
    kind target from to objectives { name }
    days { date total errors availability p50 p95 p99 budgets { slo { name } events bad remaining } incidents { id status } }
  } }`;
const INCIDENTS = `query Incidents($status: IncidentStatus, $first: Int, $after: String) {
  incidents(status: $status, first: $first, after: $after) {
    edges { cursor node { id status severity burnRate summary openedAt resolvedAt slo { name }
      timeline { at kind severity burnRate message actor } } }
    pageInfo { hasNextPage endCursor }
  } }`;
const NOTE = `mutation Note($id: ID!, $note: String!) { addIncidentNote(id: $id, note: $note) { id timeline { kind message actor } } }`;

/** 1,000 of crm's fetches in one minute of a day, `errors` of them failed, with a latency histogram. */
function crmMinute(minute: string, source: string, errors: number, latency: number[]) {
  return slaSample({ minute, source, total: 1_000, errors, errorCodes: errors ? { HTTP_5XX: errors } : {}, latency });
}

describe('SLA API (GraphQL)', () => {
  const service = useGovernance({ sla: { now: () => NOW } });
  const gql = (caller: { sub: string; roles: string[] }, query: string, variables?: Record<string, unknown>) =>
    postGraphQL(service.graphqlUrl, query, variables, asCaller(caller));
  const sloNamed = async (name: string): Promise<Slo> => (await service.app.get(SloService).list()).find((slo) => slo.name === name)!;
  const ledger = (
    action: string,
  ): Promise<{ actor: unknown; entity_id: string; before: unknown; after: any; changed_fields: string[]; reason: string }[]> =>
    service.dataSource.query(
      `SELECT actor, entity_id, before, after, changed_fields, reason FROM governance.audit_event WHERE action = $1 ORDER BY position`,
      [action],
    );

  describe('serviceLevelObjectives', () => {
    it('should list the default SLOs to an operator', async () => {
      const { data, errors } = await gql(olga, SLOS);

      expect(errors).toBeUndefined();
      expect(
        data!.serviceLevelObjectives.map((slo: any) => [
          slo.name,
          slo.kind,
          slo.target,
          slo.indicator,
          slo.objective,
          slo.latencyThresholdMs,
        ]),
      ).toEqual([
        ['operations-availability', 'OPERATION', '*', 'AVAILABILITY', 0.995, null],
        ['crm-availability', 'SUBGRAPH', 'crm', 'AVAILABILITY', 0.995, null],
        ['crm-latency', 'SUBGRAPH', 'crm', 'LATENCY', 0.99, 1000],
        ['erp-availability', 'SUBGRAPH', 'erp', 'AVAILABILITY', 0.995, null],
        ['erp-latency', 'SUBGRAPH', 'erp', 'LATENCY', 0.99, 1000],
        ['governance-availability', 'SUBGRAPH', 'governance', 'AVAILABILITY', 0.995, null],
        ['governance-latency', 'SUBGRAPH', 'governance', 'LATENCY', 0.99, 1000],
        ['psa-availability', 'SUBGRAPH', 'psa', 'AVAILABILITY', 0.995, null],
        ['psa-latency', 'SUBGRAPH', 'psa', 'LATENCY', 0.99, 1000],
      ]);
      expect(data!.serviceLevelObjectives.every((slo: any) => slo.windowDays === 28 && slo.enabled && slo.createdBy === 'system')).toBe(
        true,
      );
    });

    it.each([executive, auditor, steward])('should let $roles read them', async (caller) => {
      const { data, errors } = await gql(caller, SLOS);

      expect(errors).toBeUndefined();
      expect(data!.serviceLevelObjectives).toHaveLength(9);
    });
  });

  describe('createServiceLevelObjective and updateServiceLevelObjective', () => {
    it('should create an SLO as the calling operator and record it in the ledger', async () => {
      const { data, errors } = await gql(olga, CREATE, {
        input: {
          name: 'dashboard-latency',
          kind: 'OPERATION',
          target: 'ClientDashboard',
          indicator: 'LATENCY',
          objective: 0.95,
          latencyThresholdMs: 500,
          windowDays: 7,
          reason: 'the dashboard must feel instant',
        },
      });

      expect(errors).toBeUndefined();
      expect(data!.createServiceLevelObjective).toMatchObject({
        name: 'dashboard-latency',
        kind: 'OPERATION',
        target: 'ClientDashboard',
        indicator: 'LATENCY',
        objective: 0.95,
        latencyThresholdMs: 500,
        windowDays: 7,
        enabled: true,
        createdBy: 'op-olga',
        updatedBy: 'op-olga',
      });
      const [event] = (await ledger('slo.create')).filter((entry) => entry.entity_id === data!.createServiceLevelObjective.id);
      expect(event).toMatchObject({
        actor: { sub: 'op-olga', roles: ['operator'] },
        before: null,
        after: { name: 'dashboard-latency', objective: 0.95, latencyThresholdMs: 500, windowDays: 7, enabled: true },
        reason: 'the dashboard must feel instant',
      });
    });

    it.each<[string, Record<string, unknown>, string]>([
      [
        'a latency threshold that is not a bucket bound',
        { indicator: 'LATENCY', latencyThresholdMs: 999 },
        'latencyThresholdMs of a latency SLO is one of the bucket bounds',
      ],
      ['a latency SLO without a threshold', { indicator: 'LATENCY' }, 'latencyThresholdMs of a latency SLO is one of the bucket bounds'],
      ['a threshold on an availability SLO', { latencyThresholdMs: 1000 }, 'latencyThresholdMs is only for latency SLOs'],
      ['an objective of 1', { objective: 1 }, 'objective is a share between 0 and 1, both excluded'],
      ['an objective with too many decimals', { objective: 0.99999999 }, 'objective has at most 6 decimals'],
      ['a window longer than the samples are kept', { windowDays: 60 }, 'windowDays is a whole number of days from 1 to 35'],
    ])('should refuse %s with BAD_USER_INPUT naming the problem', async (_case, change, problem) => {
      const input = { name: 'psa-gold', kind: 'SUBGRAPH', target: 'psa', indicator: 'AVAILABILITY', objective: 0.999, ...change };

      const { errors } = await gql(olga, CREATE, { input });

      expect(errors?.[0].extensions).toMatchObject({
        code: ErrorCode.BAD_USER_INPUT,
        reason: 'INVALID_INPUT',
        problems: [expect.stringContaining(problem)],
      });
      expect((await service.app.get(SloService).list()).map((slo) => slo.name)).not.toContain('psa-gold');
    });

    it('should refuse a name another SLO has with CONFLICT', async () => {
      const { errors } = await gql(olga, CREATE, {
        input: { name: 'crm-availability', kind: 'SUBGRAPH', target: 'crm', indicator: 'AVAILABILITY', objective: 0.9 },
      });

      expect(errors?.[0].extensions).toMatchObject({ code: ErrorCode.CONFLICT, reason: 'SLO_NAME_TAKEN' });
    });

    it('should change only what is given, and record the changed fields before and after', async () => {
      const slo = await sloNamed('psa-latency');

      const { data, errors } = await gql(olga, UPDATE, {
        id: slo.id,
        input: { objective: 0.98, enabled: false, reason: 'psa batch jobs are slow by design' },
      });

      expect(errors).toBeUndefined();
      expect(data!.updateServiceLevelObjective).toMatchObject({
        name: 'psa-latency',
        objective: 0.98,
        enabled: false,
        latencyThresholdMs: 1000,
        updatedBy: 'op-olga',
        createdBy: 'system',
      });
      const [event] = (await ledger('slo.update')).filter((entry) => entry.entity_id === slo.id);
      expect(event).toMatchObject({
        before: { objective: 0.99, enabled: true },
        after: { objective: 0.98, enabled: false },
        changed_fields: ['objective', 'enabled'],
        reason: 'psa batch jobs are slow by design',
      });
    });

    it('should answer NOT_FOUND for an SLO that does not exist', async () => {
      const unknown = await gql(olga, UPDATE, { id: '01950000-0000-7000-8000-000000000000', input: { enabled: false } });
      const malformed = await gql(olga, UPDATE, { id: 'crm-availability', input: { enabled: false } });

      expect(unknown.errors?.[0].extensions).toMatchObject({ code: ErrorCode.NOT_FOUND, reason: 'SLO_NOT_FOUND' });
      expect(malformed.errors?.[0].extensions).toMatchObject({ code: ErrorCode.NOT_FOUND, reason: 'SLO_NOT_FOUND' });
    });
  });

  describe('slaReport', () => {
    // crm's fetches, two gateways on 2026-03-02: 2,000 events, 10 failed, this histogram in total
    const day1Histogram = { 25: 200, 50: 400, 100: 200, 250: 160, 1_000: 35, 2_500: 5 } as const;
    let incidentId = '';

    beforeAll(async () => {
      await service.app.get(SlaSampleService).ingest([
        // outside the 28-day window of every reported day: never counted
        crmMinute('2026-02-01T09:00:00.000Z', 'gateway-a', 1_000, latencyOf({ 100: 1_000 })),
        // inside the window of the first reported days, before the report
        crmMinute('2026-02-20T09:00:00.000Z', 'gateway-a', 0, latencyOf({ 100: 1_000 })),
        crmMinute('2026-03-02T10:00:00.000Z', 'gateway-a', 5, latencyOf(day1Histogram)),
        crmMinute('2026-03-02T23:59:00.000Z', 'gateway-b', 5, latencyOf(day1Histogram)),
        crmMinute('2026-03-04T00:00:00.000Z', 'gateway-a', 50, latencyOf({ 100: 1_000 })),
        // another subgraph: not in crm's report
        slaSample({ target: 'erp', minute: '2026-03-02T10:00:00.000Z', total: 500, errors: 500, latency: latencyOf({ 5: 500 }) }),
      ]);
      const crm = await sloNamed('crm-availability');
      const burning = decidingPair(
        assessPairs(
          new Map([
            [60, { events: 6_000, bad: 600 }],
            [5, { events: 500, bad: 50 }],
          ]),
          crm.objective,
          10,
        ),
      );
      const incidents = service.app.get(IncidentService);
      incidentId = (await incidents.reconcile(crm, burning, new Date('2026-03-03T10:00:00.000Z'), ''))!.incidentId;
      await incidents.reconcile(crm, undefined, new Date('2026-03-04T02:00:00.000Z'), 'recovered');
    });

    it('should report per day the traffic, availability, interpolated percentiles, budget left per SLO and overlapping incidents', async () => {
      const { data, errors } = await gql(olga, REPORT, { kind: 'SUBGRAPH', target: 'crm', from: '2026-03-02', to: '2026-03-06' });

      expect(errors).toBeUndefined();
      const report = data!.slaReport;
      expect(report).toMatchObject({ kind: 'SUBGRAPH', target: 'crm', from: '2026-03-02', to: '2026-03-06' });
      expect(report.objectives.map((slo: any) => slo.name)).toEqual(['crm-availability', 'crm-latency']);
      const rows = report.days.map((day: any) => ({
        date: day.date,
        total: day.total,
        errors: day.errors,
        availability: day.availability,
        percentiles: [day.p50, day.p95, day.p99].map((value: number | null) => (value === null ? null : Number(value.toFixed(3)))),
        budgets: day.budgets.map((budget: any) => [budget.slo.name, budget.events, budget.bad, Number(budget.remaining.toFixed(4))]),
        incidents: day.incidents.map((incident: any) => incident.id),
      }));
      expect(rows).toEqual([
        {
          date: '2026-03-02',
          total: 2_000,
          errors: 10,
          availability: 0.995,
          // p50: rank 1,000 in (25, 50] after 400 → 25 + 25 × 600/800; p95: rank 1,900 in (100, 250] after 1,600 →
          // 100 + 150 × 300/320; p99: rank 1,980 in (500, 1000] after 1,920 → 500 + 500 × 60/70
          percentiles: [43.75, 240.625, 928.571],
          // availability: 10 bad of 3,000 (02-20 included, 02-01 not) over a 0.5 % budget; latency: 10 slower than 1 s over 1 %
          budgets: [
            ['crm-availability', 3_000, 10, 0.3333],
            ['crm-latency', 3_000, 10, 0.6667],
          ],
          incidents: [],
        },
        {
          date: '2026-03-03',
          total: 0,
          errors: 0,
          availability: null,
          percentiles: [null, null, null],
          budgets: [
            ['crm-availability', 3_000, 10, 0.3333],
            ['crm-latency', 3_000, 10, 0.6667],
          ],
          incidents: [incidentId],
        },
        {
          date: '2026-03-04',
          total: 1_000,
          errors: 50,
          availability: 0.95,
          percentiles: [75, 97.5, 99.5],
          budgets: [
            ['crm-availability', 4_000, 60, -2],
            ['crm-latency', 4_000, 10, 0.75],
          ],
          incidents: [incidentId],
        },
        {
          date: '2026-03-05',
          total: 0,
          errors: 0,
          availability: null,
          percentiles: [null, null, null],
          budgets: [
            ['crm-availability', 4_000, 60, -2],
            ['crm-latency', 4_000, 10, 0.75],
          ],
          incidents: [],
        },
        // after today: no budget yet
        { date: '2026-03-06', total: 0, errors: 0, availability: null, percentiles: [null, null, null], budgets: [], incidents: [] },
      ]);
    });

    it('should sum every target of a kind for *, without SLOs of its own', async () => {
      const { data } = await gql(executive, REPORT, { kind: 'SUBGRAPH', target: '*', from: '2026-03-02', to: '2026-03-02' });

      expect(data!.slaReport.objectives).toEqual([]);
      expect(data!.slaReport.days).toEqual([
        expect.objectContaining({ date: '2026-03-02', total: 2_500, errors: 510, availability: 0.796, budgets: [], incidents: [] }),
      ]);
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['a day that does not exist', { from: '2026-02-30', to: '2026-03-02' }, 'from is a date (YYYY-MM-DD)'],
      ['from after to', { from: '2026-03-05', to: '2026-03-02' }, 'from is not after to'],
      ['more than 92 days', { from: '2026-01-01', to: '2026-04-30' }, 'a report covers at most 92 days (asked 120)'],
    ])('should refuse %s with BAD_USER_INPUT', async (_case, range, problem) => {
      const { errors } = await gql(olga, REPORT, { kind: 'SUBGRAPH', target: 'crm', ...range });

      expect(errors?.[0].extensions).toMatchObject({ code: ErrorCode.BAD_USER_INPUT, problems: [problem] });
    });
  });

  describe('incidents and addIncidentNote', () => {
    let openId = '';

    beforeAll(async () => {
      const erp = await sloNamed('erp-availability');
      const burning = decidingPair(
        assessPairs(
          new Map([
            [60, { events: 6_000, bad: 6_000 }],
            [5, { events: 500, bad: 500 }],
          ]),
          erp.objective,
          10,
        ),
      );
      openId = (await service.app.get(IncidentService).reconcile(erp, burning, new Date('2026-03-05T11:00:00.000Z'), ''))!.incidentId;
    });

    it('should list incidents with their timelines, newest first, filtered by status and paginated', async () => {
      const open = await gql(olga, INCIDENTS, { status: 'OPEN' });
      const first = await gql(auditor, INCIDENTS, { first: 1 });
      const second = await gql(auditor, INCIDENTS, { first: 1, after: first.data!.incidents.pageInfo.endCursor });

      expect(open.errors).toBeUndefined();
      expect(open.data!.incidents.edges.map((edge: any) => edge.node)).toEqual([
        {
          id: openId,
          status: 'OPEN',
          severity: 'PAGE',
          burnRate: 200,
          summary: 'erp-availability: burn 200× over 1 h and 200× over 5 min (page above 14.4×)',
          openedAt: '2026-03-05T11:00:00.000Z',
          resolvedAt: null,
          slo: { name: 'erp-availability' },
          timeline: [
            {
              at: '2026-03-05T11:00:00.000Z',
              kind: 'OPENED',
              severity: 'PAGE',
              burnRate: 200,
              message: 'erp-availability: burn 200× over 1 h and 200× over 5 min (page above 14.4×)',
              actor: 'sla-evaluator',
            },
          ],
        },
      ]);
      expect(first.data!.incidents.edges.map((edge: any) => edge.node.id)).toEqual([openId]);
      expect(first.data!.incidents.pageInfo.hasNextPage).toBe(true);
      expect(second.data!.incidents.edges.map((edge: any) => [edge.node.slo.name, edge.node.status])).toEqual([
        ['crm-availability', 'RESOLVED'],
      ]);
    });

    it('should add an operator’s note to the timeline and the ledger', async () => {
      const { data, errors } = await gql(olga, NOTE, { id: openId, note: 'erp database failover in progress' });

      expect(errors).toBeUndefined();
      expect(data!.addIncidentNote.timeline.map((entry: any) => [entry.kind, entry.actor])).toEqual([
        ['OPENED', 'sla-evaluator'],
        ['NOTE', 'op-olga'],
      ]);
      expect(data!.addIncidentNote.timeline[1].message).toBe('erp database failover in progress');
      expect((await ledger('incident.note')).filter((event) => event.entity_id === openId)).toEqual([
        expect.objectContaining({ actor: { sub: 'op-olga', roles: ['operator'] }, after: { note: 'erp database failover in progress' } }),
      ]);
    });

    it('should refuse an empty note and an unknown incident', async () => {
      const empty = await gql(olga, NOTE, { id: openId, note: '   ' });
      const unknown = await gql(olga, NOTE, { id: '01950000-0000-7000-8000-000000000000', note: 'hello' });

      expect(empty.errors?.[0].extensions).toMatchObject({ code: ErrorCode.BAD_USER_INPUT });
      expect(unknown.errors?.[0].extensions).toMatchObject({ code: ErrorCode.NOT_FOUND, reason: 'INCIDENT_NOT_FOUND' });
    });
  });

  describe('authorization', () => {
    const denied = (sub: string): Promise<{ entity: string; after: any }[]> =>
      service.dataSource.query(
        `SELECT entity, after FROM governance.audit_event WHERE action = 'denied' AND actor->>'sub' = $1 ORDER BY position`,
        [sub],
      );

    it('should not show a consultant SLOs, reports or incidents, nor let them change any, and record each refusal', async () => {
      const crm = await sloNamed('crm-availability');
      const attempts = [
        [SLOS, undefined],
        [REPORT, { kind: 'SUBGRAPH', target: 'crm', from: '2026-03-02', to: '2026-03-02' }],
        [INCIDENTS, {}],
        [CREATE, { input: { name: 'mine', kind: 'SUBGRAPH', target: 'crm', indicator: 'AVAILABILITY', objective: 0.5 } }],
        [UPDATE, { id: crm.id, input: { enabled: false } }],
        [NOTE, { id: crm.id, note: 'hi' }],
      ] as const;

      const results = [];
      for (const [query, variables] of attempts) {
        results.push(await gql(consultant, query, variables));
      }

      expect(results.map((result) => [result.data ?? null, result.errors?.[0].extensions?.code])).toEqual(
        attempts.map(() => [null, ErrorCode.FORBIDDEN]),
      );
      expect((await denied('con-carl')).map((event) => event.entity)).toEqual([
        'ServiceLevelObjective',
        'ServiceLevelObjective',
        'Incident',
        'ServiceLevelObjective',
        'ServiceLevelObjective',
        'Incident',
      ]);
      expect((await sloNamed('crm-availability')).enabled).toBe(true);
    });

    it.each([executive, auditor, steward])('should let $roles read but not change SLOs or incidents', async (caller) => {
      const crm = await sloNamed('crm-availability');

      const read = await gql(caller, INCIDENTS, {});
      const update = await gql(caller, UPDATE, { id: crm.id, input: { enabled: false } });
      const note = await gql(caller, NOTE, { id: crm.id, note: 'hi' });

      expect(read.errors).toBeUndefined();
      expect(update.errors?.[0].extensions?.code).toBe(ErrorCode.FORBIDDEN);
      expect(note.errors?.[0].extensions?.code).toBe(ErrorCode.FORBIDDEN);
    });
  });
});
