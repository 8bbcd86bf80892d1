import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@concord/common';
import {
  createGatewayIdentity,
  createGatewayPolicy,
  createSlaReporting,
  startGateway,
  type GatewayPolicy,
  type RunningGateway,
  type SlaReporting,
} from '@concord/gateway';
import { GovernanceModule, SlaCron, SloState, type SloAssessment } from '@concord/governance';
import { defaultPolicyBundle } from '@concord/policy';
import {
  postGraphQL,
  testCallerKeys,
  testContextKeys,
  TEST_JWT_AUDIENCE,
  TEST_JWT_ISSUER,
  useTestService,
  type GraphQLResponse,
} from '@concord/testing';
import { ordersSchema, startTestSubgraph, usersSchema, type TestSubgraph } from '../../gateway/src/__tests__/fixtures/test-subgraphs';
import { bearerFor, E2E_CALLER } from './support/stack';

/**
 * SLA monitoring end to end (issue 5, ARCHITECTURE.md §8): a real Concord gateway in front of two small subgraphs
 * measures every fetch and ships per-minute samples to an in-process governance (POST /sla/samples); governance runs
 * its SLA jobs as the scheduler would (SlaCron), on the same fake clock as the gateway's recorder. A failing and slow
 * `orders` subgraph opens page incidents, a signed webhook tells a receiver, the operator reads incidents and the day's
 * report through the gateway, and once the 5-minute short window is clean again the incidents resolve.
 */

type Caller = { sub: string; roles: readonly string[] };

const OPERATOR: Caller = { sub: 'op-olga', roles: ['operator'] };
const AUDITOR: Caller = { sub: 'aud-ada', roles: ['auditor'] };
const WEBHOOK_SECRET = 'sla-e2e-webhook-secret';
const INTERNAL_TOKEN = 'sla-e2e-internal-token';
const MINUTE_MS = 60_000;

/** The fault minute; the day the operator reports on is its day. */
const FAULT_MINUTE = Date.parse('2026-12-02T00:30:00.000Z');
const TODAY = '2026-12-02';
const YESTERDAY = '2026-12-01';
/** Yesterday evening's traffic: in the 6 h and 3 d windows of today's evaluations, not in their 1 h window. */
const BASELINE_MINUTE = Date.parse('2026-12-01T22:00:00.000Z');
const BASELINE_REQUESTS = 1_000;
/** The slow subgraph answers after SLOW_MS, beyond the latency SLO's threshold. */
const LATENCY_THRESHOLD_MS = 500;
const SLOW_MS = 1_000;
const CONCURRENT_REQUESTS = 5;

/** Reads users and orders in parallel: with orders failing the users still come back (§10 partial data). */
const DASHBOARD = 'query Dashboard { users { id name } orders { id total } }';
const CREATE_SLO = `mutation CreateSlo($input: CreateServiceLevelObjectiveInput!) {
  createServiceLevelObjective(input: $input) { id name target indicator objective latencyThresholdMs createdBy } }`;
const INCIDENTS = `query Incidents($status: IncidentStatus) {
  incidents(status: $status, first: 50) {
    edges { node { id status severity burnFactor burnRate summary openedAt resolvedAt slo { name }
      timeline { at kind severity message actor } } }
  } }`;
const REPORT = `query Report($from: String!, $to: String!) {
  slaReport(kind: SUBGRAPH, target: "orders", from: $from, to: $to) {
    objectives { name }
    days { date total errors availability p50 p95 p99 budgets { slo { name objective } events bad remaining } incidents { id status } }
  } }`;
const LEDGER = `query Ledger($filter: AuditEventFilter) {
  auditEvents(filter: $filter, order: ASC) { edges { node { action service actor { sub } entity entityId after reason } } } }`;

interface Dashboard {
  users: { id: string; name: string }[];
  orders: { id: string; total: string }[] | null;
}

interface IncidentNode {
  id: string;
  status: string;
  severity: string;
  burnFactor: number;
  burnRate: number;
  summary: string;
  openedAt: string;
  resolvedAt: string | null;
  slo: { name: string };
  timeline: { at: string; kind: string; severity: string | null; message: string; actor: string }[];
}

interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/** The operator's webhook endpoint: records every delivery attempt and answers 503 to the very first one. */
class WebhookReceiver {
  readonly deliveries: Delivery[] = [];
  url = '';
  private server: Server | undefined;

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const status = this.deliveries.length === 0 ? 503 : 200;
        this.deliveries.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), status });
        response.writeHead(status).end();
      });
    });
    const server = this.server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/sla`;
  }

  /** The accepted notifications of this type about this incident, parsed. */
  accepted(type: string, incidentId: string): (Delivery & { payload: any })[] {
    return this.deliveries
      .filter((delivery) => delivery.status === 200)
      .map((delivery) => ({ ...delivery, payload: JSON.parse(delivery.body) }))
      .filter(({ payload }) => payload.type === type && payload.incident.id === incidentId);
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

/** What a receiver recomputes: HMAC-SHA256 of "<x-concord-timestamp>.<body>" with the shared secret. */
function expectedSignature(delivery: Delivery): string {
  const timestamp = String(delivery.headers['x-concord-timestamp']);
  return `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(`${timestamp}.${delivery.body}`).digest('hex')}`;
}

/** The policy the gateway enforces: the default bundle, plus the test subgraphs' fields as INTERNAL. */
function policyFile(directory: string): string {
  const bundle = defaultPolicyBundle();
  for (const coordinate of ['Query.users', 'User.id', 'User.name', 'Query.orders', 'Order.id', 'Order.total']) {
    bundle.classifications[coordinate] = 'INTERNAL';
  }
  const path = join(directory, 'policy.json');
  writeFileSync(path, JSON.stringify(bundle));
  return path;
}

describe('SLA incident from a failing subgraph to its resolution (gateway → governance → webhook)', () => {
  let clock = new Date(BASELINE_MINUTE);
  const receiver = new WebhookReceiver();
  // before governance starts: its webhook URL is the receiver's
  beforeAll(() => receiver.start());
  afterAll(() => receiver.stop());
  let keyDir = '';
  beforeAll(() => {
    keyDir = mkdtempSync(join(tmpdir(), 'concord-sla-e2e-'));
  });
  afterAll(() => rmSync(keyDir, { recursive: true, force: true }));
  const governance = useTestService(
    (databaseUrl) =>
      GovernanceModule.forRoot({
        databaseUrl,
        subgraphs: [],
        jobs: false,
        logLevel: 'silent',
        poolSize: 10,
        audit: { keyDir },
        internalToken: INTERNAL_TOKEN,
        sla: { now: () => clock, webhookUrl: receiver.url, webhookSecret: WEBHOOK_SECRET, webhookBackoffMs: 1_000 },
      }),
    'governance',
  );

  let users: TestSubgraph;
  let orders: TestSubgraph;
  let policy: GatewayPolicy;
  let sla: SlaReporting;
  let gateway: RunningGateway;
  let appHeaders: Record<string, string>;
  /** the orders incidents, by SLO name, once opened */
  const opened = new Map<string, IncidentNode>();

  const setClock = (at: number) => {
    clock = new Date(at);
  };
  const as = async (caller: Caller, query: string, variables?: Record<string, unknown>) => {
    const answer = await postGraphQL(gateway.url, query, variables, await bearerFor(caller));
    expect(answer.errors).toBeUndefined();
    return answer.data!;
  };
  /** `count` Dashboard requests of the app, a few at a time (more would queue them and measure the queue, not orders). */
  const dashboards = async (count: number): Promise<GraphQLResponse<Dashboard>[]> => {
    const answers: GraphQLResponse<Dashboard>[] = [];
    for (let sent = 0; sent < count; sent += CONCURRENT_REQUESTS) {
      const batch = Array.from({ length: Math.min(CONCURRENT_REQUESTS, count - sent) }, () =>
        postGraphQL<Dashboard>(gateway.url, DASHBOARD, undefined, appHeaders),
      );
      answers.push(...(await Promise.all(batch)));
    }
    return answers;
  };
  const healthyDashboards = async (count: number) => {
    const answers = await dashboards(count);
    expect(answers.filter((answer) => answer.errors !== undefined)).toEqual([]);
  };
  /** Ships what the gateway recorded (the real path: POST /sla/samples); every finished minute must be accepted. */
  const ship = async () => {
    await sla.flush();
    expect(sla.recorder!.pendingMinutes).toBe(0);
  };
  /** One run of the SLA evaluation job at the clock's time (the scheduler runs it 15 s into each minute). */
  const evaluateAt = async (at: number): Promise<SloAssessment[]> => {
    setClock(at);
    await ship();
    const assessments = await governance.app.get(SlaCron).evaluate();
    expect(assessments).not.toBeNull();
    return assessments!;
  };
  const assessmentOf = (assessments: SloAssessment[], name: string) => assessments.find((assessment) => assessment.slo.name === name);
  const incidents = async (status?: 'OPEN' | 'RESOLVED'): Promise<IncidentNode[]> =>
    (await as(OPERATOR, INCIDENTS, { status })).incidents.edges.map((edge: { node: IncidentNode }) => edge.node);

  beforeAll(async () => {
    const logger = createLogger('gateway', 'silent');
    users = await startTestSubgraph('users', usersSchema());
    orders = await startTestSubgraph('orders', ordersSchema());
    policy = createGatewayPolicy({ enabled: true, policyPath: policyFile(keyDir), pollMs: 60_000, mode: 'filter' }, logger);
    await policy.start();
    sla = createSlaReporting(
      {
        enabled: true,
        governanceUrl: governance.url,
        governanceToken: INTERNAL_TOKEN,
        // no background rounds: the test ships explicitly
        reportMs: 3_600_000,
        recorder: { now: () => clock.getTime(), source: 'gateway-e2e' },
      },
      logger,
    );
    const identity = createGatewayIdentity(
      {
        jwtPublicKey: testCallerKeys().publicKeyPem,
        issuer: TEST_JWT_ISSUER,
        audience: TEST_JWT_AUDIENCE,
        contextSigningKey: testContextKeys().privateKeyPem,
      },
      { logger },
    );
    gateway = await startGateway({
      ...identity.options,
      operationSteps: policy.operationSteps,
      healthChecks: policy.healthChecks,
      slaRecorder: sla.recorder,
      port: 0,
      subgraphs: [
        { name: 'users', url: users.url },
        { name: 'orders', url: orders.url },
        { name: 'governance', url: governance.graphqlUrl },
      ],
      subgraphTimeoutMs: 5_000,
      // every request its own fetch: the samples count what the clients sent
      dedupeSubgraphQueries: false,
      coalesceQueries: false,
      healthCacheMs: 0,
      logger,
    });
    await gateway.ready;
    appHeaders = await bearerFor(E2E_CALLER);
  });

  afterAll(async () => {
    await gateway?.close();
    await sla?.stop();
    await policy?.stop();
    await users?.close();
    await orders?.close();
  });

  it('should open a page incident for the availability and the latency of orders when it fails and slows down', async () => {
    // Arrange: the operator promises 99 % of orders' fetches succeed and 99 % answer within 500 ms
    const availability = await as(OPERATOR, CREATE_SLO, {
      input: { name: 'orders-availability', kind: 'SUBGRAPH', target: 'orders', indicator: 'AVAILABILITY', objective: 0.99 },
    });
    await as(OPERATOR, CREATE_SLO, {
      input: {
        name: 'orders-latency',
        kind: 'SUBGRAPH',
        target: 'orders',
        indicator: 'LATENCY',
        objective: 0.99,
        latencyThresholdMs: LATENCY_THRESHOLD_MS,
      },
    });
    expect(availability.createServiceLevelObjective).toMatchObject({ target: 'orders', objective: 0.99, createdBy: OPERATOR.sub });
    setClock(BASELINE_MINUTE + 10_000);
    await healthyDashboards(BASELINE_REQUESTS);
    // a healthy minute just before the fault
    setClock(FAULT_MINUTE - MINUTE_MS + 10_000);
    await healthyDashboards(10);

    // Act: in the fault minute orders answers 500 to four requests, then takes a second over four more
    setClock(FAULT_MINUTE + 10_000);
    orders.failWithStatus = 500;
    const failed = await dashboards(4);
    orders.failWithStatus = undefined;
    orders.delayMs = SLOW_MS;
    const slow = await dashboards(4);
    orders.delayMs = 0;
    const assessments = await evaluateAt(FAULT_MINUTE + MINUTE_MS + 15_000);

    // Assert: partial data while orders failed, all of it while slow
    for (const answer of failed) {
      expect(answer.data).toEqual({ users: [expect.objectContaining({ id: 'u1' }), expect.objectContaining({ id: 'u2' })], orders: null });
      expect(answer.errors?.[0]?.path).toEqual(['orders']);
    }
    expect(slow.every((answer) => answer.errors === undefined && answer.data?.orders?.length === 3)).toBe(true);
    // 4 of orders' 18 fetches in the last hour failed: a burn of 22.2× the 1 % budget over 1 h and 5 min; yesterday
    // evening's 1,000 keep the 6 h and 3 d windows within budget, so only the fast page pair fires
    const ordersAvailability = assessmentOf(assessments, 'orders-availability')!;
    expect(ordersAvailability).toMatchObject({
      state: SloState.FIRING,
      severity: 'PAGE',
      message: 'firing: 1 h/5 min',
      incident: { change: 'opened', severity: 'PAGE' },
    });
    expect(
      ordersAvailability.pairs.map((pair) => [pair.longMinutes, pair.long.events, pair.long.bad, pair.short.events, pair.short.bad]),
    ).toEqual([
      [60, 18, 4, 18, 4],
      [360, 1_018, 4, 18, 4],
      [4_320, 1_018, 4, 1_018, 4],
    ]);
    // the four slow fetches (at least: a healthy one may be slow on a busy machine)
    expect(assessmentOf(assessments, 'orders-latency')).toMatchObject({
      state: SloState.FIRING,
      severity: 'PAGE',
      message: 'firing: 1 h/5 min',
      incident: { change: 'opened' },
    });
    expect(assessmentOf(assessments, 'orders-latency')!.pairs[0].long.bad).toBeGreaterThanOrEqual(4);
    // the failed fetches failed the operations too: the gateway-wide operations SLO pages as well
    expect(assessmentOf(assessments, 'operations-availability')).toMatchObject({ state: SloState.FIRING, incident: { change: 'opened' } });
    // the other subgraphs' SLOs see no (crm, erp, psa) or little (governance) traffic: no incident
    expect(
      assessments
        .filter((assessment) => assessment.incident)
        .map((assessment) => assessment.slo.name)
        .sort(),
    ).toEqual(['operations-availability', 'orders-availability', 'orders-latency']);
  });

  it('should show the operator the open incidents, named by their firing window pair, through the gateway', async () => {
    const open = await incidents('OPEN');

    expect(open.map((incident) => incident.slo.name).sort()).toEqual(['operations-availability', 'orders-availability', 'orders-latency']);
    for (const incident of open) {
      opened.set(incident.slo.name, incident);
    }
    expect(opened.get('orders-availability')).toMatchObject({
      severity: 'PAGE',
      burnFactor: 14.4,
      summary: 'orders-availability: burn 22.22× over 1 h and 22.22× over 5 min (page above 14.4×)',
      openedAt: '2026-12-02T00:31:15.000Z',
      resolvedAt: null,
      timeline: [{ kind: 'OPENED', severity: 'PAGE', actor: 'sla-evaluator', at: '2026-12-02T00:31:15.000Z' }],
    });
    expect(opened.get('orders-availability')!.burnRate).toBeCloseTo(4 / 18 / 0.01, 6);
    expect(opened.get('orders-latency')).toMatchObject({
      severity: 'PAGE',
      burnFactor: 14.4,
      summary: expect.stringMatching(/^orders-latency: burn [\d.]+× over 1 h and [\d.]+× over 5 min \(page above 14\.4×\)$/),
    });
  });

  it('should notify the webhook of each opened incident, signed, retrying the attempt that failed with the same event id', async () => {
    // the first attempt got a 503: the retry is due a (fake) second later, at the next delivery round
    setClock(FAULT_MINUTE + MINUTE_MS + 25_000);
    const outcome = await governance.app.get(SlaCron).deliver();

    expect(outcome).toEqual({ delivered: 1, retried: 0, failed: 0 });
    const [refused, ...rest] = receiver.deliveries;
    expect(refused.status).toBe(503);
    expect(rest.map((delivery) => delivery.headers['x-concord-event-id'])).toContain(refused.headers['x-concord-event-id']);
    expect(rest).toHaveLength(3);
    const incident = opened.get('orders-availability')!;
    const [notification] = receiver.accepted('incident.opened', incident.id);
    expect(notification.headers['x-concord-signature']).toBe(expectedSignature(notification));
    expect(notification.headers['x-concord-event-id']).toBe(notification.payload.id);
    expect(notification.payload).toMatchObject({
      type: 'incident.opened',
      occurredAt: '2026-12-02T00:31:15.000Z',
      incident: { id: incident.id, status: 'OPEN', severity: 'PAGE', summary: incident.summary, resolvedAt: null },
      // kind and indicator as the samples spell them
      slo: { name: 'orders-availability', kind: 'subgraph', target: 'orders', indicator: 'availability', objective: 0.99 },
    });
  });

  it("should report today's availability of orders below its target and part of its error budget spent", async () => {
    const { slaReport } = await as(OPERATOR, REPORT, { from: YESTERDAY, to: TODAY });

    expect(slaReport.objectives.map((slo: { name: string }) => slo.name)).toEqual(['orders-availability', 'orders-latency']);
    const [yesterday, today] = slaReport.days;
    expect(yesterday).toMatchObject({ date: YESTERDAY, total: BASELINE_REQUESTS, errors: 0, availability: 1, incidents: [] });
    expect(today).toMatchObject({ date: TODAY, total: 18, errors: 4 });
    expect(today.availability).toBeCloseTo(14 / 18, 6);
    expect(today.availability).toBeLessThan(0.99);
    // four of the 18 fetches took a second: the 95th percentile lies beyond the threshold
    expect(today.p95).toBeGreaterThan(LATENCY_THRESHOLD_MS);
    const budget = today.budgets.find((entry: { slo: { name: string } }) => entry.slo.name === 'orders-availability');
    // over the SLO's 28 days: 4 bad of 1,018, 39 % of the 1 % budget spent
    expect(budget).toMatchObject({ events: 1_018, bad: 4 });
    expect(budget.remaining).toBeCloseTo(1 - 4 / 1_018 / 0.01, 6);
    expect(today.incidents.map((incident: { id: string }) => incident.id).sort()).toEqual(
      [opened.get('orders-availability')!.id, opened.get('orders-latency')!.id].sort(),
    );
  });

  it('should keep the incidents open while the 5-minute window holds the fault, and resolve them once it is clean', async () => {
    const stillFiring: string[][] = [];
    let resolving: SloAssessment[] = [];

    // Act: orders healthy again; two requests a minute; the evaluation job every minute
    for (let minute = 1; minute <= 5; minute += 1) {
      setClock(FAULT_MINUTE + minute * MINUTE_MS + 30_000);
      await healthyDashboards(2);
      const assessments = await evaluateAt(FAULT_MINUTE + (minute + 1) * MINUTE_MS + 15_000);
      if (minute < 5) {
        stillFiring.push(
          ['orders-availability', 'orders-latency'].filter((name) => assessmentOf(assessments, name)?.state === SloState.FIRING),
        );
        // firing on, nothing new to tell
        expect(assessments.filter((assessment) => assessment.slo.target === 'orders' && assessment.incident)).toEqual([]);
      } else {
        resolving = assessments;
      }
    }

    // Assert: until 00:35 the 5 min window [t − 5 min, t) holds the fault minute; at 00:36 it no longer does
    expect(stillFiring).toEqual(Array.from({ length: 4 }, () => ['orders-availability', 'orders-latency']));
    expect(assessmentOf(resolving, 'orders-availability')).toMatchObject({
      state: SloState.OK,
      incident: { change: 'resolved', message: 'orders-availability: resolved, no burn-rate pair fires any more' },
    });
    expect(assessmentOf(resolving, 'orders-latency')).toMatchObject({ incident: { change: 'resolved' } });
    expect(await incidents('OPEN')).toEqual([]);
    const resolved = (await incidents('RESOLVED')).find((incident) => incident.id === opened.get('orders-availability')!.id);
    expect(resolved).toMatchObject({
      status: 'RESOLVED',
      openedAt: '2026-12-02T00:31:15.000Z',
      resolvedAt: '2026-12-02T00:36:15.000Z',
      timeline: [
        { kind: 'OPENED', at: '2026-12-02T00:31:15.000Z' },
        { kind: 'RESOLVED', at: '2026-12-02T00:36:15.000Z', message: 'orders-availability: resolved, no burn-rate pair fires any more' },
      ],
    });
  });

  it('should notify the webhook of the resolution of the same incident, signed', async () => {
    const incident = opened.get('orders-availability')!;

    const resolutions = receiver.accepted('incident.resolved', incident.id);

    expect(resolutions).toHaveLength(1);
    const [resolution] = resolutions;
    const [opening] = receiver.accepted('incident.opened', incident.id);
    expect(resolution.headers['x-concord-signature']).toBe(expectedSignature(resolution));
    expect(resolution.headers['x-concord-event-id']).toBe(resolution.payload.id);
    expect(resolution.payload.id).not.toBe(opening.payload.id);
    expect(resolution.payload).toMatchObject({
      type: 'incident.resolved',
      occurredAt: '2026-12-02T00:36:15.000Z',
      incident: { id: incident.id, status: 'RESOLVED', openedAt: '2026-12-02T00:31:15.000Z', resolvedAt: '2026-12-02T00:36:15.000Z' },
      slo: { name: 'orders-availability' },
    });
  });

  it('should hold the opening and the resolution in the audit ledger, for auditors', async () => {
    const incident = opened.get('orders-availability')!;

    const { auditEvents } = await as(AUDITOR, LEDGER, { filter: { entity: 'Incident', entityId: incident.id } });

    expect(auditEvents.edges.map((edge: { node: unknown }) => edge.node)).toEqual([
      expect.objectContaining({
        action: 'incident.open',
        service: 'governance',
        actor: { sub: 'sla-evaluator' },
        after: expect.objectContaining({ status: 'OPEN', severity: 'PAGE', sloName: 'orders-availability' }),
        reason: incident.summary,
      }),
      expect.objectContaining({
        action: 'incident.resolve',
        actor: { sub: 'sla-evaluator' },
        after: expect.objectContaining({ status: 'RESOLVED', sloName: 'orders-availability' }),
        reason: 'orders-availability: resolved, no burn-rate pair fires any more',
      }),
    ]);
  });
});
