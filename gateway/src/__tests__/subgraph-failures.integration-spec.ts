import { postGraphQL } from '@concord/testing';
import { startFederation, type Federation } from './fixtures/test-subgraphs';

describe('Gateway with a failing subgraph', () => {
  let federation: Federation;
  let url: string;

  beforeAll(async () => {
    federation = await startFederation({ subgraphTimeoutMs: 5_000, subgraphTimeouts: { orders: 300 }, healthCacheMs: 0 });
    url = federation.gateway.url;
  });

  afterAll(async () => {
    await federation?.close();
  });

  afterEach(async () => {
    federation.orders.delayMs = 0;
    federation.orders.failWithStatus = undefined;
    await federation.orders.start();
  });

  it('should give partial data with an error at each path a down subgraph serves', async () => {
    await federation.orders.stop();

    const answer = await postGraphQL(url, '{ users { id name orders { id } } }');

    expect(answer.status).toBe(200);
    expect(answer.data).toEqual({
      users: [
        { id: 'u1', name: 'Ada', orders: null },
        { id: 'u2', name: 'Grace', orders: null },
      ],
    });
    expect(answer.errors?.map((error) => error.path)).toEqual([
      ['users', 0, 'orders'],
      ['users', 1, 'orders'],
    ]);
    expect(answer.errors?.[0]).toMatchObject({
      message: 'Subgraph "orders" is unavailable',
      extensions: { code: 'SERVICE_UNAVAILABLE', reason: 'unreachable', serviceName: 'orders' },
    });
  });

  it('should still answer the root fields of the other subgraphs when one is down', async () => {
    await federation.orders.stop();

    const answer = await postGraphQL(url, '{ users { id } orders { id } }');

    expect(answer.status).toBe(200);
    expect(answer.data).toEqual({ users: [{ id: 'u1' }, { id: 'u2' }], orders: null });
    expect(answer.errors).toEqual([
      {
        message: 'Subgraph "orders" is unavailable',
        path: ['orders'],
        extensions: { code: 'SERVICE_UNAVAILABLE', reason: 'unreachable', serviceName: 'orders' },
      },
    ]);
  });

  it('should give up on a slow subgraph at its own timeout and answer the rest', async () => {
    federation.orders.delayMs = 2_000;
    const started = Date.now();

    const answer = await postGraphQL(url, '{ users { id orders { id } } }');

    expect(Date.now() - started).toBeLessThan(1_500);
    expect(answer.data).toEqual({
      users: [
        { id: 'u1', orders: null },
        { id: 'u2', orders: null },
      ],
    });
    expect(answer.errors?.[0]).toMatchObject({
      message: 'Subgraph "orders" did not answer within 300 ms',
      path: ['users', 0, 'orders'],
      extensions: { code: 'SERVICE_UNAVAILABLE', reason: 'timeout' },
    });
  });

  it('should treat a non-GraphQL answer as a failure of that subgraph only', async () => {
    federation.orders.failWithStatus = 502;

    const answer = await postGraphQL(url, '{ users { id } orders { id } }');

    expect(answer.data).toEqual({ users: [{ id: 'u1' }, { id: 'u2' }], orders: null });
    expect(answer.errors?.[0]).toMatchObject({ path: ['orders'], extensions: { code: 'SERVICE_UNAVAILABLE', reason: 'bad_response' } });
    expect(answer.errors?.[0].message).toMatch(/HTTP 502/);
  });

  it('should report a down subgraph as degraded on /health and recover when it is back', async () => {
    await federation.orders.stop();

    const down = await fetch(`${federation.gateway.origin}/health`);
    const downBody = (await down.json()) as any;
    await federation.orders.start();
    const up = await fetch(`${federation.gateway.origin}/health`);
    const upBody = (await up.json()) as any;

    expect(down.status).toBe(200);
    expect(downBody.status).toBe('degraded');
    expect(downBody.subgraphs).toEqual([
      { name: 'orders', url: federation.orders.url, status: 'down', latencyMs: expect.any(Number), error: 'ECONNREFUSED' },
      { name: 'users', url: federation.users.url, status: 'up', latencyMs: expect.any(Number) },
    ]);
    expect(up.status).toBe(200);
    expect(upBody).toMatchObject({
      status: 'ok',
      supergraph: { loaded: true, source: 'composed', hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    expect(upBody.subgraphs.map((subgraph: { status: string }) => subgraph.status)).toEqual(['up', 'up']);
  });

  it('should count subgraph timeouts and errors in /metrics', async () => {
    federation.orders.delayMs = 1_000;
    await postGraphQL(url, 'query SlowOrders { orders { id } }');
    federation.orders.delayMs = 0;

    const metrics = await (await fetch(`${federation.gateway.origin}/metrics`)).text();

    expect(metrics).toMatch(/concord_gateway_subgraph_fetch_duration_seconds_count\{subgraph="orders",outcome="timeout"\} [1-9]/);
    expect(metrics).toMatch(/concord_gateway_operation_duration_seconds_count\{operation="SlowOrders",type="query",outcome="partial"\} 1/);
    expect(metrics).toMatch(/concord_gateway_errors_total\{code="SERVICE_UNAVAILABLE"\} [1-9]/);
  });
});
