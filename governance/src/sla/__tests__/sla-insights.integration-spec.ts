import { newId } from '@concord/common';
import { asCaller, postGraphQL } from '@concord/testing';
import { useGovernance } from '../../__tests__/use-governance';
import { WorkflowKind } from '../../workflow/workflow-definition';
import { WorkflowRunStore } from '../../workflow/workflow-run.store';
import { SlaSampleService } from '../sla-sample.service';
import { SloEvaluator } from '../slo-evaluator';
import { minutesBefore, minutesOfTraffic, slaSample, latencyOf } from './sla-sample.factory';

const olga = { sub: 'op-olga', roles: ['operator'] };
const consultant = { sub: 'con-carl', roles: ['consultant'] };
const MINUTE_MS = 60_000;
/** Near the real clock: the ledger stamps events with it, and incidents' change windows compare with them. */
const NOW = new Date(Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS + 30_000);
const WINDOW_END = new Date(Math.floor(NOW.getTime() / MINUTE_MS) * MINUTE_MS);

const STATUSES = `query Statuses($id: ID) {
  sloStatuses(id: $id) {
    slo { name } health windowEvents windowBad budgetRemaining currentBurnRate exhaustsAt minutesToExhaustion lowTraffic explanation
    pairs { severity factor longWindowMinutes shortWindowMinutes longBurnRate shortBurnRate longEvents firing lowTraffic description }
  } }`;
const HEALTH = `query Health($kind: SlaTargetKind!, $from: String!, $to: String!) {
  slaTargetHealth(kind: $kind, from: $from, to: $to) {
    target events errors timeouts availability p50 p95 p99 errorCodes { code count } hours { hour events errors p95 }
  } }`;
const CREATE = `mutation Create($input: CreateServiceLevelObjectiveInput!) { createServiceLevelObjective(input: $input) { id name } }`;
const INCIDENTS = `{ incidents(first: 10) { edges { node { slo { name } status changes { action actor entity reason } } } } }`;

describe('SLA insights (GraphQL)', () => {
  let clock = NOW;
  const service = useGovernance({ sla: { now: () => clock } });
  const gql = (caller: { sub: string; roles: string[] }, query: string, variables?: Record<string, unknown>) =>
    postGraphQL(service.graphqlUrl, query, variables, asCaller(caller));

  beforeAll(async () => {
    // crm: a busy healthy minute two days ago, 6 h of healthy traffic, then the last 10 minutes 20 % failed;
    // erp: healthy for 30 minutes only
    await service.app
      .get(SlaSampleService)
      .ingest([
        slaSample({ minute: minutesBefore(WINDOW_END, 2 * 1_440).toISOString(), total: 200_000, latency: latencyOf({ 100: 200_000 }) }),
        ...minutesOfTraffic(minutesBefore(WINDOW_END, 360), minutesBefore(WINDOW_END, 10), { perMinute: 100 }),
        ...minutesOfTraffic(minutesBefore(WINDOW_END, 10), WINDOW_END, { perMinute: 100, errorShare: 0.2 }),
        ...minutesOfTraffic(minutesBefore(WINDOW_END, 30), WINDOW_END, { perMinute: 2, target: 'erp' }),
      ]);
  });

  describe('sloStatuses', () => {
    it('should show an operator each pair’s burn against its threshold, the budget left and when it runs out at this burn', async () => {
      const { data, errors } = await gql(olga, STATUSES);

      expect(errors).toBeUndefined();
      const crm = data!.sloStatuses.find((status: any) => status.slo.name === 'crm-availability');
      // 200 of 6,000 fetches in the last hour failed: 3.33 % of a 0.5 % budget, a burn of 6.67×; 20 % over 5 min: 40×
      expect(crm.pairs[0]).toMatchObject({ severity: 'PAGE', factor: 14.4, longWindowMinutes: 60, shortWindowMinutes: 5, longEvents: 6_000 });
      expect(crm.pairs[0].longBurnRate).toBeCloseTo(6.667, 2);
      expect(crm.pairs[0].shortBurnRate).toBeCloseTo(40, 5);
      expect(crm.pairs[0].firing).toBe(false);
      // 6 h / 30 min: 200 of 36,000 (1.11×) and 200 of 3,000 (13.3×); 3 d / 6 h: 200 of 236,000 and of 36,000
      expect(crm.pairs.map((pair: any) => pair.firing)).toEqual([false, false, false]);
      expect(crm.pairs[1].longBurnRate).toBeCloseTo(200 / 36_000 / 0.005, 6);
      expect(crm).toMatchObject({ health: 'OK', windowEvents: 236_000, windowBad: 200, lowTraffic: false });
      const left = 1 - 200 / 236_000 / 0.005;
      expect(crm.budgetRemaining).toBeCloseTo(left, 9);
      expect(crm.currentBurnRate).toBeCloseTo(6.667, 2);
      // what is left of the 28-day budget lasts left × 28 d ÷ 6.67
      const expectedMinutes = Math.round((left * 28 * 1_440) / (200 / 6_000 / 0.005));
      expect(crm.minutesToExhaustion).toBe(expectedMinutes);
      expect(new Date(crm.exhaustsAt).getTime()).toBe(NOW.getTime() + expectedMinutes * MINUTE_MS);
      expect(crm.explanation).toBe(`Within budget: burning 6.67× over 1 h; 83 % of the 28 d budget left, spent in 3 d 11 h at this burn`);
    });

    it('should tell an SLO without events from one with too little traffic to alert', async () => {
      const { data } = await gql(olga, STATUSES);
      const health = (name: string) => data!.sloStatuses.find((status: any) => status.slo.name === name);

      expect(health('psa-availability')).toMatchObject({ health: 'NO_DATA', windowEvents: 0, budgetRemaining: null, exhaustsAt: null });
      expect(health('psa-availability').explanation).toBe('no events in the last 28 d: nothing to measure');
      // erp: 60 events in every long window (10 needed), none failed
      expect(health('erp-availability')).toMatchObject({ health: 'OK', windowEvents: 60, budgetRemaining: 1, minutesToExhaustion: null });
    });

    it('should answer one SLO by id', async () => {
      const [slo]: { id: string }[] = await service.dataSource.query(
        `SELECT id FROM governance.service_level_objective WHERE name = 'crm-latency'`,
      );
      const { data, errors } = await gql(olga, STATUSES, { id: slo.id });

      expect(errors).toBeUndefined();
      expect(data!.sloStatuses.map((status: any) => status.slo.name)).toEqual(['crm-latency']);
    });

    it('should not show SLO statuses to a consultant', async () => {
      const { data, errors } = await gql(consultant, STATUSES);

      expect(data).toBeNull();
      expect(errors![0].extensions!.code).toBe('FORBIDDEN');
    });
  });

  describe('slaTargetHealth', () => {
    it('should give each subgraph its latency percentiles and errors by code over the range', async () => {
      await service.app.get(SlaSampleService).ingest([
        slaSample({
          target: 'psa',
          minute: minutesBefore(WINDOW_END, 3).toISOString(),
          total: 10,
          errors: 4,
          timeouts: 1,
          errorCodes: { HTTP_5XX: 3, TIMEOUT: 1 },
          latency: latencyOf({ 50: 5, 500: 5 }),
        }),
        slaSample({
          target: 'psa',
          source: 'gateway-b',
          minute: minutesBefore(WINDOW_END, 3).toISOString(),
          total: 10,
          errors: 1,
          errorCodes: { TIMEOUT: 1 },
          latency: latencyOf({ 50: 10 }),
        }),
      ]);

      const { data, errors } = await gql(olga, HEALTH, {
        kind: 'SUBGRAPH',
        from: minutesBefore(WINDOW_END, 60).toISOString(),
        to: NOW.toISOString(),
      });

      expect(errors).toBeUndefined();
      expect(data!.slaTargetHealth.map((target: any) => target.target)).toEqual(['crm', 'erp', 'psa']);
      const psa = data!.slaTargetHealth[2];
      expect(psa).toMatchObject({ events: 20, errors: 5, timeouts: 1, availability: 0.75 });
      expect(psa.errorCodes).toEqual([
        { code: 'HTTP_5XX', count: 3 },
        { code: 'TIMEOUT', count: 2 },
      ]);
      // 15 of 20 in (25, 50], 5 in (250, 500]: the median is within the 50 ms bucket, p95 within the 500 ms one
      expect(psa.p50).toBeCloseTo(25 + (25 * 10) / 15, 6);
      expect(psa.p95).toBeCloseTo(250 + (250 * 4) / 5, 6);
      const crm = data!.slaTargetHealth[0];
      expect(crm).toMatchObject({ events: 6_000, errors: 200, errorCodes: [{ code: 'HTTP_5XX', count: 200 }] });
      expect(crm.hours.reduce((sum: number, hour: any) => sum + hour.events, 0)).toBe(6_000);
    });

    it('should refuse a range that ends before it starts', async () => {
      const { errors } = await gql(olga, HEALTH, { kind: 'SUBGRAPH', from: NOW.toISOString(), to: minutesBefore(NOW, 5).toISOString() });

      expect(errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('workflow samples', () => {
    it('should count finished workflow runs as workflow samples: exceptions as errors, durations as latency', async () => {
      const store = service.app.get(WorkflowRunStore);
      await service.dataSource.transaction((manager) =>
        store.start(manager, [
          { kind: WorkflowKind.INVOICE_RUN, businessKey: `ok-${newId()}`, payload: {} },
          { kind: WorkflowKind.INVOICE_RUN, businessKey: `bad-${newId()}`, payload: {} },
        ]),
      );
      const [first, second] = (await store.claim('worker-a', 10)).filter((run) => run.kind === WorkflowKind.INVOICE_RUN);

      await store.succeed(first, 'worker-a');
      await store.fail(second, 'worker-a', { code: 'GATE', message: 'refused', permanent: true, step: 'check', reasons: [], details: null });

      const { data, errors } = await gql(olga, HEALTH, {
        kind: 'WORKFLOW',
        from: new Date(Date.now() - 10 * MINUTE_MS).toISOString(),
        to: new Date(Date.now() + MINUTE_MS).toISOString(),
      });
      expect(errors).toBeUndefined();
      expect(data!.slaTargetHealth).toEqual([
        expect.objectContaining({ target: 'INVOICE_RUN', events: 2, errors: 1, errorCodes: [{ code: 'WORKFLOW_EXCEPTION', count: 1 }] }),
      ]);
      expect(data!.slaTargetHealth[0].p50).not.toBeNull();
      // an SLO on the workflow sees the same runs, once their minute is over
      clock = new Date(Date.now() + 2 * MINUTE_MS);
      const created = await gql(olga, CREATE, {
        input: { name: 'invoice-run-success', kind: 'WORKFLOW', target: 'INVOICE_RUN', indicator: 'AVAILABILITY', objective: 0.9 },
      });
      const statuses = await gql(olga, STATUSES, { id: created.data!.createServiceLevelObjective.id });
      clock = NOW;
      expect(statuses.data!.sloStatuses[0]).toMatchObject({ slo: { name: 'invoice-run-success' }, windowEvents: 2, windowBad: 1 });
    });
  });

  describe('incident changes', () => {
    it('should show on an incident the changes the ledger recorded around it', async () => {
      // Arrange: an SLO created now (a ledger event), then crm failing hard enough to page on it
      const created = await gql(olga, CREATE, {
        input: { name: 'crm-availability-strict', kind: 'SUBGRAPH', target: 'crm', indicator: 'AVAILABILITY', objective: 0.99, reason: 'tighter' },
      });
      expect(created.errors).toBeUndefined();
      await service.app.get(SlaSampleService).ingest(
        minutesOfTraffic(minutesBefore(WINDOW_END, 10), WINDOW_END, { perMinute: 100, errorShare: 0.9, source: 'gateway-c' }),
      );
      await service.app.get(SloEvaluator).evaluate(NOW);
      // an incident of last week, resolved long before the SLO was created: none of today's changes are about it
      const [{ id: crmSlo }]: { id: string }[] = await service.dataSource.query(
        `SELECT id FROM governance.service_level_objective WHERE name = 'crm-latency'`,
      );
      const lastWeek = new Date(NOW.getTime() - 7 * 1_440 * MINUTE_MS);
      await service.dataSource.query(
        `INSERT INTO governance.sla_incident (id, slo_id, status, severity, burn_factor, burn_rate, peak_burn_rate, summary, opened_at,
           updated_at, resolved_at)
         VALUES ($1, $2, 'RESOLVED', 'PAGE', 14.4, 20, 20, 'crm-latency: slow last week', $3, $4, $4)`,
        [newId(), crmSlo, lastWeek, new Date(lastWeek.getTime() + 30 * MINUTE_MS)],
      );

      // Act
      const { data, errors } = await gql(olga, INCIDENTS);

      // Assert
      expect(errors).toBeUndefined();
      const incident = data!.incidents.edges.map((edge: any) => edge.node).find((node: any) => node.slo.name === 'crm-availability-strict');
      expect(incident.status).toBe('OPEN');
      expect(incident.changes).toEqual(
        expect.arrayContaining([{ action: 'slo.create', actor: 'op-olga', entity: 'ServiceLevelObjective', reason: 'tighter' }]),
      );
      expect(incident.changes.every((change: any) => change.action !== 'incident.open')).toBe(true);
      const old = data!.incidents.edges.map((edge: any) => edge.node).find((node: any) => node.slo.name === 'crm-latency');
      expect(old).toMatchObject({ status: 'RESOLVED', changes: [] });
    });
  });
});
