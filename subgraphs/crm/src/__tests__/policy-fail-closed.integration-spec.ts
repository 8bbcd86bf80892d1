import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode } from '@concord/common';
import { defaultPolicyBundle } from '@concord/policy';
import { postGraphQL, useTestService } from '@concord/testing';
import { CrmModule } from '../app.module';

const scratch = mkdtempSync(join(tmpdir(), 'concord-crm-policy-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** ARCHITECTURE.md §10: a subgraph that never loaded a policy bundle refuses data requests (503), and says so on /health. */
describe('CRM without any policy bundle', () => {
  const sut = useTestService(
    (databaseUrl) =>
      CrmModule.forRoot({
        databaseUrl,
        // nobody listens there, and there is no cached bundle
        policy: { governanceUrl: 'http://127.0.0.1:9', cacheFile: join(scratch, 'none.json'), pollMs: 60_000 },
      }),
    'crm',
  );

  it('answers 503 SERVICE_UNAVAILABLE to GraphQL requests, even with a valid context token', async () => {
    const result = await postGraphQL(sut.graphqlUrl, '{ clients(first: 1) { edges { node { id } } } }');
    expect(result.status).toBe(503);
    expect(result.errors?.[0]?.extensions?.code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
  });

  it('is not healthy', async () => {
    const response = await fetch(`${sut.url}/health`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 'down', database: 'up', policy: { ready: false, source: 'none' } });
  });
});

describe('CRM starting while governance is down, with a last good bundle on disk', () => {
  const cacheFile = join(scratch, 'crm-bundle.json');
  writeFileSync(cacheFile, JSON.stringify({ ...defaultPolicyBundle(), version: 7 }));
  const sut = useTestService(
    (databaseUrl) => CrmModule.forRoot({ databaseUrl, policy: { governanceUrl: 'http://127.0.0.1:9', cacheFile, pollMs: 60_000 } }),
    'crm',
  );

  it('enforces the cached bundle and reports degraded', async () => {
    const result = await postGraphQL(sut.graphqlUrl, '{ clients(first: 1) { edges { node { id } } } }');
    expect(result.status).toBe(200);
    const response = await fetch(`${sut.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'degraded',
      policy: { ready: true, degraded: true, version: 7, source: 'cache' },
    });
  });
});
