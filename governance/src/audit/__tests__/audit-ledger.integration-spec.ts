import { createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { AuditEvent } from '@concord/common';
import { useTestService, type RunningService } from '@concord/testing';
import { GovernanceModule } from '../../app.module';
import { GENESIS_HASH, chainHash, checkpointMessage } from '../audit-hash';
import { AuditLedgerService, type AuditCheckpoint } from '../audit-ledger.service';
import type { VerifyResult } from '../audit-verifier';
import { AuditEventFactory } from './audit-event.factory';

const CHECKPOINT_EVERY = 10;

/** Governance with the ledger on a fresh database, a dev key in a temporary directory, no scheduler. */
function useLedger(): { service: RunningService; keyDir: () => string } {
  let keyDir = '';
  beforeAll(() => {
    keyDir = mkdtempSync(join(tmpdir(), 'concord-audit-keys-'));
  });
  afterAll(() => rmSync(keyDir, { recursive: true, force: true }));
  const service = useTestService(
    (databaseUrl) =>
      GovernanceModule.forRoot({
        databaseUrl,
        subgraphs: [],
        jobs: false,
        logLevel: 'silent',
        poolSize: 10,
        audit: { checkpointEvery: CHECKPOINT_EVERY, keyDir },
      }),
    'governance',
  );
  return { service, keyDir: () => keyDir };
}

async function post(service: RunningService, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${service.url}/audit/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

async function get<T>(service: RunningService, path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${service.url}${path}`);
  const text = await response.text();
  return { status: response.status, body: (response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T };
}

async function ledgerRows(service: RunningService): Promise<{ position: string; event_id: string; prev_hash: string; hash: string }[]> {
  return service.dataSource.query('SELECT position, event_id, prev_hash, hash FROM governance.audit_event ORDER BY position');
}

/** Runs SQL as the test's own superuser connection, outside the service's pool. */
async function withSql<T>(service: RunningService, work: (client: Client) => Promise<T>): Promise<T> {
  const options = service.dataSource.options as { url: string };
  const client = new Client({ connectionString: options.url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe(AuditLedgerService.name, () => {
  describe('ingest and verify', () => {
    const { service: sut } = useLedger();

    it('should chain the events in order and verify the ledger as intact', async () => {
      const events = AuditEventFactory.many(25);

      const { status, body } = await post(sut, { events });

      expect(status).toBe(200);
      expect(body).toEqual({ accepted: 25, duplicates: 0 });
      const rows = await ledgerRows(sut);
      let previous = GENESIS_HASH;
      rows.forEach((row, index) => {
        expect(row).toMatchObject({ position: String(index + 1), event_id: events[index].eventId, prev_hash: previous });
        expect(row.hash).toBe(chainHash(previous, events[index]));
        previous = row.hash;
      });
      const verified = await get<VerifyResult>(sut, '/audit/verify');
      expect(verified).toEqual({ status: 200, body: { ok: true, checked: 25, firstBroken: null } });
    });

    it('should count a batch sent again as duplicates and leave the ledger unchanged', async () => {
      const events = AuditEventFactory.many(3);
      await post(sut, { events });
      const before = await ledgerRows(sut);

      const { status, body } = await post(sut, { events });

      expect(status).toBe(200);
      expect(body).toEqual({ accepted: 0, duplicates: 3 });
      expect(await ledgerRows(sut)).toEqual(before);
    });

    it('should store an event id repeated within one batch once', async () => {
      const [first, second] = AuditEventFactory.many(2);
      const before = (await ledgerRows(sut)).length;

      const { body } = await post(sut, { events: [first, second, { ...first, reason: 'resent' }, first] });

      expect(body).toEqual({ accepted: 2, duplicates: 2 });
      expect((await ledgerRows(sut)).length).toBe(before + 2);
    });

    it('should keep one gapless chain when several requests ingest at once', async () => {
      const batches = Array.from({ length: 8 }, () => AuditEventFactory.many(40));
      const before = (await ledgerRows(sut)).length;

      const answers = await Promise.all(batches.map((events) => post(sut, { events })));

      expect(answers.map((answer) => answer.body)).toEqual(batches.map(() => ({ accepted: 40, duplicates: 0 })));
      const rows = await ledgerRows(sut);
      expect(rows.map((row) => row.position)).toEqual(rows.map((_, index) => String(index + 1)));
      expect(rows.length).toBe(before + 320);
      rows.slice(1).forEach((row, index) => expect(row.prev_hash).toBe(rows[index].hash));
      expect((await get<VerifyResult>(sut, '/audit/verify')).body).toEqual({ ok: true, checked: rows.length, firstBroken: null });
    });

    it('should sign a checkpoint every AUDIT_CHECKPOINT_EVERY events that an auditor can verify offline with the public key', async () => {
      const rows = await ledgerRows(sut);
      const latest = await get<AuditCheckpoint>(sut, '/audit/checkpoints/latest');
      const publicKey = await get<string>(sut, '/audit/public-key');

      expect(latest.status).toBe(200);
      const expectedPosition = Math.floor(rows.length / CHECKPOINT_EVERY) * CHECKPOINT_EVERY;
      expect(Number(latest.body.position)).toBeGreaterThanOrEqual(expectedPosition - CHECKPOINT_EVERY + 1);
      expect(latest.body.hash).toBe(rows[Number(latest.body.position) - 1].hash);
      expect(publicKey.body).toMatch(/^-----BEGIN PUBLIC KEY-----/);
      const signed = verify(
        null,
        checkpointMessage(latest.body.position, latest.body.hash),
        createPublicKey(publicKey.body),
        Buffer.from(latest.body.signature, 'base64'),
      );
      expect(signed).toBe(true);
    });

    it('should checkpoint the ledger end on the scheduled round', async () => {
      await post(sut, { events: AuditEventFactory.many(1) });
      const rows = await ledgerRows(sut);

      const checkpoint = await sut.app.get(AuditLedgerService).checkpoint();

      expect(checkpoint).toMatchObject({ position: String(rows.length), hash: rows[rows.length - 1].hash });
    });

    it('should refuse UPDATE, DELETE and TRUNCATE of the ledger and its checkpoints in SQL', async () => {
      const attempts = [
        `UPDATE governance.audit_event SET reason = 'edited' WHERE position = 1`,
        `DELETE FROM governance.audit_event WHERE position = 1`,
        `TRUNCATE governance.audit_event CASCADE`,
        `UPDATE governance.audit_checkpoint SET hash = hash`,
        `DELETE FROM governance.audit_checkpoint`,
      ];

      for (const sql of attempts) {
        await expect(sut.dataSource.query(sql)).rejects.toThrow(
          /^governance\.audit_(event|checkpoint) is append-only: (UPDATE|DELETE|TRUNCATE) refused$/,
        );
      }
      expect((await get<VerifyResult>(sut, '/audit/verify')).body.ok).toBe(true);
    });

    it('should answer 400 BAD_USER_INPUT naming the problems, and record none of the batch', async () => {
      const before = (await ledgerRows(sut)).length;
      const good = AuditEventFactory.create();
      const bad = { ...AuditEventFactory.create(), action: 'rename', actor: { sub: 1 } } as unknown as AuditEvent;

      const { status, body } = await post(sut, { events: [good, bad] });

      expect(status).toBe(400);
      expect(body.error).toMatchObject({
        code: 'BAD_USER_INPUT',
        problems: [expect.stringMatching(/^events\[1\]\.action/), expect.stringMatching(/^events\[1\]\.actor/)],
      });
      expect((await ledgerRows(sut)).length).toBe(before);
    });
  });

  describe('tampering', () => {
    const { service: sut } = useLedger();

    beforeAll(async () => {
      await post(sut, { events: AuditEventFactory.many(3 * CHECKPOINT_EVERY) });
    });

    it('should name the first tampered row as hash_mismatch when a row is changed behind the triggers', async () => {
      const [target] = await sut.dataSource.query(`SELECT event_id FROM governance.audit_event WHERE position = 17`);

      await withSql(sut, async (client) => {
        await client.query(`SET session_replication_role = replica`);
        await client.query(`UPDATE governance.audit_event SET after = jsonb_set(after, '{name}', '"Forged"') WHERE position = 17`);
      });
      const { status, body } = await get<VerifyResult>(sut, '/audit/verify');

      expect(status).toBe(200);
      expect(body).toMatchObject({
        ok: false,
        checked: 16,
        firstBroken: { position: '17', eventId: target.event_id, reason: 'hash_mismatch' },
      });
      expect(body.firstBroken?.expected).not.toBe(body.firstBroken?.actual);
    });
  });

  describe('checkpoint tampering', () => {
    const { service: sut } = useLedger();

    beforeAll(async () => {
      await post(sut, { events: AuditEventFactory.many(2 * CHECKPOINT_EVERY) });
    });

    it('should report bad_checkpoint_signature when a signature is altered', async () => {
      // one batch of 20 crosses two multiples of 10: one checkpoint, at its end
      const checkpoints = await sut.dataSource.query(`SELECT position FROM governance.audit_checkpoint`);
      expect(checkpoints).toEqual([{ position: String(2 * CHECKPOINT_EVERY) }]);

      await withSql(sut, async (client) => {
        await client.query(`SET session_replication_role = replica`);
        await client.query(
          `UPDATE governance.audit_checkpoint SET signature = translate(signature, 'ABCabc', 'BCAbca') WHERE position = ${2 * CHECKPOINT_EVERY}`,
        );
      });

      const { body } = await get<VerifyResult>(sut, '/audit/verify');

      expect(body).toMatchObject({
        ok: false,
        checked: 2 * CHECKPOINT_EVERY - 1,
        firstBroken: { position: String(2 * CHECKPOINT_EVERY), reason: 'bad_checkpoint_signature' },
      });
    });

    it('should report a gap when a row is deleted behind the triggers', async () => {
      await withSql(sut, async (client) => {
        await client.query(`SET session_replication_role = replica`);
        await client.query(`DELETE FROM governance.audit_event WHERE position = 3`);
      });

      const { body } = await get<VerifyResult>(sut, '/audit/verify');

      expect(body).toMatchObject({ ok: false, checked: 2, firstBroken: { position: '3', reason: 'gap', expected: '3', actual: '4' } });
    });
  });
});
