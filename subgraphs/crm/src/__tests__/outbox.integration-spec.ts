import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuditEvent, AuditIngestRequest } from '@concord/common';
import {
  createTestDatabase,
  postGraphQL,
  startTestService,
  useTestService,
  type RunningService,
  type TestDatabase,
} from '@concord/testing';
import { CrmModule, type CrmModuleOptions } from '../app.module';
import { CrmFactory } from './crm.factories';

interface OutboxRow {
  event_id: string;
  action: string;
  entity: string;
  entity_id: string;
  actor: unknown;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  changed_fields: string[];
  correlation_id: string | null;
  reason: string | null;
  policy_version: string | null;
  delivered_at: Date | null;
}

const outboxOf = (service: RunningService, entityId: string): Promise<OutboxRow[]> =>
  service.dataSource.query(`SELECT * FROM crm.outbox WHERE entity_id = $1 ORDER BY occurred_at, event_id`, [entityId]);

const countOutbox = async (service: RunningService): Promise<number> =>
  Number((await service.dataSource.query(`SELECT count(*)::int AS count FROM crm.outbox`))[0].count);

async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error('condition not met in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('CRM audit outbox', () => {
  const sut = useTestService((databaseUrl) => CrmModule.forRoot({ databaseUrl }), 'crm');
  let factory: CrmFactory;

  beforeAll(() => {
    factory = new CrmFactory(sut.graphqlUrl);
  });

  it('should write one outbox row with the request correlation id when a client is created', async () => {
    const result = await postGraphQL(
      sut.graphqlUrl,
      `mutation($input: CreateClientInput!) { createClient(input: $input) { id } }`,
      { input: { name: 'Outbox Ltd', domain: 'outbox-create.example.com', ownerId: 'sales-1', currency: 'EUR', arr: '1200.50' } },
      { 'x-correlation-id': 'corr-outbox-create' },
    );
    const id = result.data?.createClient.id as string;

    const rows = await outboxOf(sut, id);

    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: 'create',
      entity: 'Client',
      entity_id: id,
      actor: { sub: 'test-user', roles: ['integration'] },
      before: null,
      correlation_id: 'corr-outbox-create',
      reason: null,
      policy_version: null,
      delivered_at: null,
    });
    expect(rows[0].after).toMatchObject({
      id,
      name: 'Outbox Ltd',
      domain: 'outbox-create.example.com',
      arrAmount: '1200.50',
      currency: 'EUR',
    });
    expect(rows[0].after?.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(rows[0].changed_fields).toEqual(expect.arrayContaining(['name', 'domain', 'ownerId', 'currency']));
  });

  it('should record before, after and the changed fields of an update', async () => {
    const client = await factory.client({ name: 'Before Name' });

    await postGraphQL(sut.graphqlUrl, `mutation($id: ID!) { updateClient(id: $id, input: { name: "After Name" }) { id } }`, {
      id: client.id,
    });

    const rows = await outboxOf(sut, client.id);
    expect(rows.map((row) => row.action)).toEqual(['create', 'update']);
    expect(rows[1].before).toMatchObject({ name: 'Before Name' });
    expect(rows[1].after).toMatchObject({ name: 'After Name' });
    expect(rows[1].changed_fields).toEqual(['name']);
  });

  it('should record a stage change as a transition', async () => {
    const client = await factory.client();
    const opportunity = await factory.opportunity(client.id);

    await postGraphQL(sut.graphqlUrl, `mutation($id: ID!) { moveOpportunity(id: $id, stage: QUALIFICATION) { id } }`, {
      id: opportunity.id,
    });

    const rows = await outboxOf(sut, opportunity.id);
    expect(rows.map((row) => row.action)).toEqual(['create', 'transition']);
    expect(rows[1].before).toMatchObject({ status: 'PROSPECTING' });
    expect(rows[1].after).toMatchObject({ status: 'QUALIFICATION', probability: 25 });
    expect(rows[1].changed_fields).toEqual(expect.arrayContaining(['status', 'probability']));
  });

  it('should not write an outbox row for a refused write', async () => {
    const client = await factory.client();
    const opportunity = await factory.opportunity(client.id);
    const before = await countOutbox(sut);

    const duplicate = await postGraphQL(sut.graphqlUrl, `mutation($input: CreateClientInput!) { createClient(input: $input) { id } }`, {
      input: {
        name: 'Twin',
        domain: (await sut.dataSource.query(`SELECT domain FROM crm.client WHERE id = $1`, [client.id]))[0].domain,
        ownerId: 'sales-1',
        currency: 'EUR',
      },
    });
    const invalid = await postGraphQL(sut.graphqlUrl, `mutation($id: ID!) { moveOpportunity(id: $id, stage: NEGOTIATION) { id } }`, {
      id: opportunity.id,
    });

    expect(duplicate.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(invalid.errors?.[0].extensions?.code).toBe('INVALID_TRANSITION');
    expect(await countOutbox(sut)).toBe(before);
  });
});

/** A stand-in for governance's `POST /audit/events`: records what it receives, answers as told. */
class IngestStub {
  received: AuditEvent[] = [];
  status = 200;
  delayMs = 0;
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as AuditIngestRequest;
        setTimeout(() => {
          this.received.push(...body.events);
          res.writeHead(this.status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(this.status === 200 ? { accepted: body.events.length, duplicates: 0 } : { error: 'unavailable' }));
        }, this.delayMs);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/audit/events`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

describe('CRM audit outbox relay', () => {
  const stub = new IngestStub();
  let database: TestDatabase;
  let first: RunningService;
  let second: RunningService | undefined;
  let factory: CrmFactory;
  let ingestUrl: string;
  // small batches and short waits, so two relays overlap and a recovery shows within the test
  const relay: CrmModuleOptions['outboxRelay'] = { batchSize: 5, pollIntervalMs: 50, firstBackoffMs: 100, maxBackoffMs: 400 };

  beforeAll(async () => {
    ingestUrl = await stub.start();
    database = await createTestDatabase();
    first = await startTestService(CrmModule.forRoot({ databaseUrl: database.url, auditIngestUrl: ingestUrl, outboxRelay: relay }), 'crm');
    factory = new CrmFactory(first.graphqlUrl);
  });

  afterAll(async () => {
    await second?.close();
    await first?.close();
    await database?.drop();
    await stub.stop();
  });

  beforeEach(() => {
    stub.received = [];
    stub.status = 200;
    stub.delayMs = 0;
  });

  const undelivered = async (): Promise<number> =>
    Number((await first.dataSource.query(`SELECT count(*)::int AS count FROM crm.outbox WHERE delivered_at IS NULL`))[0].count);

  it('should deliver committed changes to the ingest endpoint and mark them delivered', async () => {
    const client = await factory.client();

    await eventually(async () => (await undelivered()) === 0);

    const [row] = await outboxOf(first, client.id);
    expect(row.delivered_at).toBeInstanceOf(Date);
    expect(stub.received.filter((event) => event.eventId === row.event_id)).toEqual([
      expect.objectContaining({
        eventId: row.event_id,
        service: 'crm',
        action: 'create',
        entity: 'Client',
        entityId: client.id,
        before: null,
      }),
    ]);
  });

  it('should keep the rows while governance is unavailable and deliver them after it recovers', async () => {
    stub.status = 503;
    const clients = [await factory.client(), await factory.client(), await factory.client()];
    await eventually(async () => stub.received.length >= 3);
    expect(await undelivered()).toBeGreaterThanOrEqual(3);
    const metrics = await (await fetch(`${first.url}/metrics`)).text();
    expect(metrics).toMatch(/concord_outbox_undelivered\{service="crm"\} [1-9]/);

    stub.status = 200;
    await eventually(async () => (await undelivered()) === 0);

    for (const client of clients) {
      const [row] = await outboxOf(first, client.id);
      expect(row.delivered_at).toBeInstanceOf(Date);
      expect(stub.received.some((event) => event.eventId === row.event_id)).toBe(true);
    }
    expect(await (await fetch(`${first.url}/metrics`)).text()).toMatch(/concord_outbox_undelivered\{service="crm"\} 0/);
  });

  it('should not let two relays deliver the same row concurrently', async () => {
    second = await startTestService(CrmModule.forRoot({ databaseUrl: database.url, auditIngestUrl: ingestUrl, outboxRelay: relay }), 'crm');
    stub.delayMs = 30;
    const before = new Set(
      (await first.dataSource.query(`SELECT event_id FROM crm.outbox`)).map((row: { event_id: string }) => row.event_id),
    );

    await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        new CrmFactory(index % 2 ? first.graphqlUrl : (second as RunningService).graphqlUrl).client(),
      ),
    );
    await eventually(async () => (await undelivered()) === 0, 20_000);

    const fresh = stub.received.map((event) => event.eventId).filter((eventId) => !before.has(eventId));
    expect(fresh).toHaveLength(40);
    expect(new Set(fresh).size).toBe(40);
  });
});
