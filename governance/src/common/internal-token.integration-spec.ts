import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId } from '@concord/common';
import { useTestService } from '@concord/testing';
import { GovernanceModule } from '../app.module';

const TOKEN = 'a-shared-secret-of-the-services';

/** With GOVERNANCE_TOKEN set, the ledger ingest and the policy bundle answer only Concord's services. */
describe('governance internal endpoints with GOVERNANCE_TOKEN', () => {
  const keyDir = mkdtempSync(join(tmpdir(), 'concord-internal-token-'));
  afterAll(() => rmSync(keyDir, { recursive: true, force: true }));
  const sut = useTestService(
    (databaseUrl) =>
      GovernanceModule.forRoot({ databaseUrl, subgraphs: [], jobs: false, logLevel: 'silent', audit: { keyDir }, internalToken: TOKEN }),
    'governance',
  );

  const event = () => ({
    eventId: newId(),
    occurredAt: new Date().toISOString(),
    service: 'crm',
    actor: null,
    action: 'create',
    entity: 'Client',
    entityId: newId(),
    before: null,
    after: { name: 'Forged Ltd' },
    changedFields: ['name'],
    reason: null,
    correlationId: null,
    policyVersion: null,
  });
  const ingest = (headers: Record<string, string>) =>
    fetch(`${sut.url}/audit/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ events: [event()] }),
    });
  const ledgerSize = async () =>
    Number((await sut.dataSource.query(`SELECT count(*)::int AS n FROM governance.audit_event WHERE service = 'crm'`))[0].n);

  it('refuses to append to the ledger without the token, or with another one (401), and appends nothing', async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer not-the-token' }, { authorization: `Bearer ${TOKEN}x` }];
    for (const headers of attempts) {
      const response = await ingest(headers);
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
    }
    expect(await ledgerSize()).toBe(0);
  });

  it('appends with the token', async () => {
    const response = await ingest({ authorization: `Bearer ${TOKEN}` });
    expect(response.status).toBe(200);
    expect(await ledgerSize()).toBe(1);
  });

  it('serves the policy bundle only with the token', async () => {
    expect((await fetch(`${sut.url}/policy/bundle`)).status).toBe(401);
    expect((await fetch(`${sut.url}/policy/bundle/1`)).status).toBe(401);
    const response = await fetch(`${sut.url}/policy/bundle`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { version: number }).version).toBeGreaterThanOrEqual(1);
  });

  it('takes SLA samples only with the token', async () => {
    const post = (headers: Record<string, string>) =>
      fetch(`${sut.url}/sla/samples`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ samples: [] }),
      });

    expect((await post({})).status).toBe(401);
    expect((await post({ authorization: 'Bearer not-the-token' })).status).toBe(401);
    const response = await post({ authorization: `Bearer ${TOKEN}` });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ accepted: 0 });
  });

  it('keeps the verification material public: the ledger public key and verify', async () => {
    expect((await fetch(`${sut.url}/audit/public-key`)).status).toBe(200);
    expect((await fetch(`${sut.url}/audit/verify`)).status).toBe(200);
  });
});
