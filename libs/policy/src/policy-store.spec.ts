import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PolicyBundle } from './bundle';
import { PolicyStore, type PolicyStoreLogger, type PolicyStoreOptions } from './policy-store';

const POLL_MS = 50;

function bundleOf(version: number): PolicyBundle {
  return {
    version,
    createdAt: '2025-01-01T00:00:00.000Z',
    roles: { finance: { description: 'finance', classifications: ['PUBLIC', 'FINANCIAL'], rules: [] } },
    classifications: { 'Project.id': 'PUBLIC', 'Project.budget': 'FINANCIAL' },
    ownership: { Project: { owner: 'psa' } },
  };
}

/** A stand-in for governance's `GET /policy/bundle`: serves `body` with an ETag, 304 on a matching If-None-Match. */
class FakeGovernance {
  body: unknown = bundleOf(1);
  /** 'ok' serves the body; otherwise the HTTP status to answer with */
  status: 'ok' | 503 = 'ok';
  readonly requests: IncomingHttpHeaders[] = [];
  readonly answers: number[] = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      this.requests.push(request.headers);
      const answer = (code: number, body?: string, headers: Record<string, string> = {}) => {
        this.answers.push(code);
        response.writeHead(code, headers).end(body);
      };
      if (request.url !== '/policy/bundle') {
        return answer(404);
      }
      if (this.status !== 'ok') {
        return answer(this.status, '{"error":"down"}', { 'content-type': 'application/json' });
      }
      const version = (this.body as { version?: unknown }).version;
      const etag = `"v${String(version)}"`;
      if (request.headers['if-none-match'] === etag) {
        return answer(304, undefined, { etag });
      }
      return answer(200, typeof this.body === 'string' ? this.body : JSON.stringify(this.body), {
        etag,
        'content-type': 'application/json',
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

/** A URL nothing listens on. */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`condition not met within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function recordingLogger(): PolicyStoreLogger & { warnings: string[]; infos: string[] } {
  const warnings: string[] = [];
  const infos: string[] = [];
  return { warnings, infos, warn: (_details, message) => warnings.push(message), info: (_details, message) => infos.push(message) };
}

describe(PolicyStore.name, () => {
  let directory: string;
  let cacheFile: string;
  let governance: FakeGovernance;
  const stores: PolicyStore[] = [];

  /** A store under test, stopped after the test. */
  function storeOf(options: PolicyStoreOptions): PolicyStore {
    const store = new PolicyStore({ pollMs: POLL_MS, cacheFile, ...options });
    stores.push(store);
    return store;
  }

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'concord-policy-store-'));
    cacheFile = join(directory, 'nested', 'policy-bundle.json');
    governance = new FakeGovernance();
    await governance.start();
  });

  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.stop()));
    await governance.close();
    rmSync(directory, { recursive: true, force: true });
  });

  describe('from governance', () => {
    it('should load the bundle at start and persist it to the cache file', async () => {
      const sut = storeOf({ governanceUrl: governance.url });

      const status = await sut.start();

      expect(status).toEqual({ ready: true, degraded: false, version: 1, source: 'governance' });
      expect(sut.current()).toEqual(bundleOf(1));
      expect(JSON.parse(readFileSync(cacheFile, 'utf8'))).toEqual(bundleOf(1));
    });

    it('should pick up a new version within the poll interval and tell the listeners', async () => {
      const sut = storeOf({ governanceUrl: governance.url });
      const changes: [number, number | undefined][] = [];
      sut.onChange((bundle, previous) => changes.push([bundle.version, previous?.version]));
      await sut.start();

      governance.body = bundleOf(2);
      // one poll interval plus the request; the margin is for a busy machine
      await waitFor(() => sut.current()?.version === 2, POLL_MS * 4);

      expect(changes).toEqual([
        [1, undefined],
        [2, 1],
      ]);
      expect(sut.status()).toEqual({ ready: true, degraded: false, version: 2, source: 'governance' });
      await waitFor(() => JSON.parse(readFileSync(cacheFile, 'utf8')).version === 2, POLL_MS);
    });

    it('should ask with If-None-Match and keep its bundle on 304 Not Modified', async () => {
      const sut = storeOf({ governanceUrl: governance.url });
      let changes = 0;
      sut.onChange(() => changes++);
      await sut.start();
      const cachedAt = statSync(cacheFile).mtimeMs;
      const first = sut.current();

      await waitFor(() => governance.answers.filter((code) => code === 304).length >= 3, POLL_MS * 10);

      expect(governance.requests[0]['if-none-match']).toBeUndefined();
      expect(governance.requests.slice(1).map((headers) => headers['if-none-match'])).toEqual(
        governance.requests.slice(1).map(() => '"v1"'),
      );
      expect(sut.current()).toBe(first);
      expect(changes).toBe(1);
      expect(statSync(cacheFile).mtimeMs).toBe(cachedAt);
    });

    it('should send the configured headers, asking the function anew for each request', async () => {
      let calls = 0;
      const sut = storeOf({ governanceUrl: governance.url, fetchHeaders: () => ({ authorization: `Bearer token-${++calls}` }) });
      await sut.start();

      await waitFor(() => governance.requests.length >= 2, POLL_MS * 5);

      expect(governance.requests.slice(0, 2).map((headers) => headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
    });

    it('should keep the last good bundle and report degraded while governance fails, and recover when it answers', async () => {
      const logger = recordingLogger();
      const sut = storeOf({ governanceUrl: governance.url, logger });
      await sut.start();

      governance.status = 503;
      await waitFor(() => sut.status().degraded, POLL_MS * 5);
      const failedAnswers = governance.answers.length;
      await waitFor(() => governance.answers.length >= failedAnswers + 3, POLL_MS * 10);

      expect(sut.current()).toEqual(bundleOf(1));
      expect(sut.status()).toEqual({
        ready: true,
        degraded: true,
        version: 1,
        source: 'governance',
        lastError: 'governance answered HTTP 503',
      });
      expect(logger.warnings).toEqual(['policy source failing: keeping bundle version 1']);

      governance.status = 'ok';
      await waitFor(() => !sut.status().degraded, POLL_MS * 5);

      expect(sut.status()).toEqual({ ready: true, degraded: false, version: 1, source: 'governance' });
      expect(logger.infos).toContain('policy source healthy again');
    });

    it('should refuse a corrupt bundle and keep the one in force', async () => {
      const sut = storeOf({ governanceUrl: governance.url });
      await sut.start();

      governance.body = { ...bundleOf(2), roles: { finance: { classifications: ['TOP_SECRET'] } } };
      await waitFor(() => sut.status().degraded, POLL_MS * 5);

      expect(sut.current()).toEqual(bundleOf(1));
      expect(sut.status().lastError).toMatch(/^governance sent a bundle that was refused: invalid policy bundle at roles\.finance/);
      expect(JSON.parse(readFileSync(cacheFile, 'utf8')).version).toBe(1);

      governance.body = '{"version": 3, "roles":';
      await waitFor(() => /JSON/.test(sut.status().lastError ?? ''), POLL_MS * 5);

      expect(sut.current()).toEqual(bundleOf(1));
    });

    it('should stop asking once stopped', async () => {
      const sut = storeOf({ governanceUrl: governance.url });
      await sut.start();
      await waitFor(() => governance.requests.length >= 2, POLL_MS * 5);

      await sut.stop();
      const asked = governance.requests.length;
      await sleep(POLL_MS * 3);

      expect(governance.requests.length).toBe(asked);
    });
  });

  describe('governance unreachable at start', () => {
    it('should enforce the cached bundle, degraded, and switch to governance when it answers', async () => {
      await storeOf({ governanceUrl: governance.url }).start();
      governance.status = 503;
      const sut = storeOf({ governanceUrl: governance.url });

      const status = await sut.start();

      expect(status).toMatchObject({ ready: true, degraded: true, version: 1, source: 'cache' });
      expect(status.lastError).toMatch(/^governance answered HTTP 503; enforcing the cached bundle/);
      expect(sut.current()).toEqual(bundleOf(1));

      governance.status = 'ok';
      await waitFor(() => !sut.status().degraded, POLL_MS * 5);

      expect(sut.status()).toEqual({ ready: true, degraded: false, version: 1, source: 'governance' });
    });

    it('should use the cache when nothing listens at the governance URL', async () => {
      writeFileSync(join(directory, 'bundle.json'), JSON.stringify(bundleOf(7)));
      const sut = storeOf({ governanceUrl: await deadUrl(), cacheFile: join(directory, 'bundle.json') });

      const status = await sut.start();

      expect(status).toMatchObject({ ready: true, degraded: true, version: 7, source: 'cache' });
      expect(status.lastError).toMatch(/^governance unreachable/);
    });

    it('should not be ready with neither governance nor a cached bundle (the services fail closed)', async () => {
      const logger = recordingLogger();
      const sut = storeOf({ governanceUrl: await deadUrl(), logger });

      const status = await sut.start();
      await sleep(POLL_MS * 3);

      expect(status).toMatchObject({ ready: false, degraded: false, version: null, source: 'none' });
      expect(status.lastError).toMatch(/^governance unreachable: .*; no cached bundle at /);
      expect(sut.current()).toBeUndefined();
      expect(logger.warnings).toEqual(['no policy bundle: data requests are refused']);
    });

    it('should not be ready when the cached bundle is corrupt', async () => {
      writeFileSync(join(directory, 'bundle.json'), '{"version": 1');
      const sut = storeOf({ governanceUrl: await deadUrl(), cacheFile: join(directory, 'bundle.json') });

      const status = await sut.start();

      expect(status).toMatchObject({ ready: false, source: 'none' });
      expect(status.lastError).toMatch(/cached bundle unusable/);
    });

    it('should become ready once governance answers', async () => {
      governance.status = 503;
      const sut = storeOf({ governanceUrl: governance.url });
      expect((await sut.start()).ready).toBe(false);

      governance.status = 'ok';
      await waitFor(() => sut.status().ready, POLL_MS * 5);

      expect(sut.status()).toEqual({ ready: true, degraded: false, version: 1, source: 'governance' });
    });
  });

  describe('from a policy file', () => {
    it('should load the file and reload it when it changes', async () => {
      const policyPath = join(directory, 'policy.json');
      writeFileSync(policyPath, JSON.stringify(bundleOf(3)));
      const sut = storeOf({ policyPath });

      expect(await sut.start()).toEqual({ ready: true, degraded: false, version: 3, source: 'file' });

      await sleep(20); // a different mtime
      writeFileSync(policyPath, JSON.stringify(bundleOf(4)));
      await waitFor(() => sut.current()?.version === 4, 2_000);

      expect(sut.status()).toEqual({ ready: true, degraded: false, version: 4, source: 'file' });
      expect(governance.requests).toEqual([]);
    });

    it('should keep the loaded bundle when the file turns bad, degraded', async () => {
      const policyPath = join(directory, 'policy.json');
      writeFileSync(policyPath, JSON.stringify(bundleOf(3)));
      const sut = storeOf({ policyPath });
      await sut.start();

      await sleep(20);
      writeFileSync(policyPath, JSON.stringify({ ...bundleOf(4), version: 0 }));
      await waitFor(() => sut.status().degraded, 2_000);

      expect(sut.current()?.version).toBe(3);
      expect(sut.status().lastError).toMatch(/^policy file .*: invalid policy bundle at version/);
    });

    it('should not be ready when the file is missing', async () => {
      const sut = storeOf({ policyPath: join(directory, 'missing.json') });

      expect(await sut.start()).toMatchObject({ ready: false, source: 'none', lastError: expect.stringMatching(/ENOENT/) });
    });
  });
});
