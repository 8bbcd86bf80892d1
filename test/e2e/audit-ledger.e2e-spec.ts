import { queryData } from '@concord/testing';
import { sql } from './support/database';
import { startStack, type Stack } from './support/stack';

const CREATE = `mutation($input: CreateClientInput!) { createClient(input: $input) { id } }`;

describe('audit trail from the subgraph write points to the governance ledger', () => {
  let stack: Stack;
  let sequence = 0;

  beforeAll(async () => {
    stack = await startStack({ governance: true });
  });

  afterAll(async () => {
    await stack?.close();
  });

  async function createClients(count: number, correlationPrefix: string): Promise<string[]> {
    const correlationIds: string[] = [];
    for (let index = 0; index < count; index++) {
      sequence++;
      const correlationId = `${correlationPrefix}-${sequence}`;
      await queryData(
        stack.gateway.url,
        CREATE,
        { input: { name: `Audited ${sequence}`, domain: `audited${sequence}.example.com`, ownerId: 'sales-1', currency: 'EUR' } },
        { ...stack.auth, 'x-correlation-id': correlationId },
      );
      correlationIds.push(correlationId);
    }
    return correlationIds;
  }

  /** Waits until every outbox row of the CRM is delivered, then compares outbox and ledger event by event. */
  async function expectEveryCommittedChangeOnceInTheLedger(): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const [{ pending }] = await sql<{ pending: number }>(
        stack.database.url,
        `SELECT count(*)::int AS pending FROM crm.outbox WHERE delivered_at IS NULL`,
      );
      if (pending === 0) {
        break;
      }
      if (Date.now() > deadline) {
        throw new Error(`${pending} outbox rows still undelivered`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const [{ missing }] = await sql<{ missing: number }>(
      stack.database.url,
      `SELECT count(*)::int AS missing FROM crm.outbox o LEFT JOIN governance.audit_event a ON a.event_id = o.event_id WHERE a.event_id IS NULL`,
    );
    const [{ doubled }] = await sql<{ doubled: number }>(
      stack.database.url,
      `SELECT count(*)::int AS doubled FROM (SELECT event_id FROM governance.audit_event GROUP BY event_id HAVING count(*) > 1) twice`,
    );
    expect({ missing, doubled }).toEqual({ missing: 0, doubled: 0 });
    const verify = await (await fetch(`${stack.governance!.origin}/audit/verify`)).json();
    expect(verify).toMatchObject({ ok: true, firstBroken: null });
  }

  it('should record a write through the gateway in the ledger with its correlation id', async () => {
    const [correlationId] = await createClients(1, 'audit-e2e');

    await expectEveryCommittedChangeOnceInTheLedger();

    const rows = await sql<{ service: string; action: string; entity: string }>(
      stack.database.url,
      `SELECT service, action, entity FROM governance.audit_event WHERE correlation_id = $1`,
      [correlationId],
    );
    expect(rows).toEqual([{ service: 'crm', action: 'create', entity: 'Client' }]);
  });

  it('should lose nothing while governance is down and deliver once it is back', async () => {
    await stack.governance!.stop();
    await createClients(5, 'while-down');
    const [{ pending }] = await sql<{ pending: number }>(
      stack.database.url,
      `SELECT count(*)::int AS pending FROM crm.outbox WHERE delivered_at IS NULL`,
    );
    expect(pending).toBeGreaterThanOrEqual(5);

    await stack.governance!.restart();

    await expectEveryCommittedChangeOnceInTheLedger();
  });

  it('should lose nothing when the subgraph is killed between commit and delivery', async () => {
    await stack.governance!.stop(); // hold delivery so the kill surely falls between commit and delivery
    await createClients(3, 'before-kill');
    await stack.subgraphs.crm.kill();
    await stack.governance!.restart();

    await stack.subgraphs.crm.restart();

    await expectEveryCommittedChangeOnceInTheLedger();
  });
});
