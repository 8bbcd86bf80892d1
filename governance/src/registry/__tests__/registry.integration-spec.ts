import { ErrorCode } from '@concord/common';
import type { RunningService } from '@concord/testing';
import { callGovernance, useGovernance } from '../../__tests__/use-governance';
import { AuditLedgerService } from '../../audit/audit-ledger.service';
import { RegistryExceptionCode } from '../registry.exception';
import { RegistryService } from '../registry.service';
import { assumeEveryCoordinateUsed, type SchemaUsage } from '../schema-check';

const FEDERATION = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external"])';

const CRM_V1 = `${FEDERATION}
  type Query { clients: [Client!]! }
  type Client @key(fields: "id") { id: ID! name: String! industry: String }`;

const ERP_V1 = `${FEDERATION}
  type Query { invoices: [Invoice!]! }
  type Invoice @key(fields: "id") { id: ID! total: String! client: Client! }
  type Client @key(fields: "id") { id: ID! arBalance: String }`;

/** Nobody used anything: breaking changes fail only on ownership, deprecation or composition. */
const noUsage: SchemaUsage = { clientsUsing: () => Promise.resolve(new Map()) };

const DAY = 86_400_000;

const call = callGovernance;

async function rowCount(service: RunningService, subgraph: string): Promise<number> {
  const [{ count }]: { count: number }[] = await service.dataSource.query(
    'SELECT count(*)::int AS count FROM governance.schema_version WHERE subgraph = $1',
    [subgraph],
  );
  return count;
}

describe(RegistryService.name, () => {
  const service = useGovernance();
  const sut = () => service.app.get(RegistryService);

  it('should accept a first publish of each subgraph as version 1 and record it in the ledger', async () => {
    const crm = await call(service, 'POST', '/registry/publish', { subgraph: 'crm', sdl: CRM_V1, author: 'ci-crm' });
    const erp = await call(service, 'POST', '/registry/publish', { subgraph: 'erp', sdl: ERP_V1, author: 'ci-erp' });

    expect(crm.status).toBe(200);
    expect(crm.body).toMatchObject({ subgraph: 'crm', version: 1, status: 'PUBLISHED', unchanged: false });
    expect(crm.body.report).toMatchObject({
      ok: true,
      baseVersion: null,
      composition: { ok: true, errors: [] },
      changes: [],
      ownership: [],
      reasons: [],
    });
    expect(erp.body).toMatchObject({ subgraph: 'erp', version: 1, status: 'PUBLISHED' });
    const events: { action: string; entity: string; entity_id: string; actor: unknown }[] = await service.dataSource.query(
      `SELECT action, entity, entity_id, actor FROM governance.audit_event WHERE action = 'schema.publish' ORDER BY position`,
    );
    expect(events).toEqual([
      { action: 'schema.publish', entity: 'SubgraphSchema', entity_id: 'crm@1', actor: { sub: 'ci-crm', roles: [] } },
      { action: 'schema.publish', entity: 'SubgraphSchema', entity_id: 'erp@1', actor: { sub: 'ci-erp', roles: [] } },
    ]);
    expect(await service.app.get(AuditLedgerService).verify()).toMatchObject({ ok: true });
  });

  it('should treat the latest published SDL again (formatting aside) as a no-op answering that version', async () => {
    const before = await rowCount(service, 'crm');

    const again = await call(service, 'POST', '/registry/publish', {
      subgraph: 'crm',
      sdl: `# same schema\n${CRM_V1}\n\n`,
      author: 'ci-crm',
    });

    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ subgraph: 'crm', version: 1, status: 'PUBLISHED', unchanged: true });
    expect(await rowCount(service, 'crm')).toBe(before);
  });

  it('should reject removing a field as BREAKING with readable reasons and keep the attempt as REJECTED', async () => {
    const sdl = CRM_V1.replace(' industry: String', '');
    const now = new Date().toISOString();
    const reported = await call(service, 'POST', '/registry/usage', {
      reports: [
        {
          clientName: 'web',
          clientVersion: '1.0.0',
          operationHash: 'a'.repeat(64),
          operationName: 'ClientList',
          coordinates: ['Query.clients', 'Client.industry'],
          count: 3,
          firstSeen: now,
          lastSeen: now,
        },
      ],
    });
    expect(reported).toEqual({ status: 200, body: { accepted: 1 } });

    const checked = await call(service, 'POST', '/registry/check', { subgraph: 'crm', sdl });
    const published = await call(service, 'POST', '/registry/publish', { subgraph: 'crm', sdl, author: 'ci-crm' });

    expect(checked.status).toBe(200);
    expect(checked.body.ok).toBe(false);
    expect(published.status).toBe(409);
    expect(published.body.error).toMatchObject({ code: ErrorCode.CONFLICT, reason: RegistryExceptionCode.CHECK_FAILED, version: 2 });
    const report = published.body.error.report;
    expect(report.changes).toEqual([
      expect.objectContaining({
        criticality: 'BREAKING',
        type: 'FIELD_REMOVED',
        path: 'Client.industry',
        clients: ['web@1.0.0 (operations: ClientList aaaaaaaaaaaa)'],
        used: true,
      }),
    ]);
    expect(report.reasons).toEqual([
      expect.stringMatching(
        /^breaking change FIELD_REMOVED at Client\.industry: .*industry.* \(used by web@1\.0\.0 \(operations: ClientList/,
      ),
      'deprecation: Client.industry is removed without having been published as @deprecated for 14 days first',
    ]);
    const versions = await call(service, 'GET', '/registry/subgraphs/crm/versions');
    expect(versions.body.map((version: { version: number; status: string }) => [version.version, version.status])).toEqual([
      [2, 'REJECTED'],
      [1, 'PUBLISHED'],
    ]);
  });

  it('should accept an added field and an added optional argument as SAFE', async () => {
    const sdl = CRM_V1.replace('clients: [Client!]!', 'clients(first: Int): [Client!]!').replace(
      'industry: String',
      'industry: String website: String',
    );

    const published = await call(service, 'POST', '/registry/publish', { subgraph: 'crm', sdl, author: 'ci-crm' });

    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ version: 3, status: 'PUBLISHED', report: { ok: true, baseVersion: 1, reasons: [] } });
    expect(
      published.body.report.changes.map((change: { criticality: string; type: string; path: string }) => [
        change.criticality,
        change.type,
        change.path,
      ]),
    ).toEqual([
      ['SAFE', 'FIELD_ADDED', 'Client.website'],
      ['SAFE', 'FIELD_ARGUMENT_ADDED', 'Query.clients.first'],
    ]);
  });

  it('should reject a schema that does not compose with the others, with the composition error', async () => {
    const sdl = ERP_V1.replace('invoices: [Invoice!]!', 'invoices: [Invoice!]! clients: Int');

    const published = await call(service, 'POST', '/registry/publish', { subgraph: 'erp', sdl, author: 'ci-erp' });

    expect(published.status).toBe(409);
    const report = published.body.error.report;
    expect(report.composition.ok).toBe(false);
    expect(report.composition.errors.length).toBeGreaterThan(0);
    expect(report.reasons.length).toBeGreaterThan(0);
    expect(report.reasons.every((reason: string) => reason.startsWith('composition: '))).toBe(true);
    expect(report.reasons.join('\n')).toContain('Query.clients');
  });

  it('should not let crm newly resolve a field of an ERP-owned entity, but let it reference the entity by key', async () => {
    const reference = `${CRM_V1.replace('industry: String', 'industry: String contract: Contract')}
      type Contract @key(fields: "id", resolvable: false) { id: ID! }`;
    const resolving = `${CRM_V1} type Contract @key(fields: "id") { id: ID! value: String }`;

    const allowed = await sut().check({ subgraph: 'crm', sdl: reference });
    const refused = await call(service, 'POST', '/registry/publish', { subgraph: 'crm', sdl: resolving, author: 'ci-crm' });

    expect(allowed.ownership).toEqual([]);
    expect(refused.status).toBe(409);
    expect(refused.body.error.report.ownership).toEqual([{ coordinate: 'Contract.value', owner: 'erp' }]);
    expect(refused.body.error.report.reasons).toContain(
      'ownership: Contract.value belongs to subgraph "erp" (its system of record); "crm" may only reference it as a key or @external field',
    );
  });

  describe('deprecation grace period', () => {
    const start = new Date('2026-01-05T09:00:00.000Z');
    const at = (days: number) => () => new Date(start.getTime() + days * DAY);
    const PSA_V1 = `${FEDERATION}
      type Query { tasks: [Task!]! }
      type Task @key(fields: "id") { id: ID! name: String! legacyCode: String weight: Int }`;
    const deprecated = PSA_V1.replace('legacyCode: String', 'legacyCode: String @deprecated(reason: "use name")');
    const removed = PSA_V1.replace('legacyCode: String', '');

    it('should refuse removing a field deprecated less than the grace period ago, and allow it afterwards', async () => {
      await sut().publish({ subgraph: 'psa', sdl: PSA_V1, author: 'ci-psa' }, { now: at(0), usage: noUsage });
      await sut().publish({ subgraph: 'psa', sdl: deprecated, author: 'ci-psa' }, { now: at(1), usage: noUsage });

      const early = sut().publish({ subgraph: 'psa', sdl: removed, author: 'ci-psa' }, { now: at(10), usage: noUsage });
      await expect(early).rejects.toMatchObject({
        code: RegistryExceptionCode.CHECK_FAILED,
        details: {
          report: expect.objectContaining({
            deprecation: [
              { coordinate: 'Task.legacyCode', ok: false, deprecatedSince: at(1)().toISOString(), removableFrom: at(15)().toISOString() },
            ],
            reasons: [
              `deprecation: Task.legacyCode is @deprecated since ${at(1)().toISOString()}; it may be removed from ${at(15)().toISOString()} (14 days)`,
            ],
          }),
        },
      });

      const late = await sut().publish({ subgraph: 'psa', sdl: removed, author: 'ci-psa' }, { now: at(15), usage: noUsage });
      expect(late).toMatchObject({
        status: 'PUBLISHED',
        version: 4,
        report: { ok: true, deprecation: [expect.objectContaining({ ok: true })] },
      });
    });

    it('should keep refusing a removal while the field is used (here: usage assumed), whatever the grace period', async () => {
      const report = await sut().check(
        { subgraph: 'psa', sdl: removed.replace(' weight: Int', '') },
        { now: at(40), usage: assumeEveryCoordinateUsed },
      );

      expect(report.ok).toBe(false);
      expect(report.reasons).toEqual([
        expect.stringMatching(/^breaking change FIELD_REMOVED at Task\.weight: /),
        'deprecation: Task.weight is removed without having been published as @deprecated for 14 days first',
      ]);
    });
  });

  it('should compose the latest published version of every subgraph into the supergraph', async () => {
    const { status, body } = await call(service, 'GET', '/registry/supergraph');

    expect(status).toBe(200);
    expect(body.subgraphs.map((subgraph: { name: string; version: number }) => [subgraph.name, subgraph.version])).toEqual([
      ['crm', 3],
      ['erp', 1],
      ['psa', 4],
    ]);
    expect(body.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(body.supergraphSdl).toContain('join__Graph');
    expect(body.supergraphSdl).toContain('website: String');
    expect(body.supergraphSdl).not.toContain('legacyCode');
  });

  it('should answer 404 for a subgraph that published nothing and 400 for invalid input', async () => {
    const missing = await call(service, 'GET', '/registry/subgraphs/nobody/versions');
    const invalid = await call(service, 'POST', '/registry/publish', { subgraph: 'CRM!', sdl: '', author: ' ' });

    expect(missing).toMatchObject({
      status: 404,
      body: { error: { code: ErrorCode.NOT_FOUND, reason: RegistryExceptionCode.SUBGRAPH_NOT_FOUND } },
    });
    expect(invalid).toMatchObject({
      status: 400,
      body: { error: { code: ErrorCode.BAD_USER_INPUT, reason: RegistryExceptionCode.INVALID_INPUT } },
    });
    expect(invalid.body.error.problems).toHaveLength(3);
  });

  it('should keep versions append-only', async () => {
    await expect(service.dataSource.query(`UPDATE governance.schema_version SET author = 'someone else'`)).rejects.toThrow(/append-only/);
    await expect(service.dataSource.query('DELETE FROM governance.schema_version')).rejects.toThrow(/append-only/);
  });
});
