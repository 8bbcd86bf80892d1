import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { SlaSample } from '@concord/common';
import { useGovernance } from '../../__tests__/use-governance';
import { GovernanceModule } from '../../app.module';
import { IncidentSeverity } from '../burn-rate';
import { IncidentEventKind, IncidentStatus } from '../incident.entity';
import { IncidentService } from '../incident.service';
import { SLA_EVALUATION_JOB, SLA_RETENTION_JOB, SLA_WEBHOOK_JOB, SlaCron } from '../sla.cron';
import { SlaSampleService } from '../sla-sample.service';
import { SloEvaluator, SloState, type SloAssessment } from '../slo-evaluator';
import { SloService } from '../slo.service';
import { minutesBefore, minutesOfTraffic } from './sla-sample.factory';

/** Evaluations run 30 s into a minute: their windows end at the minute's start, T. */
const T = new Date('2026-03-10T12:00:00.000Z');
const INTO_THE_MINUTE_MS = 30_000;
const HOUR = 60;
const DAY = 1_440;

const at = (minutesAfterT: number) => new Date(T.getTime() + minutesAfterT * 60_000 + INTO_THE_MINUTE_MS);
const ledgerOf = (
  service: ReturnType<typeof useGovernance>,
  incidentId: string,
): Promise<{ action: string; actor: unknown; after: any }[]> =>
  service.dataSource.query(`SELECT action, actor, after FROM governance.audit_event WHERE entity_id = $1 ORDER BY position`, [incidentId]);

describe(SloEvaluator.name, () => {
  const clock = { now: at(0) };
  const service = useGovernance({ sla: { now: () => clock.now, minEvents: 10 } });
  const sut = () => service.app.get(SloEvaluator);
  const ingest = (samples: SlaSample[]) => service.app.get(SlaSampleService).ingest(samples);
  /** crm traffic in the minutes [from, to) relative to T */
  const crmTraffic = (from: number, to: number, traffic: Parameters<typeof minutesOfTraffic>[2]) =>
    ingest(minutesOfTraffic(minutesBefore(T, -from), minutesBefore(T, -to), traffic));
  const assessmentOf = (assessments: SloAssessment[], name: string) => assessments.find((assessment) => assessment.slo.name === name)!;

  afterEach(async () => {
    await service.dataSource.query('DELETE FROM governance.sla_sample');
    await service.dataSource.query('DELETE FROM governance.sla_notification');
    await service.dataSource.query('DELETE FROM governance.sla_incident_event');
    await service.dataSource.query('DELETE FROM governance.sla_incident');
  });

  describe('burn rates per window pair', () => {
    it('should count, per window, the whole minutes before the evaluation minute, every gateway summed', async () => {
      // crm-availability (0.995: a 0.5 % budget); 100 fetches a minute from each of two gateways
      await crmTraffic(-3 * DAY, 0, { perMinute: 100 });
      await crmTraffic(-3 * DAY, 0, { perMinute: 100, source: 'gateway-b' });
      // failures: the evaluation's own minute (not counted), 5 min before T (in every window), 6 min before (not in 5 min)
      await ingest(minutesOfTraffic(T, minutesBefore(T, -1), { perMinute: 100, errorShare: 1 }));
      await crmTraffic(-5, -4, { perMinute: 100, errorShare: 0.5 });
      await crmTraffic(-6, -5, { perMinute: 100, errorShare: 0.2, source: 'gateway-b' });

      const crm = assessmentOf(await sut().evaluate(at(0)), 'crm-availability');

      expect(crm.windowEnd).toEqual(T);
      expect(
        crm.pairs.map((pair) => [pair.longMinutes, pair.long.events, pair.long.bad, pair.shortMinutes, pair.short.events, pair.short.bad]),
      ).toEqual([
        [60, 12_000, 70, 5, 1_000, 50],
        [360, 72_000, 70, 30, 6_000, 70],
        [3 * DAY, 864_000, 70, 360, 72_000, 70],
      ]);
      expect(crm.pairs[0].long.burnRate).toBeCloseTo(70 / 12_000 / 0.005, 10);
      expect(crm.pairs[0].short.burnRate).toBeCloseTo(10, 10);
    });

    it('should page on the 1 h / 5 min pair when both burn faster than 14.4×, and not on a 6× pair whose long window is under it', async () => {
      await crmTraffic(-3 * DAY, -HOUR, { perMinute: 100 });
      // 10 % failing for the last hour: a burn of 20 over 1 h and 5 min, 20 × 60/360 = 3.33 over 6 h
      await crmTraffic(-HOUR, 0, { perMinute: 100, errorShare: 0.1 });

      const assessments = await sut().evaluate(at(0));
      const crm = assessmentOf(assessments, 'crm-availability');

      expect(
        crm.pairs.map((pair) => [pair.factor, Number(pair.long.burnRate.toFixed(3)), Number(pair.short.burnRate.toFixed(3)), pair.firing]),
      ).toEqual([
        [14.4, 20, 20, true],
        [6, 3.333, 20, false],
        [1, 0.278, 3.333, false],
      ]);
      expect(crm).toMatchObject({ state: SloState.FIRING, severity: IncidentSeverity.PAGE, incident: { change: 'opened' } });
      // the same minutes are fast: the latency SLO is fine
      expect(assessmentOf(assessments, 'crm-latency')).toMatchObject({ state: SloState.OK, severity: null, incident: null });
    });

    it('should page on the 6 h / 30 min pair at 8×, below the 14.4× of the fast pair', async () => {
      await crmTraffic(-3 * DAY, -6 * HOUR, { perMinute: 100 });
      await crmTraffic(-6 * HOUR, 0, { perMinute: 100, errorShare: 0.04 });

      const crm = assessmentOf(await sut().evaluate(at(0)), 'crm-availability');

      // 3 d: 1,440 bad of 432,000, a burn of 0.67: no ticket
      expect(crm.pairs.map((pair) => [Number(pair.long.burnRate.toFixed(2)), pair.firing])).toEqual([
        [8, false],
        [8, true],
        [0.67, false],
      ]);
      expect(crm).toMatchObject({
        severity: IncidentSeverity.PAGE,
        incident: { change: 'opened', message: expect.stringContaining('page above 6×') },
      });
    });

    it('should open a ticket when the budget burns faster than allowed over 3 days and 6 hours only', async () => {
      await crmTraffic(-3 * DAY, 0, { perMinute: 100, errorShare: 0.01 });

      const crm = assessmentOf(await sut().evaluate(at(0)), 'crm-availability');

      expect(crm.pairs.map((pair) => [pair.long.burnRate, pair.firing])).toEqual([
        [2, false],
        [2, false],
        [2, true],
      ]);
      expect(crm).toMatchObject({ severity: IncidentSeverity.TICKET, incident: { change: 'opened' } });
    });

    it('should judge a latency SLO by the events slower than its threshold', async () => {
      await crmTraffic(-3 * DAY, -HOUR, { perMinute: 100 });
      // 20 % slower than 1 s for an hour: a burn of 20 against crm-latency's 1 % budget; none failed
      await crmTraffic(-HOUR, 0, { perMinute: 100, slowShare: 0.2 });

      const assessments = await sut().evaluate(at(0));

      expect(assessmentOf(assessments, 'crm-latency').pairs[0]).toMatchObject({
        long: { events: 6_000, bad: 1_200, burnRate: 20 },
        firing: true,
      });
      expect(assessmentOf(assessments, 'crm-availability')).toMatchObject({ state: SloState.OK, incident: null });
    });

    it('should sum every operation for the * operation SLO', async () => {
      const operations = (target: string, errorShare: number) =>
        minutesOfTraffic(minutesBefore(T, HOUR), T, { perMinute: 50, errorShare, kind: 'operation', target });
      await ingest([...operations('ClientOverview', 0.5), ...operations('ProjectMargins', 0)]);

      const all = assessmentOf(await sut().evaluate(at(0)), 'operations-availability');

      expect(all.pairs[0].long).toMatchObject({ events: 6_000, bad: 1_500 });
      expect(all).toMatchObject({ severity: IncidentSeverity.PAGE });
    });
  });

  describe('low traffic', () => {
    it('should not alert below SLA_MIN_EVENTS in the long window, and say so', async () => {
      // 9 fetches in the last 3 days, all failed
      await crmTraffic(-9, 0, { perMinute: 1, errorShare: 1 });

      const crm = assessmentOf(await sut().evaluate(at(0)), 'crm-availability');

      expect(crm.pairs.map((pair) => [pair.long.burnRate, pair.lowTraffic, pair.firing])).toEqual([
        [200, true, false],
        [200, true, false],
        [200, true, false],
      ]);
      expect(crm).toMatchObject({ state: SloState.LOW_TRAFFIC, severity: null, incident: null });
      expect(crm.message).toBe(
        'not enough traffic to alert on the 1 h/5 min, 6 h/30 min, 3 d/6 h pairs (fewer than 10 events in the long window)',
      );
    });

    it('should alert from the minimum on', async () => {
      await crmTraffic(-10, 0, { perMinute: 1, errorShare: 1 });

      expect(assessmentOf(await sut().evaluate(at(0)), 'crm-availability')).toMatchObject({ state: SloState.FIRING });
    });
  });

  describe('incidents', () => {
    const incidents = () => service.app.get(IncidentService).page({ first: 10 });

    it('should open, update and resolve one incident as the burn moves with the clock, each change on the timeline, in the ledger and notified', async () => {
      await crmTraffic(-3 * DAY, 0, { perMinute: 100 });
      const evaluate = async (minutesAfterT: number) => {
        clock.now = at(minutesAfterT);
        return assessmentOf(await sut().evaluate(), 'crm-availability');
      };

      // every fetch fails for 10 minutes: 1 h burn 33×, 5 min 200× → page (14.4×)
      await crmTraffic(0, 10, { perMinute: 100, errorShare: 1 });
      const opened = await evaluate(10);
      // 30 more minutes: 1 h burn 133× (4× the recorded one) → update
      await crmTraffic(10, 40, { perMinute: 100, errorShare: 1 });
      const worse = await evaluate(40);
      // recovered 10 minutes: the 5 min window is clean, 6 h/30 min still burns → page (6×)
      await crmTraffic(40, 50, { perMinute: 100 });
      const slower = await evaluate(50);
      const unchanged = await evaluate(50);
      // 30 more clean minutes: only 3 d/6 h burns → ticket
      await crmTraffic(50, 80, { perMinute: 100 });
      const ticket = await evaluate(80);
      // 6 clean hours: no pair fires → resolved
      await crmTraffic(80, 80 + 6 * HOUR, { perMinute: 100 });
      const resolved = await evaluate(80 + 6 * HOUR);

      expect([opened, worse, slower, unchanged, ticket, resolved].map((step) => [step.severity, step.incident?.change ?? null])).toEqual([
        [IncidentSeverity.PAGE, 'opened'],
        [IncidentSeverity.PAGE, 'updated'],
        [IncidentSeverity.PAGE, 'updated'],
        [IncidentSeverity.PAGE, null],
        [IncidentSeverity.TICKET, 'updated'],
        [null, 'resolved'],
      ]);
      const page = await incidents();
      expect(page.nodes).toHaveLength(1);
      const [incident] = page.nodes;
      expect(incident).toMatchObject({
        status: IncidentStatus.RESOLVED,
        severity: IncidentSeverity.TICKET,
        openedAt: at(10),
        resolvedAt: at(80 + 6 * HOUR),
        peakBurnRate: expect.closeTo(4_000 / 6_000 / 0.005, 6),
        slo: { name: 'crm-availability' },
      });
      expect(incident.timeline.map((entry) => [entry.kind, entry.severity, entry.at])).toEqual([
        [IncidentEventKind.OPENED, IncidentSeverity.PAGE, at(10)],
        [IncidentEventKind.UPDATED, IncidentSeverity.PAGE, at(40)],
        [IncidentEventKind.UPDATED, IncidentSeverity.PAGE, at(50)],
        [IncidentEventKind.UPDATED, IncidentSeverity.TICKET, at(80)],
        [IncidentEventKind.RESOLVED, IncidentSeverity.TICKET, at(80 + 6 * HOUR)],
      ]);
      expect(incident.timeline[1].message).toMatch(/^burn rate 33\.33× → 133\.33×: burn 133\.33× over 1 h/);
      expect(incident.timeline[2].message).toMatch(/now above 6× \(was above 14\.4×\)/);
      expect(incident.timeline[3].message).toMatch(/^severity page → ticket/);
      expect(incident.timeline[4].message).toBe('crm-availability: resolved, no burn-rate pair fires any more');
      expect((await ledgerOf(service, incident.id)).map((event) => [event.action, event.actor, event.after.severity])).toEqual([
        ['incident.open', { sub: 'sla-evaluator', roles: [] }, 'PAGE'],
        ['incident.update', { sub: 'sla-evaluator', roles: [] }, 'PAGE'],
        ['incident.update', { sub: 'sla-evaluator', roles: [] }, 'PAGE'],
        ['incident.update', { sub: 'sla-evaluator', roles: [] }, 'TICKET'],
        ['incident.resolve', { sub: 'sla-evaluator', roles: [] }, 'TICKET'],
      ]);
      // no SLA_WEBHOOK_URL: recorded, not sent
      const notifications: { type: string; status: string }[] = await service.dataSource.query(
        'SELECT type, status FROM governance.sla_notification ORDER BY seq',
      );
      expect(notifications).toEqual([
        { type: 'incident.opened', status: 'SKIPPED' },
        { type: 'incident.updated', status: 'SKIPPED' },
        { type: 'incident.updated', status: 'SKIPPED' },
        { type: 'incident.updated', status: 'SKIPPED' },
        { type: 'incident.resolved', status: 'SKIPPED' },
      ]);
    });

    it('should keep at most one open incident per SLO whatever the evaluations', async () => {
      await crmTraffic(-HOUR, 0, { perMinute: 100, errorShare: 0.5 });

      await Promise.all([sut().evaluate(at(0)), sut().evaluate(at(0))].map((run) => run.catch(() => undefined)));
      await sut().evaluate(at(1));

      const open: { slo_id: string }[] = await service.dataSource.query(`SELECT slo_id FROM governance.sla_incident WHERE status = 'OPEN'`);
      expect(open.length).toBe(new Set(open.map((row) => row.slo_id)).size);
      expect(open.length).toBeGreaterThan(0);
    });

    it('should resolve the open incident of an SLO that gets disabled', async () => {
      await crmTraffic(-HOUR, 0, { perMinute: 100, errorShare: 0.5 });
      const slos = service.app.get(SloService);
      const crm = (await slos.list()).find((slo) => slo.name === 'crm-availability')!;
      const opened = assessmentOf(await sut().evaluate(at(0)), 'crm-availability').incident!;

      await slos.update(crm.id, { enabled: false, reason: 'crm is being replaced' }, { sub: 'op-olga', roles: ['operator'] });
      const assessments = await sut().evaluate(at(1));

      expect(assessments.map((assessment) => assessment.slo.name)).not.toContain('crm-availability');
      const [incident] = (await incidents()).nodes.filter((node) => node.id === opened.incidentId);
      expect(incident).toMatchObject({ status: IncidentStatus.RESOLVED, resolvedAt: at(1) });
      expect(incident.timeline.at(-1)?.message).toBe('crm-availability: resolved, the SLO is disabled');
      await slos.update(crm.id, { enabled: true }, { sub: 'op-olga', roles: ['operator'] });
    });
  });

  describe('leader election', () => {
    const replicas: INestApplication[] = [];
    const keyDir = mkdtempSync(join(tmpdir(), 'concord-sla-replica-keys-'));
    const replica = async (jobs = false) => {
      const { url: databaseUrl } = service.dataSource.options as { url: string };
      const app = await NestFactory.create(
        GovernanceModule.forRoot({
          databaseUrl,
          subgraphs: [],
          jobs,
          logLevel: 'silent',
          audit: { keyDir },
          sla: { now: () => clock.now },
        }),
        { logger: false },
      );
      await app.init();
      replicas.push(app);
      return app;
    };

    afterAll(async () => {
      await Promise.all(replicas.map((app) => app.close()));
      rmSync(keyDir, { recursive: true, force: true });
    });

    it('should let only the replica holding the lock evaluate, and hand over when it stops', async () => {
      await crmTraffic(-HOUR, 0, { perMinute: 100, errorShare: 0.5 });
      clock.now = at(0);
      const first = await replica();
      const second = await replica();

      const together = await Promise.all([first.get(SlaCron).evaluate(), second.get(SlaCron).evaluate()]);
      const again = await Promise.all([second.get(SlaCron).evaluate(), first.get(SlaCron).evaluate()]);
      await first.close();
      const afterHandover = await second.get(SlaCron).evaluate();

      expect(together.filter((result) => result !== null)).toHaveLength(1);
      expect(again.map((result) => result !== null)).toEqual(together.map((result) => result !== null).reverse());
      expect(afterHandover?.map((assessment) => assessment.slo.name)).toContain('crm-availability');
      const [counts] = await service.dataSource.query(
        `SELECT count(*)::int AS incidents, count(DISTINCT slo_id)::int AS slos FROM governance.sla_incident`,
      );
      expect(counts.incidents).toBe(counts.slos);
    });

    it('should schedule the SLA jobs with GOVERNANCE_JOBS on', async () => {
      const scheduled = await replica(true);
      const job = (app: INestApplication, name: string) => app.get(SchedulerRegistry).getCronJob(name);

      expect([SLA_EVALUATION_JOB, SLA_WEBHOOK_JOB, SLA_RETENTION_JOB].map((name) => job(scheduled, name).cronTime.source)).toEqual([
        '15 * * * * *',
        '*/10 * * * * *',
        '0 0-23/1 * * *',
      ]);
      expect(job(scheduled, SLA_EVALUATION_JOB).isActive).toBe(true);
      await scheduled.close();
    });
  });
});
