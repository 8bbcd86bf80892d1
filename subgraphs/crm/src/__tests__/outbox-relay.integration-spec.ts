import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorCode, newId, runWithContext } from '@concord/common';
import { OutboxRelay, OutboxWriteHook, WritePoint, WritePolicyHook } from '@concord/graphql';
import { defaultPolicyBundle, PolicyEngine } from '@concord/policy';
import { useTestService } from '@concord/testing';
import { CrmModule } from '../app.module';
import { ClientEntity } from '../client/client.entity';

/**
 * The outbox relay is poked by the write point once a write committed, so the event leaves at once instead of at the
 * relay's next poll (the ledger starts workflows from it): on CRM's real tables, against a stand-in for governance's
 * ingest, with a relay that would not poll again for an hour.
 */
describe('CRM outbox relay poked after commit', () => {
  const sut = useTestService((databaseUrl) => CrmModule.forRoot({ databaseUrl }), 'crm');
  const engine = new PolicyEngine(defaultPolicyBundle());
  let ingest: Server;
  let ingestUrl: string;
  /** every event the stand-in received, and who waits for one of an entity */
  const received: { entityId: string; action: string }[] = [];
  const waiting = new Map<string, () => void>();

  beforeAll(async () => {
    ingest = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        for (const event of (JSON.parse(body) as { events: { entityId: string; action: string }[] }).events) {
          received.push({ entityId: event.entityId, action: event.action });
          waiting.get(event.entityId)?.();
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => ingest.listen(0, '127.0.0.1', resolve));
    ingestUrl = `http://127.0.0.1:${(ingest.address() as AddressInfo).port}/audit/events`;
  });

  /** resolves once the stand-in received an event of the entity */
  const delivered = (entityId: string): Promise<void> =>
    received.some((event) => event.entityId === entityId)
      ? Promise.resolve()
      : new Promise<void>((resolve) => waiting.set(entityId, resolve));

  afterAll(async () => {
    await new Promise((resolve) => ingest.close(resolve));
  });

  const as = <T>(sub: string, work: () => Promise<T>): Promise<T> =>
    runWithContext({ correlationId: `corr-${newId()}`, actor: { sub, roles: ['sales'] }, policyVersion: engine.version }, work);

  const newClient = (outbox: OutboxWriteHook, ownerId: string) =>
    as(ownerId, () =>
      new WritePoint(sut.dataSource, [new WritePolicyHook('crm', { engine: () => engine }), outbox]).run((tx) =>
        tx.create(ClientEntity, { name: `Client ${newId()}`, domain: `${newId()}.example.com`, ownerId, currency: 'EUR' } as never),
      ),
    );

  it('tells its listeners once per committed write and per recorded denied attempt, with the outbox row already visible', async () => {
    const outbox = new OutboxWriteHook('crm');
    // counted by another connection as soon as told: the unit of work's outbox row must be committed by then
    const counts: Promise<number>[] = [];
    outbox.onCommit(() => {
      counts.push(sut.dataSource.query(`SELECT count(*)::int AS n FROM crm.outbox`).then(([row]: { n: number }[]) => row.n));
    });
    const writePoint = new WritePoint(sut.dataSource, [new WritePolicyHook('crm', { engine: () => engine }), outbox]);
    const [before] = (await sut.dataSource.query(`SELECT count(*)::int AS n FROM crm.outbox`)) as { n: number }[];

    const client = await newClient(outbox, 'rep-commit');
    const refused = as('rep-other', () => writePoint.run((tx) => tx.update(ClientEntity, client.id, { industry: 'Mining' } as never)));
    await expect(refused).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
    // a unit of work that fails without a denied attempt commits nothing and tells no one
    await expect(as('rep-commit', () => writePoint.run(() => Promise.reject(new Error('boom'))))).rejects.toThrow('boom');

    expect(await Promise.all(counts)).toEqual([before.n + 1, before.n + 2]);
  });

  it('ships a committed write’s event at once when the write point pokes it, without waiting for its next poll', async () => {
    const outbox = new OutboxWriteHook('crm');
    const relay = new OutboxRelay(sut.dataSource, { service: 'crm', ingestUrl, pollIntervalMs: 3_600_000 });
    outbox.onCommit(() => relay.poke());
    relay.onApplicationBootstrap();
    try {
      // the relay's first look (rows of earlier tests) is over once an empty look follows: wait for it to sleep
      await new Promise((resolve) => setTimeout(resolve, 300));
      const client = await newClient(outbox, 'rep-relay');
      await delivered(client.id);
      // stopped, the relay has finished marking what it sent

      await relay.onModuleDestroy();
      expect(received.filter((event) => event.entityId === client.id)).toEqual([{ entityId: client.id, action: 'create' }]);
      const [row] = (await sut.dataSource.query(`SELECT delivered_at IS NOT NULL AS delivered FROM crm.outbox WHERE entity_id = $1`, [
        client.id,
      ])) as { delivered: boolean }[];
      expect(row.delivered).toBe(true);
    } finally {
      await relay.onModuleDestroy();
    }
  });
});
