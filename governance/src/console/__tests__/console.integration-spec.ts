import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJwtVerifier } from '@concord/policy';
import { testCallerKeys, TEST_JWT_AUDIENCE, TEST_JWT_ISSUER } from '@concord/testing';
import { useGovernance } from '../../__tests__/use-governance';

const dist = mkdtempSync(join(tmpdir(), 'concord-console-dist-'));
mkdirSync(join(dist, 'assets'));
writeFileSync(join(dist, 'index.html'), '<!doctype html><title>console</title>');
writeFileSync(join(dist, 'assets', 'app-1234.js'), 'console.log(1)');
writeFileSync(join(tmpdir(), 'concord-console-secret.txt'), 'TOP-SECRET-CONTENT');

describe('console at /console', () => {
  afterAll(() => rmSync(dist, { recursive: true, force: true }));

  describe('with dev sign-in', () => {
    const service = useGovernance({
      console: {
        distDir: dist,
        gatewayUrl: 'http://127.0.0.1:4000/graphql',
        devSignIn: { privateKey: testCallerKeys().privateKeyPem, issuer: TEST_JWT_ISSUER, audience: TEST_JWT_AUDIENCE, ttlSeconds: 600 },
        oidc: { issuer: 'https://id.example.com', clientId: 'concord-console', scope: 'openid profile', audience: 'concord' },
      },
    });
    const get = (path: string) => fetch(`${service.url}${path}`);
    const mint = (body: unknown) =>
      fetch(`${service.url}/console/dev-token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    it('should tell the app where the gateway is and which roles the picker offers', async () => {
      const response = await get('/console/config.json');

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        gatewayUrl: 'http://127.0.0.1:4000/graphql',
        devSignIn: { roles: ['executive', 'finance', 'delivery_manager', 'sales', 'consultant', 'data_steward', 'auditor', 'operator'] },
        oidc: { issuer: 'https://id.example.com', clientId: 'concord-console', scope: 'openid profile', audience: 'concord' },
      });
    });

    it('should mint a caller token of one role that the gateway’s keys verify', async () => {
      const response = await mint({ role: 'auditor', sub: 'ada@example.com' });
      const { token, expiresAt } = (await response.json()) as { token: string; expiresAt: string };
      // verified as the gateway verifies callers
      const verifier = createJwtVerifier({
        publicKeys: [testCallerKeys().publicKeyPem],
        issuer: TEST_JWT_ISSUER,
        audience: TEST_JWT_AUDIENCE,
      });

      const caller = await verifier.verify(token);

      expect(response.status).toBe(200);
      expect(caller).toMatchObject({ sub: 'ada@example.com', roles: ['auditor'] });
      expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(590_000);
    });

    it('should refuse roles the picker does not offer and malformed user ids, with the problems', async () => {
      const integration = await mint({ role: 'integration' });
      const badSub = await mint({ role: 'finance', sub: 'a b' });

      expect(integration.status).toBe(400);
      expect(await integration.json()).toMatchObject({ error: { code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' } });
      expect(badSub.status).toBe(400);
      expect(((await badSub.json()) as { error: { problems: string[] } }).error.problems).toEqual([
        'sub must be 1-64 letters, digits, ".", "_", "@" or "-"',
      ]);
    });

    it('should serve built files, answer index.html for app routes, and nothing outside its folder', async () => {
      const asset = await get('/console/assets/app-1234.js');
      const route = await get('/console/clients/123?q=acme');
      const missing = await get('/console/assets/gone.js');
      const escape = await get('/console/..%2F..%2Fconcord-console-secret.txt');

      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(await asset.text()).toBe('console.log(1)');
      expect(route.status).toBe(200);
      expect(route.headers.get('cache-control')).toBe('no-cache');
      expect(await route.text()).toContain('<title>console</title>');
      expect(missing.status).toBe(404);
      expect(escape.status).toBe(404);
      expect(await escape.text()).not.toContain('TOP-SECRET-CONTENT');
    });
  });

  describe('without dev sign-in or a build', () => {
    const service = useGovernance({ console: { distDir: join(dist, 'nothing-here'), gatewayUrl: null, devSignIn: null, oidc: null } });

    it('should offer no role picker and mint nothing', async () => {
      const config = await (await fetch(`${service.url}/console/config.json`)).json();
      const mint = await fetch(`${service.url}/console/dev-token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'finance' }),
      });

      expect(config).toEqual({ gatewayUrl: null, devSignIn: null, oidc: null });
      expect(mint.status).toBe(404);
      expect(await mint.json()).toMatchObject({ error: { reason: 'DEV_SIGN_IN_OFF' } });
    });

    it('should say the console is not built rather than fail obscurely', async () => {
      const response = await fetch(`${service.url}/console/`);

      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ error: { code: 'CONSOLE_NOT_BUILT' } });
    });
  });
});
