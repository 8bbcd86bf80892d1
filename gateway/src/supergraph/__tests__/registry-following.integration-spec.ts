import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postGraphQL, queryData } from '@concord/testing';
import { ordersSchema, silentLogger, startTestSubgraph, usersSchema, type TestSubgraph } from '../../__tests__/fixtures/test-subgraphs';
import { startGateway, type RunningGateway } from '../../gateway';
import { composeFromSubgraphs } from '../compose';

interface Version {
  version: number;
  supergraphSdl: string;
  subgraphs: { name: string; version: number; routingUrl: string | null }[];
}

/** Governance's GET /registry/supergraph as gateways see it: the latest version, ETag "sg-<n>", 304, or a failure. */
class FakeRegistry {
  versions: Version[] = [];
  failWithStatus: number | undefined;
  requests: { ifNoneMatch: string | undefined; authorization: string | undefined }[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      this.requests.push({ ifNoneMatch: request.headers['if-none-match'], authorization: request.headers.authorization });
      const latest = this.versions.at(-1);
      if (this.failWithStatus || !latest) {
        response.writeHead(this.failWithStatus ?? 404, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'no subgraph has published a schema yet' } }));
        return;
      }
      const etag = `"sg-${latest.version}"`;
      if (request.headers['if-none-match'] === etag) {
        response.writeHead(304, { etag });
        response.end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json', etag });
      response.end(JSON.stringify({ ...latest, sha256: String(latest.version).padStart(64, '0') }));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async publish(subgraphs: { name: string; url: string }[], routingUrls = true): Promise<Version> {
    const { supergraphSdl } = await composeFromSubgraphs({ subgraphs });
    const version: Version = {
      version: this.versions.length + 1,
      // a subgraph published without a routing URL: the registry names an unroutable host
      supergraphSdl: routingUrls
        ? supergraphSdl
        : subgraphs.reduce((sdl, subgraph) => sdl.replace(subgraph.url, `http://${subgraph.name}.subgraph.invalid/graphql`), supergraphSdl),
      subgraphs: subgraphs.map((subgraph) => ({ name: subgraph.name, version: 1, routingUrl: routingUrls ? subgraph.url : null })),
    };
    this.versions.push(version);
    return version;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() > deadline) {
      return value;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('Following the schema registry', () => {
  const running: { close(): Promise<void> }[] = [];
  let registry: FakeRegistry;
  let users: TestSubgraph;
  let orders: TestSubgraph;

  const gateway = async (requiredSubgraphs: string[], fallbacks: { name: string; url: string }[] = []): Promise<RunningGateway> => {
    const started = await startGateway({
      port: 0,
      logger: silentLogger(),
      composeTimeoutMs: 10_000,
      subgraphs: fallbacks,
      registry: { governanceUrl: registry.url, headers: { authorization: 'Bearer s3cret' }, pollMs: 50, requiredSubgraphs },
    });
    running.push(started);
    return started;
  };

  beforeEach(async () => {
    registry = new FakeRegistry();
    await registry.start();
    users = await startTestSubgraph('users', usersSchema());
    orders = await startTestSubgraph('orders', ordersSchema());
    running.push(registry, users, orders);
  });

  afterEach(async () => {
    for (const item of running.splice(0).reverse()) {
      await item.close();
    }
  });

  it('should wait until the registry has every required subgraph, then serve its supergraph', async () => {
    const starting = gateway(['users', 'orders']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await registry.publish([{ name: 'users', url: users.url }]);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await registry.publish([
      { name: 'users', url: users.url },
      { name: 'orders', url: orders.url },
    ]);

    const sut = await starting;

    expect(sut.supergraph()).toMatchObject({ source: 'registry', version: 2 });
    expect((await queryData(sut.url, '{ orders { id buyer { name } } }')).orders).toHaveLength(3);
    expect(registry.requests.every((request) => request.authorization === 'Bearer s3cret')).toBe(true);
  });

  it('should load a newly published version within a poll, asking with If-None-Match meanwhile', async () => {
    await registry.publish([{ name: 'users', url: users.url }]);
    const sut = await gateway(['users']);
    const before = await postGraphQL(sut.url, '{ orders { id } }');

    await registry.publish([
      { name: 'users', url: users.url },
      { name: 'orders', url: orders.url },
    ]);
    const after = await eventually(
      () => postGraphQL(sut.url, '{ orders { id } }'),
      (result) => !result.errors,
    );

    expect(before.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(after.data?.orders).toHaveLength(3);
    expect(sut.supergraph()?.version).toBe(2);
    expect(registry.requests.some((request) => request.ifNoneMatch === '"sg-1"')).toBe(true);
    const health = (await (await fetch(`${sut.origin}/health`)).json()) as any;
    expect(health.checks.supergraph.details).toMatchObject({ version: 2, registry: `${registry.url}/registry/supergraph` });
  });

  it('should finish the operations in flight when a new version moves a subgraph to another URL', async () => {
    await registry.publish([
      { name: 'users', url: users.url },
      { name: 'orders', url: orders.url },
    ]);
    const sut = await gateway(['users', 'orders']);
    const movedOrders = await startTestSubgraph('orders', ordersSchema());
    running.push(movedOrders);
    orders.delayMs = 400;

    const inFlight = Array.from({ length: 20 }, () => postGraphQL(sut.url, '{ orders { id total } }'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await registry.publish([
      { name: 'users', url: users.url },
      { name: 'orders', url: movedOrders.url },
    ]);
    await eventually(
      async () => sut.supergraph()?.version,
      (version) => version === 2,
    );
    const results = await Promise.all(inFlight);
    const next = await queryData(sut.url, '{ orders { id } }');

    expect(results.map((result) => result.errors ?? result.data?.orders.length)).toEqual(Array(20).fill(3));
    expect(next.orders).toHaveLength(3);
    expect(movedOrders.requests.length).toBeGreaterThan(0);
  });

  it('should skip a version it cannot load, keep serving, and take the next valid one', async () => {
    await registry.publish([{ name: 'users', url: users.url }]);
    const sut = await gateway(['users']);
    registry.versions.push({ version: 2, supergraphSdl: 'type Query { broken: Int }', subgraphs: [] });

    const health = await eventually(
      async () => (await (await fetch(`${sut.origin}/health`)).json()) as any,
      (body) => body.checks.supergraph.details.skippedVersion === 2,
    );
    const still = await queryData(sut.url, '{ users { name } }');
    await registry.publish([
      { name: 'users', url: users.url },
      { name: 'orders', url: orders.url },
    ]);

    expect(health.checks.supergraph.details).toMatchObject({ version: 1, skippedVersion: 2 });
    expect(still.users).toHaveLength(2);
    await eventually(
      async () => sut.supergraph()?.version,
      (version) => version === 3,
    );
    expect(sut.supergraph()?.version).toBe(3);
  });

  it('should keep serving while the registry is down', async () => {
    await registry.publish([{ name: 'users', url: users.url }]);
    const sut = await gateway(['users']);
    registry.failWithStatus = 503;

    const health = await eventually(
      async () => (await (await fetch(`${sut.origin}/health`)).json()) as any,
      (body) => Boolean(body.checks.supergraph.details.lastError),
    );

    expect(health.checks.supergraph.details.lastError).toContain('503');
    expect((await queryData(sut.url, '{ users { name } }')).users).toHaveLength(2);
  });

  it('should route a subgraph published without a routing URL to the URL the gateway was given', async () => {
    await registry.publish([{ name: 'users', url: users.url }], false);

    const sut = await gateway(['users'], [{ name: 'users', url: users.url }]);

    expect(sut.supergraph()?.subgraphs).toEqual([{ name: 'users', url: users.url }]);
    expect((await queryData(sut.url, '{ users { name } }')).users).toHaveLength(2);
  });

  it('should fail to start, naming what is missing, when the registry never has the required subgraphs', async () => {
    await registry.publish([{ name: 'users', url: users.url }]);

    const failure = startGateway({
      port: 0,
      logger: silentLogger(),
      composeTimeoutMs: 1_500,
      registry: { governanceUrl: registry.url, pollMs: 50, requiredSubgraphs: ['users', 'orders'] },
    });

    await expect(failure).rejects.toThrow(/No supergraph from the schema registry .* supergraph version 1 lacks orders/);
  });
});
