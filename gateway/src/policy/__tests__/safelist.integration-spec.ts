import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { ErrorCode, operationId, type Logger, type OperationSafelist } from '@concord/common';
import { postGraphQL } from '@concord/testing';
import { silentLogger, startFederation, type Federation } from '../../__tests__/fixtures/test-subgraphs';
import { GatewayErrorCode, GatewayRequestError } from '../../http/request-error';
import type { Authenticator } from '../../pipeline/pipeline.types';
import { createGatewayPolicy } from '../gateway-policy';
import { SafelistStore } from '../safelist-store';
import { createSafelistStep, SAFELIST_STEP, type SafelistMode, type SafelistStep } from '../safelist.step';

const USERS = 'query Users { users { id name } }';
const USERS_REFORMATTED = `
  # the same operation, laid out differently
  query Users {
    users {
      id,
      name
    }
  }`;
const ORDERS = 'query Orders { orders { id total } }';

const WEB = { 'apollographql-client-name': 'web', 'apollographql-client-version': '1.0.0' };
const STAFF = { authorization: 'Bearer s1:staff' };

/** "Bearer <sub>:<role>,<role>" → caller (JWT verification has its own tests). */
const authenticate: Authenticator = (headers) => {
  const [sub, roles] = headers.authorization?.replace(/^Bearer /, '').split(':') ?? [];
  if (!sub || roles === undefined) {
    throw GatewayRequestError.refused(ErrorCode.UNAUTHENTICATED, 'Missing token');
  }
  return { sub, roles: roles.split(',').filter(Boolean) };
};

/** Governance's GET /registry/safelist (and the policy bundle) as a test controls it: list, ETag, failures. */
class FakeGovernance {
  list: OperationSafelist = { clients: [] };
  /** answer /registry/safelist with this status instead of the list */
  failWith: number | undefined;
  readonly safelistRequests: IncomingHttpHeaders[] = [];
  bundle: unknown;
  private server: Server | undefined;
  url = '';

  register(clientName: string, clientVersion: string, ...documents: string[]): void {
    const existing = this.list.clients.find((client) => client.clientName === clientName && client.clientVersion === clientVersion);
    const ids = documents.map((document) => operationId(document));
    if (existing) {
      existing.operationIds = [...new Set([...existing.operationIds, ...ids])].sort();
    } else {
      this.list.clients.push({ clientName, clientVersion, operationIds: ids.sort() });
    }
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      request.resume();
      if (request.url === '/registry/safelist') {
        this.safelistRequests.push(request.headers);
        if (this.failWith) {
          response.writeHead(this.failWith).end('{"error":{"message":"down for the test"}}');
          return;
        }
        const body = JSON.stringify(this.list);
        const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;
        if (request.headers['if-none-match'] === etag) {
          response.writeHead(304, { etag }).end();
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json', etag }).end(body);
        return;
      }
      if (request.url === '/policy/bundle' && this.bundle) {
        response.writeHead(200, { 'content-type': 'application/json', etag: '"v1"' }).end(JSON.stringify(this.bundle));
        return;
      }
      response.writeHead(404).end();
    });
    const server = this.server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (server) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
  }
}

/** A logger whose lines the test reads. */
function capturingLogger(): { logger: Logger; lines: { level: number; msg: string; [key: string]: unknown }[] } {
  const lines: { level: number; msg: string }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

/** Resolves with the next list the store puts in force. */
function nextChange(store: SafelistStore): Promise<void> {
  return new Promise((resolve) => {
    const unsubscribe = store.onChange(() => {
      unsubscribe();
      resolve();
    });
  });
}

describe('operation safelist (gateway)', () => {
  const governance = new FakeGovernance();

  beforeAll(() => governance.start());
  afterAll(() => governance.close());

  describe.each<[Exclude<SafelistMode, 'off'>]>([['on'], ['report']])('SAFELIST=%s', (mode) => {
    let federation: Federation;
    let store: SafelistStore;
    let step: SafelistStep;
    const log = capturingLogger();

    beforeAll(async () => {
      governance.list = { clients: [] };
      governance.register('web', '1.0.0', USERS);
      store = new SafelistStore({ url: `${governance.url}/registry/safelist`, pollMs: 60_000, logger: silentLogger() });
      await store.start();
      step = createSafelistStep({ mode, store, logger: log.logger });
      federation = await startFederation({ authenticate, operationSteps: [step] });
    });

    afterAll(async () => {
      await store.stop();
      await federation.close();
    });

    const run = (query: string, headers: Record<string, string> = {}) =>
      postGraphQL(federation.gateway.url, query, undefined, { ...STAFF, ...WEB, ...headers });

    it('should run an operation the client version registered', async () => {
      const result = await run(USERS);

      expect(result.status).toBe(200);
      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual({ users: [expect.objectContaining({ id: 'u1' }), expect.objectContaining({ id: 'u2' })] });
    });

    it('should take the same operation with other whitespace, commas and comments as registered', async () => {
      const result = await run(USERS_REFORMATTED);

      expect(result.status).toBe(200);
      expect(result.data?.users).toHaveLength(2);
    });

    if (mode === 'on') {
      it('should refuse an operation the client version did not register with 403 OPERATION_NOT_REGISTERED, saying how to register it', async () => {
        const fetched = federation.orders.requests.length;

        const result = await run(ORDERS);

        expect(result.status).toBe(403);
        expect(result.data).toBeUndefined();
        expect(result.errors).toEqual([
          {
            message:
              `Operation Orders (id ${operationId(ORDERS)}) is not registered for client web@1.0.0: register it with ` +
              'npm run operations:register -- --client web --client-version 1.0.0 <file.graphql>',
            extensions: {
              code: GatewayErrorCode.OPERATION_NOT_REGISTERED,
              clientName: 'web',
              clientVersion: '1.0.0',
              operationId: operationId(ORDERS),
            },
          },
        ]);
        expect(federation.orders.requests).toHaveLength(fetched);
      });

      it('should not let another version of the client run what one version registered', async () => {
        const result = await run(USERS, { 'apollographql-client-version': '1.0.1' });

        expect(result.status).toBe(403);
        expect(result.errors?.[0].extensions).toMatchObject({ code: GatewayErrorCode.OPERATION_NOT_REGISTERED, clientVersion: '1.0.1' });
      });

      it('should refuse clients that do not say who they are', async () => {
        const anonymous = await run(USERS, { 'apollographql-client-name': '', 'apollographql-client-version': '' });
        const versionless = await run(USERS, { 'apollographql-client-version': '' });

        expect(anonymous.status).toBe(403);
        expect(anonymous.errors?.[0].message).toMatch(/send the apollographql-client-name and apollographql-client-version headers/);
        expect(versionless.status).toBe(403);
        expect(versionless.errors?.[0].message).toMatch(/client "web" sent no apollographql-client-version header/);
        expect(step.counts().refused).toBeGreaterThanOrEqual(4);
      });

      it('should let the gateway’s own system identity run unregistered operations (introspection by tools)', async () => {
        const result = await postGraphQL(federation.gateway.url, '{ __schema { queryType { name } } }', undefined, {
          authorization: 'Bearer concord-gateway:system',
        });

        expect(result.status).toBe(200);
        expect(result.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
      });
    } else {
      it('should let an unregistered operation through, count it and log it once per client version and operation', async () => {
        const before = step.counts().wouldRefuse;

        const first = await run(ORDERS);
        const second = await run(ORDERS);
        const anonymous = await run(ORDERS, { 'apollographql-client-name': '', 'apollographql-client-version': '' });

        expect([first.status, second.status, anonymous.status]).toEqual([200, 200, 200]);
        expect(first.data?.orders).toHaveLength(3);
        expect(step.counts()).toMatchObject({ refused: 0, wouldRefuse: before + 3 });
        const warnings = log.lines.filter((line) => line.msg.startsWith('safelist (report): would refuse'));
        expect(warnings).toEqual([
          expect.objectContaining({ clientName: 'web', clientVersion: '1.0.0', operationId: operationId(ORDERS), operationName: 'Orders' }),
          expect.objectContaining({ clientName: null, clientVersion: null, operationId: operationId(ORDERS) }),
        ]);
      });
    }

    it('should pick up a newly registered operation at the next poll, asking with If-None-Match', async () => {
      const asked = governance.safelistRequests.length;
      governance.register('web', '1.0.0', ORDERS);
      const changed = nextChange(store);

      await store.refresh();
      await changed;
      const result = await run(ORDERS);

      expect(result.status).toBe(200);
      expect(result.errors).toBeUndefined();
      expect(governance.safelistRequests[asked]['if-none-match']).toMatch(/^"[0-9a-f]{32}"$/);
    });
  });

  describe(SafelistStore.name, () => {
    let store: SafelistStore | undefined;

    afterEach(async () => {
      await store?.stop();
      governance.failWith = undefined;
    });

    it('should decide nothing before its first list, and keep the last good list while governance fails', async () => {
      governance.list = { clients: [] };
      governance.register('web', '1.0.0', USERS);
      governance.failWith = 503;
      store = new SafelistStore({ url: `${governance.url}/registry/safelist`, pollMs: 60_000, logger: silentLogger() });

      await store.start();
      expect(store.status()).toMatchObject({ loaded: false, degraded: true, lastError: 'governance answered HTTP 503' });
      expect(store.allows('web', '1.0.0', operationId(USERS))).toBeUndefined();

      governance.failWith = undefined;
      await store.refresh();
      expect(store.status()).toMatchObject({ loaded: true, degraded: false, clientVersions: 1, operations: 1 });
      expect(store.allows('web', '1.0.0', operationId(USERS))).toBe(true);
      expect(store.allows('web', '1.0.0', operationId(ORDERS))).toBe(false);

      governance.failWith = 500;
      await store.refresh();
      expect(store.status()).toMatchObject({ loaded: true, degraded: true, lastError: 'governance answered HTTP 500' });
      expect(store.allows('web', '1.0.0', operationId(USERS))).toBe(true);
    });

    it('should answer an unchanged list with a 304 and follow changes on its own schedule', async () => {
      governance.list = { clients: [] };
      store = new SafelistStore({ url: `${governance.url}/registry/safelist`, pollMs: 20, logger: silentLogger() });
      await store.start();
      const etag = store.status().etag;

      governance.register('mobile', '7', ORDERS);
      await nextChange(store);

      expect(store.allows('mobile', '7', operationId(ORDERS))).toBe(true);
      expect(store.status().etag).not.toBe(etag);
    });

    it('should refuse a list that is not an OperationSafelist and keep what it had', async () => {
      governance.list = { clients: [{ clientName: 'web', clientVersion: '1.0.0', operationIds: ['not-a-hash'] }] };
      store = new SafelistStore({ url: `${governance.url}/registry/safelist`, pollMs: 60_000, logger: silentLogger() });

      await store.start();

      expect(store.status()).toMatchObject({
        loaded: false,
        lastError: expect.stringContaining('not { clientName, clientVersion, operationIds }'),
      });
    });
  });

  describe('createGatewayPolicy with SAFELIST=on', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'concord-safelist-'));
    let federation: Federation;
    let policy: ReturnType<typeof createGatewayPolicy>;

    beforeAll(async () => {
      governance.bundle = {
        version: 1,
        createdAt: '2026-12-01T00:00:00.000Z',
        roles: { staff: { description: 'reads public', classifications: ['PUBLIC'], rules: [] } },
        classifications: { 'Query.users': 'PUBLIC', 'User.id': 'PUBLIC', 'User.name': 'PUBLIC', 'User.email': 'PUBLIC' },
        ownership: {},
      };
      governance.list = { clients: [] };
      governance.register('web', '1.0.0', USERS);
      governance.failWith = 503;
      policy = createGatewayPolicy(
        {
          enabled: true,
          governanceUrl: governance.url,
          cacheFile: join(scratch, 'bundle.json'),
          mode: 'filter',
          usageReporting: false,
          accessIngestUrl: `${governance.url}/audit/events`,
          safelist: 'on',
          safelistPollMs: 60_000,
        },
        silentLogger(),
      );
      await policy.start();
      federation = await startFederation({
        authenticate,
        operationSteps: policy.operationSteps,
        healthChecks: policy.healthChecks,
        healthCacheMs: 0,
      });
    });

    afterAll(async () => {
      governance.failWith = undefined;
      await policy.stop();
      await federation.close();
      rmSync(scratch, { recursive: true, force: true });
    });

    it('should run the safelist before every other step', () => {
      expect(policy.operationSteps[0].name).toBe(SAFELIST_STEP);
      expect(policy.summary.safelist).toBe(`on (${governance.url}/registry/safelist)`);
    });

    it('should not be ready, and refuse operations with 503, before the first list is loaded', async () => {
      const health = await fetch(`${federation.gateway.origin}/health`);
      const result = await postGraphQL(federation.gateway.url, USERS, undefined, { ...STAFF, ...WEB });

      expect(health.status).toBe(503);
      expect(((await health.json()) as any).checks.safelist).toMatchObject({
        ready: false,
        details: { mode: 'on', loaded: false, lastError: 'governance answered HTTP 503' },
      });
      expect(result.status).toBe(503);
      expect(result.errors?.[0].extensions?.code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
    });

    it('should be ready and enforce the list once governance answers', async () => {
      governance.failWith = undefined;
      // the request the next poll makes, made now
      await policy.safelist!.refresh();

      const registered = await postGraphQL(federation.gateway.url, USERS, undefined, { ...STAFF, ...WEB });
      const unregistered = await postGraphQL(federation.gateway.url, 'query Emails { users { email } }', undefined, { ...STAFF, ...WEB });
      const health = await fetch(`${federation.gateway.origin}/health`);

      expect(health.status).toBe(200);
      expect(((await health.json()) as any).checks.safelist).toMatchObject({
        ready: true,
        details: { loaded: true, operations: 1, refused: 1 },
      });
      expect(registered.status).toBe(200);
      expect(registered.data?.users).toHaveLength(2);
      expect(unregistered.status).toBe(403);
    });
  });
});
