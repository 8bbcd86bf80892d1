import { ErrorCode, newId, runWithContext } from '@concord/common';
import { OutboxWriteHook, WritePoint, WritePolicyHook } from '@concord/graphql';
import { defaultPolicyBundle, PolicyEngine, type PolicyBundle } from '@concord/policy';
import { useTestService } from '@concord/testing';
import { CrmModule } from '../app.module';
import { ClientEntity } from '../client/client.entity';

/**
 * The write half of the policy enforcement point (ARCHITECTURE.md §6 a–b), on CRM's real tables: ownership and CASL
 * checks run inside the write's transaction, a refusal writes nothing, and the attempt is recorded as `denied`.
 */
describe('CRM write point with the policy hook', () => {
  const sut = useTestService((databaseUrl) => CrmModule.forRoot({ databaseUrl }), 'crm');
  let engine: PolicyEngine;
  let writePoint: WritePoint;

  const base = defaultPolicyBundle();
  const withClientNameOwnedByErp: PolicyBundle = {
    ...base,
    version: base.version + 1,
    ownership: { ...base.ownership, Client: { ...base.ownership.Client!, fields: { ...base.ownership.Client!.fields, name: 'erp' } } },
  };

  beforeAll(() => {
    engine = new PolicyEngine(base);
    writePoint = new WritePoint(sut.dataSource, [new WritePolicyHook('crm', { engine: () => engine }), new OutboxWriteHook('crm')]);
  });

  const as = <T>(sub: string, roles: string[], work: () => Promise<T>): Promise<T> =>
    runWithContext({ correlationId: `corr-${newId()}`, actor: { sub, roles }, policyVersion: engine.version }, work);

  const createClient = (ownerId: string, sub = ownerId, roles = ['sales']) =>
    as(sub, roles, () =>
      writePoint.run((tx) =>
        tx.create(ClientEntity, { name: `Client ${newId()}`, domain: `${newId()}.example.com`, ownerId, currency: 'EUR', arrAmount: '100.00' } as never),
      ),
    );

  const outboxOf = (id: string): Promise<{ action: string; reason: string | null; actor: unknown; changed_fields: string[]; policy_version: string | null }[]> =>
    sut.dataSource.query(`SELECT action, reason, actor, changed_fields, policy_version FROM crm.outbox WHERE entity_id = $1 ORDER BY occurred_at, event_id`, [id]);

  it('lets sales create and update a client they own, and records the policy version', async () => {
    const client = await createClient('rep-1');
    await as('rep-1', ['sales'], () => writePoint.run((tx) => tx.update(ClientEntity, client.id, { industry: 'Retail' } as never)));
    const rows = await outboxOf(client.id);
    expect(rows.map((row) => row.action)).toEqual(['create', 'update']);
    expect(rows[1]).toMatchObject({ actor: { sub: 'rep-1', roles: ['sales'] }, policy_version: String(engine.version) });
  });

  it("refuses sales a client owned by someone else with FORBIDDEN, writes nothing and records the denied attempt", async () => {
    const client = await createClient('rep-2');
    const attempt = as('rep-3', ['sales'], () => writePoint.run((tx) => tx.update(ClientEntity, client.id, { industry: 'Mining' } as never)));
    await expect(attempt).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN, details: { entity: 'Client', id: client.id, action: 'update' } });

    const [stored] = await sut.dataSource.query(`SELECT industry FROM crm.client WHERE id = $1`, [client.id]);
    expect(stored.industry).not.toBe('Mining');
    const rows = await outboxOf(client.id);
    expect(rows.map((row) => row.action)).toEqual(['create', 'denied']);
    expect(rows[1]).toMatchObject({ actor: { sub: 'rep-3', roles: ['sales'] }, changed_fields: ['industry'] });
    expect(rows[1]!.reason).toMatch(/^FORBIDDEN: /);
  });

  it('refuses roles without a write rule (executive, auditor) and a request without a caller', async () => {
    await expect(createClient('exec-1', 'exec-1', ['executive'])).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
    await expect(createClient('aud-1', 'aud-1', ['auditor'])).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
    const anonymous = runWithContext({ correlationId: 'no-caller' }, () =>
      writePoint.run((tx) => tx.create(ClientEntity, { name: 'Nobody', domain: 'nobody.example.com', ownerId: 'x', currency: 'EUR', arrAmount: '1' } as never)),
    );
    await expect(anonymous).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
  });

  it('refuses a field whose system of record is another system with OWNERSHIP_VIOLATION, for every role', async () => {
    const client = await createClient('rep-4');
    engine = new PolicyEngine(withClientNameOwnedByErp);
    try {
      for (const roles of [['sales'], ['integration']]) {
        const attempt = as('rep-4', roles, () => writePoint.run((tx) => tx.update(ClientEntity, client.id, { name: 'Renamed in CRM' } as never)));
        await expect(attempt).rejects.toMatchObject({
          code: ErrorCode.OWNERSHIP_VIOLATION,
          details: { entity: 'Client', owner: 'erp', fields: ['name'] },
        });
      }
      // fields CRM is still the record for go through
      await as('rep-4', ['sales'], () => writePoint.run((tx) => tx.update(ClientEntity, client.id, { industry: 'Energy' } as never)));
    } finally {
      engine = new PolicyEngine(base);
    }
    const [stored] = await sut.dataSource.query(`SELECT name, industry FROM crm.client WHERE id = $1`, [client.id]);
    expect(stored.name).not.toBe('Renamed in CRM');
    expect(stored.industry).toBe('Energy');
    const rows = await outboxOf(client.id);
    expect(rows.map((row) => row.action)).toEqual(['create', 'denied', 'denied', 'update']);
    expect(rows[1]!.reason).toMatch(/^OWNERSHIP_VIOLATION: Client.name: the system of record is ERP/);
  });

  it('refuses to create records of an entity another system owns', async () => {
    const bundle: PolicyBundle = { ...base, ownership: { ...base.ownership, Client: { owner: 'erp' } } };
    engine = new PolicyEngine(bundle);
    try {
      await expect(createClient('rep-5', 'rep-5', ['integration'])).rejects.toMatchObject({ code: ErrorCode.OWNERSHIP_VIOLATION });
    } finally {
      engine = new PolicyEngine(base);
    }
  });

  it('refuses every write while no policy bundle is loaded', async () => {
    const empty = new WritePoint(sut.dataSource, [new WritePolicyHook('crm', { engine: () => undefined })]);
    const attempt = as('rep-6', ['integration'], () =>
      empty.run((tx) => tx.create(ClientEntity, { name: 'Closed', domain: 'closed.example.com', ownerId: 'rep-6', currency: 'EUR', arrAmount: '1' } as never)),
    );
    await expect(attempt).rejects.toMatchObject({ code: ErrorCode.SERVICE_UNAVAILABLE });
  });
});
