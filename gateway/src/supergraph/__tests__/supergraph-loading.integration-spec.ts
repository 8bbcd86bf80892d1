import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, postGraphQL, queryData } from '@concord/testing';
import {
  USERS_SDL,
  ordersSchema,
  silentLogger,
  startTestSubgraph,
  usersSchema,
  type TestSubgraph,
} from '../../__tests__/fixtures/test-subgraphs';
import { startGateway, type RunningGateway } from '../../gateway';
import { CompositionError, SubgraphSdlError, composeFromSubgraphs } from '../compose';
import { subgraphsOfSupergraph } from '../supergraph';

const FEDERATION = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';

describe('Supergraph loading', () => {
  const running: { close(): Promise<void> }[] = [];
  let folder: string;

  const subgraph = async (name: string, schema: Parameters<typeof startTestSubgraph>[1], port?: number): Promise<TestSubgraph> => {
    const started = await startTestSubgraph(name, schema, port);
    running.push(started);
    return started;
  };
  const gateway = async (options: Parameters<typeof startGateway>[0]): Promise<RunningGateway> => {
    const started = await startGateway({ port: 0, logger: silentLogger(), composeTimeoutMs: 3_000, ...options });
    running.push(started);
    return started;
  };

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'concord-gateway-'));
  });

  afterEach(async () => {
    for (const item of running.splice(0).reverse()) {
      await item.close();
    }
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  describe('composition at start', () => {
    it('should not start when composition fails, naming each subgraph and each error with its code', async () => {
      const users = await subgraph('users', usersSchema());
      const orders = await subgraph(
        'orders',
        () => `${FEDERATION}\n type Query { orders: [Int] }\n type User @key(fields: "id") { id: ID! name: Int }`,
      );

      const failure = await startGateway({
        port: 0,
        logger: silentLogger(),
        subgraphs: [
          { name: 'users', url: users.url },
          { name: 'orders', url: orders.url },
        ],
      }).catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(CompositionError);
      const message = (failure as CompositionError).message;
      expect(message).toMatch(/^Supergraph composition failed with 2 errors:/);
      expect(message).toContain(`subgraph "orders" (${orders.url}):`);
      expect(message).toContain(`subgraph "users" (${users.url}):`);
      expect(message).toContain('- FIELD_TYPE_MISMATCH: Type of field "User.name" is incompatible across subgraphs');
      expect(message).toContain('- INVALID_FIELD_SHARING: Non-shareable field "User.name"');
      expect((failure as CompositionError).problems.map((problem) => [problem.code, problem.subgraphs])).toEqual([
        ['FIELD_TYPE_MISMATCH', ['orders', 'users']],
        ['INVALID_FIELD_SHARING', ['orders', 'users']],
      ]);
    });

    it('should name the only subgraph an invalid schema error concerns', async () => {
      const users = await subgraph('users', usersSchema());
      const broken = await subgraph('billing', () => `${FEDERATION}\n type Query { invoices: [Invoice] }`);

      const failure = (await composeFromSubgraphs({
        subgraphs: [
          { name: 'users', url: users.url },
          { name: 'billing', url: broken.url },
        ],
      }).catch((error: unknown) => error)) as CompositionError;

      expect(failure).toBeInstanceOf(CompositionError);
      expect(failure.message).toBe(
        `Supergraph composition failed with 1 error:\n  subgraph "billing" (${broken.url}):\n    - INVALID_GRAPHQL: [billing] Unknown type Invoice`,
      );
    });

    it('should wait for a subgraph that starts late, then compose', async () => {
      const users = await subgraph('users', usersSchema());
      const ordersPort = await freePort();
      setTimeout(() => void subgraph('orders', ordersSchema(), ordersPort), 400);

      const composed = await composeFromSubgraphs({
        subgraphs: [
          { name: 'users', url: users.url },
          { name: 'orders', url: `http://127.0.0.1:${ordersPort}/graphql` },
        ],
        timeoutMs: 5_000,
      });

      expect(
        subgraphsOfSupergraph(composed.supergraphSdl)
          .map((endpoint) => endpoint.name)
          .sort(),
      ).toEqual(['orders', 'users']);
    });

    it('should not wait past the start timeout for an unreachable subgraph, and say which one', async () => {
      const users = await subgraph('users', usersSchema());
      const nowhere = `http://127.0.0.1:${await freePort()}/graphql`;
      const started = Date.now();

      const failure = await composeFromSubgraphs({
        subgraphs: [
          { name: 'users', url: users.url },
          { name: 'orders', url: nowhere },
        ],
        timeoutMs: 600,
      }).catch((error: unknown) => error);

      expect(Date.now() - started).toBeLessThan(2_000);
      expect(failure).toBeInstanceOf(SubgraphSdlError);
      expect((failure as Error).message).toMatch(
        new RegExp(
          `^Could not load the schema of subgraph "orders" \\(${nowhere}\\): still unreachable after \\d+ attempts \\(last: ECONNREFUSED\\)$`,
        ),
      );
    });

    it('should not retry an endpoint that answers but is not a federation subgraph', async () => {
      const plain = await subgraph('plain', usersSchema());
      const fake = await subgraph('legacy', usersSchema());
      fake.failWithStatus = 404;

      const failure = await composeFromSubgraphs({
        subgraphs: [
          { name: 'legacy', url: fake.url },
          { name: 'plain', url: plain.url },
        ],
        timeoutMs: 5_000,
      }).catch((error: unknown) => error);

      expect((failure as Error).message).toBe(
        `Could not load the schema of subgraph "legacy" (${fake.url}): HTTP 404 with a non-JSON body`,
      );
      expect(fake.requests).toHaveLength(1);
    });
  });

  describe('SUPERGRAPH_PATH (production mode)', () => {
    it('should serve from a composed supergraph file, with subgraph URLs from the file', async () => {
      const users = await subgraph('users', usersSchema());
      const orders = await subgraph('orders', ordersSchema());
      const { supergraphSdl } = await composeFromSubgraphs({
        subgraphs: [
          { name: 'users', url: users.url },
          { name: 'orders', url: orders.url },
        ],
      });
      const path = join(folder, 'supergraph.graphql');
      await writeFile(path, supergraphSdl);

      const sut = await gateway({ supergraphPath: path, subgraphs: [] });

      const data = await queryData(sut.url, '{ orders { id buyer { name } } }');
      expect(data.orders[0]).toEqual({ id: 'o1', buyer: { name: 'Ada' } });
      const health = (await (await fetch(`${sut.origin}/health`)).json()) as any;
      expect(health.supergraph).toEqual({ loaded: true, source: 'file', hash: createHash('sha256').update(supergraphSdl).digest('hex') });
      expect(health.subgraphs.map((entry: { name: string; url: string }) => [entry.name, entry.url])).toEqual([
        ['orders', orders.url],
        ['users', users.url],
      ]);
    });

    it('should not start from a file that is not a supergraph, naming the file', async () => {
      const path = join(folder, 'not-a-supergraph.graphql');
      await writeFile(path, USERS_SDL);

      await expect(startGateway({ port: 0, logger: silentLogger(), supergraphPath: path })).rejects.toThrow(
        `SUPERGRAPH_PATH ${path} is not a supergraph: it declares no subgraphs (join__Graph)`,
      );
      await expect(startGateway({ port: 0, logger: silentLogger(), supergraphPath: join(folder, 'missing.graphql') })).rejects.toThrow(
        `Cannot read SUPERGRAPH_PATH ${join(folder, 'missing.graphql')}: ENOENT`,
      );
    });
  });

  describe('/health', () => {
    it('should answer 503 "starting" until the supergraph is loaded, then 200', async () => {
      const usersPort = await freePort();
      const sut = await gateway({
        subgraphs: [{ name: 'users', url: `http://127.0.0.1:${usersPort}/graphql` }],
        waitForSupergraph: false,
        composeTimeoutMs: 10_000,
      });

      const before = await fetch(`${sut.origin}/health`);
      const beforeBody = (await before.json()) as any;
      const graphqlBefore = await postGraphQL(sut.url, '{ users { id } }');
      await subgraph('users', usersSchema(), usersPort);
      await sut.ready;
      const after = await fetch(`${sut.origin}/health`);

      expect(before.status).toBe(503);
      expect(beforeBody).toEqual({ status: 'starting', supergraph: { loaded: false, source: null, hash: null }, subgraphs: [] });
      expect(graphqlBefore.status).toBe(503);
      expect(graphqlBefore.errors?.[0].extensions?.code).toBe('SERVICE_UNAVAILABLE');
      expect(after.status).toBe(200);
      expect(((await after.json()) as any).status).toBe('ok');
    });

    it('should include extra health checks: not ready → 503, degraded → "degraded"', async () => {
      const users = await subgraph('users', usersSchema());
      let bundle = { ready: false, degraded: false };
      const sut = await gateway({
        subgraphs: [{ name: 'users', url: users.url }],
        healthChecks: [{ name: 'policy', check: () => ({ ...bundle, details: { version: bundle.ready ? 'v7' : null } }) }],
      });

      const missing = await fetch(`${sut.origin}/health`);
      const missingBody = (await missing.json()) as any;
      bundle = { ready: true, degraded: true };
      const stale = (await (await fetch(`${sut.origin}/health`)).json()) as any;

      expect(missing.status).toBe(503);
      expect(missingBody.checks).toEqual({ policy: { ready: false, degraded: false, details: { version: null } } });
      expect(stale.status).toBe('degraded');
    });
  });

  describe('updateSupergraph', () => {
    it('should swap in a new supergraph without a restart', async () => {
      const users = await subgraph('users', usersSchema());
      const orders = await subgraph('orders', ordersSchema());
      const sut = await gateway({ subgraphs: [{ name: 'users', url: users.url }] });
      const before = await postGraphQL(sut.url, '{ orders { id } }');
      const { supergraphSdl } = await composeFromSubgraphs({
        subgraphs: [
          { name: 'users', url: users.url },
          { name: 'orders', url: orders.url },
        ],
      });

      const updated = await sut.updateSupergraph(supergraphSdl);

      expect(before.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(updated.subgraphs.map((entry) => entry.name).sort()).toEqual(['orders', 'users']);
      expect((await queryData(sut.url, '{ orders { id } }')).orders).toHaveLength(3);
    });
  });
});
