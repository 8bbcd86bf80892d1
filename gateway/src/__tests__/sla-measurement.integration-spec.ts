import { SLA_LATENCY_BUCKETS_MS, type SlaSample } from '@concord/common';
import { postGraphQL } from '@concord/testing';
import { SlaRecorder } from '../metrics/sla-recorder';
import { startFederation, type Federation } from './fixtures/test-subgraphs';

const MINUTE = 60_000;

/** Fetches and operations counted with a latency above `ms` (whole buckets: the bucket's lower bound is at least ms). */
function slowerThan(sample: SlaSample | undefined, ms: number): number {
  return (sample?.latency ?? []).reduce(
    (sum, count, index) => (index > 0 && SLA_LATENCY_BUCKETS_MS[index - 1]! >= ms ? sum + count : sum),
    0,
  );
}

describe('Gateway SLA measurement with a failing and a slow subgraph', () => {
  let federation: Federation;
  let url: string;
  // each test records into a minute of its own: the clock moves a minute before each
  const clock = { now: Date.parse('2026-12-02T18:45:00.000Z') };
  const recorder = new SlaRecorder({ now: () => clock.now, source: 'gw-it' });

  /** this test's samples, by kind and target */
  const samples = () => {
    const minute = new Date(clock.now - (clock.now % MINUTE)).toISOString();
    const mine = recorder.snapshot().filter((sample) => sample.minute === minute);
    return (kind: string, target: string) => mine.find((sample) => sample.kind === kind && sample.target === target);
  };

  beforeAll(async () => {
    federation = await startFederation({
      subgraphTimeoutMs: 5_000,
      subgraphTimeouts: { orders: 300 },
      healthCacheMs: 0,
      coalesceQueries: false,
      slaRecorder: recorder,
    });
    url = federation.gateway.url;
  });

  afterAll(async () => {
    await federation?.close();
  });

  beforeEach(() => {
    clock.now += MINUTE;
  });

  afterEach(() => {
    federation.orders.delayMs = 0;
    federation.orders.failWithStatus = undefined;
    federation.users.delayMs = 0;
  });

  it('should count a subgraph answering 502 as failed fetches of that subgraph and the operation as failed', async () => {
    federation.orders.failWithStatus = 502;

    const answer = await postGraphQL(url, 'query UsersWithOrders { users { id orders { id } } }', undefined, {
      'apollographql-client-name': 'sla-it',
    });
    const sample = samples();

    expect(answer.data).toEqual({
      users: [
        { id: 'u1', orders: null },
        { id: 'u2', orders: null },
      ],
    });
    expect(sample('subgraph', 'orders')).toMatchObject({ total: 1, errors: 1, timeouts: 0, errorCodes: { HTTP_5XX: 1 } });
    expect(sample('subgraph', 'users')).toMatchObject({ total: 1, errors: 0, errorCodes: {} });
    expect(sample('operation', 'UsersWithOrders')).toMatchObject({ total: 1, errors: 1, errorCodes: { SERVICE_UNAVAILABLE: 1 } });
    // no gateway-wide * sample: governance sums the operations for a * SLO
    expect(sample('operation', '*')).toBeUndefined();
    const metrics = await (await fetch(`${federation.gateway.origin}/metrics`)).text();
    expect(metrics).toMatch(/concord_gateway_subgraph_fetch_errors_total\{subgraph="orders",code="HTTP_5XX"\} [1-9]/);
    expect(metrics).not.toMatch(/concord_gateway_subgraph_fetch_errors_total\{subgraph="users"/);
    expect(metrics).toContain('concord_gateway_client_operations_total{client="sla-it",outcome="partial"} 1');
  });

  it('should count a subgraph down as NETWORK failures', async () => {
    await federation.orders.stop();
    try {
      await postGraphQL(url, 'query AllOrders { orders { id } }');
    } finally {
      await federation.orders.start();
    }

    expect(samples()('subgraph', 'orders')).toMatchObject({ total: 1, errors: 1, errorCodes: { NETWORK: 1 } });
  });

  it('should count a subgraph slower than its timeout as a timeout of that subgraph and of the operation', async () => {
    federation.orders.delayMs = 2_000;

    await postGraphQL(url, 'query SlowOrders { users { id orders { id } } }');
    const sample = samples();

    expect(sample('subgraph', 'orders')).toMatchObject({ total: 1, errors: 1, timeouts: 1, errorCodes: { TIMEOUT: 1 } });
    expect(slowerThan(sample('subgraph', 'orders'), 250)).toBe(1);
    expect(sample('subgraph', 'users')).toMatchObject({ total: 1, errors: 0, timeouts: 0 });
    expect(sample('operation', 'SlowOrders')).toMatchObject({ total: 1, errors: 1, timeouts: 1, errorCodes: { SERVICE_UNAVAILABLE: 1 } });
    const metrics = await (await fetch(`${federation.gateway.origin}/metrics`)).text();
    expect(metrics).toMatch(/concord_gateway_subgraph_fetch_errors_total\{subgraph="orders",code="TIMEOUT"\} [1-9]/);
  });

  it('should put the latency of a slow but answering subgraph in its own samples', async () => {
    federation.orders.delayMs = 150;

    const answer = await postGraphQL(url, 'query SlowButFine { users { id orders { id } } }');
    const sample = samples();

    expect(answer.errors).toBeUndefined();
    expect(sample('subgraph', 'orders')).toMatchObject({ total: 1, errors: 0 });
    expect(slowerThan(sample('subgraph', 'orders'), 100)).toBe(1);
    expect(slowerThan(sample('operation', 'SlowButFine'), 100)).toBe(1);
  });

  it('should count refused operations as rejected, not as traffic', async () => {
    await postGraphQL(url, '{ users { id ');
    await postGraphQL(url, 'query Unknown { nope }');
    const sample = samples();

    expect(sample('operation', '__invalid')).toMatchObject({ total: 0, errors: 0, rejected: 2 });
    expect(sample('subgraph', 'users')).toBeUndefined();
  });

  it('should count a fetch shared by identical in-flight ones once, as the subgraph saw it', async () => {
    federation.users.delayMs = 200;
    const before = federation.users.requests.length;

    await Promise.all([1, 2, 3].map(() => postGraphQL(url, 'query SameUsers { users { id } }')));
    const sample = samples();

    expect(sample('operation', 'SameUsers')).toMatchObject({ total: 3, errors: 0 });
    expect(federation.users.requests.length - before).toBe(1);
    expect(sample('subgraph', 'users')).toMatchObject({ total: 1 });
  });

  it('should not count health probes', async () => {
    const health = await fetch(`${federation.gateway.origin}/health`);

    expect(health.status).toBe(200);
    expect(samples()('subgraph', 'users')).toBeUndefined();
  });
});
