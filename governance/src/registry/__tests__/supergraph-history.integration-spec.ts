import { ErrorCode } from '@concord/common';
import { asCaller, postGraphQL } from '@concord/testing';
import { callGovernance, useGovernance } from '../../__tests__/use-governance';
import { AuditLedgerService } from '../../audit/audit-ledger.service';
import { RegistryExceptionCode } from '../registry.exception';
import { RegistryService } from '../registry.service';
import { assumeEveryCoordinateUsed } from '../schema-check';

const FEDERATION = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';
const CRM_V1 = `${FEDERATION}
  type Query { clients: [Client!]! }
  type Client @key(fields: "id") { id: ID! name: String! industry: String }`;
const CRM_WITH_WEBSITE = CRM_V1.replace('industry: String', 'industry: String website: String');
const CRM_WITHOUT_INDUSTRY = CRM_V1.replace(' industry: String', '');
const PSA_V1 = `${FEDERATION}
  type Query { projects: [Project!]! }
  type Project @key(fields: "id") { id: ID! name: String! }`;

const CRM_URL = 'http://127.0.0.1:14001/graphql';
const PSA_URL = 'http://127.0.0.1:14003/graphql';

const ann = { sub: 'steward-ann', roles: ['data_steward'] };
const finance = { sub: 'fin-1', roles: ['finance'] };

const SCHEMA_VERSION_FIELDS =
  'subgraph version status author routingUrl checkPassed reasons approval { approvedBy reason supergraphVersion }';
const APPROVE = `mutation Approve($subgraph: String!, $version: Int!, $reason: String!) {
  approveSchemaVersion(subgraph: $subgraph, version: $version, reason: $reason) { ${SCHEMA_VERSION_FIELDS} } }`;

describe('Supergraph history: versions, approvals and rollbacks', () => {
  const service = useGovernance();
  const registry = () => service.app.get(RegistryService);
  const gql = (caller: { sub: string; roles: string[] }, query: string, variables?: Record<string, unknown>) =>
    postGraphQL(service.graphqlUrl, query, variables, asCaller(caller));
  const ledger = (action: string): Promise<{ entity_id: string; actor: { sub: string }; reason: string; after: any }[]> =>
    service.dataSource.query('SELECT entity_id, actor, reason, after FROM governance.audit_event WHERE action = $1 ORDER BY position', [
      action,
    ]);

  it('should answer 404 NOTHING_PUBLISHED before any publish', async () => {
    const { status, body } = await callGovernance(service, 'GET', '/registry/supergraph');

    expect(status).toBe(404);
    expect(body.error.reason).toBe(RegistryExceptionCode.NOTHING_PUBLISHED);
  });

  it('should make each passing publish the next supergraph version, routed to the published URLs', async () => {
    const crm = await registry().publish({ subgraph: 'crm', sdl: CRM_V1, author: 'ci-crm', routingUrl: CRM_URL });
    const psa = await registry().publish({ subgraph: 'psa', sdl: PSA_V1, author: 'ci-psa', routingUrl: PSA_URL });

    expect([crm.supergraphVersion, psa.supergraphVersion]).toEqual([1, 2]);
    const { status, body } = await callGovernance(service, 'GET', '/registry/supergraph');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      version: 2,
      cause: 'publish',
      author: 'ci-psa',
      rollbackOf: null,
      subgraphs: [
        { name: 'crm', version: 1, routingUrl: CRM_URL },
        { name: 'psa', version: 1, routingUrl: PSA_URL },
      ],
    });
    expect(body.supergraphSdl).toContain(`CRM @join__graph(name: "crm", url: "${CRM_URL}")`);
    expect(body.supergraphSdl).toContain(`PSA @join__graph(name: "psa", url: "${PSA_URL}")`);
  });

  it('should answer 304 to a gateway that has the served version, and the new one once it changes', async () => {
    const first = await fetch(`${service.url}/registry/supergraph`);
    const etag = first.headers.get('etag')!;

    const unchanged = await fetch(`${service.url}/registry/supergraph`, { headers: { 'if-none-match': etag } });
    await registry().publish({ subgraph: 'crm', sdl: CRM_WITH_WEBSITE, author: 'ci-crm' });
    const changed = await fetch(`${service.url}/registry/supergraph`, { headers: { 'if-none-match': etag } });

    expect(etag).toBe('"sg-2"');
    expect(unchanged.status).toBe(304);
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).toBe('"sg-3"');
    // a publish without a routing URL keeps the served one
    expect(((await changed.json()) as { subgraphs: unknown[] }).subgraphs[0]).toEqual({
      name: 'crm',
      version: 2,
      sha256: expect.any(String),
      routingUrl: CRM_URL,
    });
  });

  it('should publish the served SDL at a new routing URL as a new version, and the same again as a no-op', async () => {
    const moved = await registry().publish({ subgraph: 'psa', sdl: PSA_V1, author: 'ops', routingUrl: 'http://psa.internal:4003/graphql' });
    const again = await registry().publish({ subgraph: 'psa', sdl: PSA_V1, author: 'ops', routingUrl: 'http://psa.internal:4003/graphql' });

    expect(moved).toMatchObject({ version: 2, unchanged: false, supergraphVersion: 4 });
    expect(again).toMatchObject({ version: 2, unchanged: true, supergraphVersion: 4 });
    expect((await registry().supergraph()).supergraphSdl).toContain('url: "http://psa.internal:4003/graphql"');
  });

  it('should keep a rejected publish out of the supergraph', async () => {
    const rejected = registry().publish(
      { subgraph: 'crm', sdl: CRM_WITHOUT_INDUSTRY, author: 'dev-dan' },
      { usage: assumeEveryCoordinateUsed, deprecationGraceDays: 0 },
    );

    await expect(rejected).rejects.toMatchObject({ code: RegistryExceptionCode.CHECK_FAILED, details: { version: 3 } });
    await expect(rejected).rejects.toThrow(/a data steward other than dev-dan may approve version 3/);
    expect((await registry().supergraph()).version).toBe(4);
  });

  it('should refuse the publisher approving their own failed check (FORBIDDEN, recorded as denied)', async () => {
    const { data, errors } = await gql({ sub: 'dev-dan', roles: ['data_steward'] }, APPROVE, {
      subgraph: 'crm',
      version: 3,
      reason: 'I know what I am doing',
    });

    expect(data).toBeNull();
    expect(errors?.[0].extensions).toMatchObject({ code: ErrorCode.FORBIDDEN, reason: RegistryExceptionCode.SELF_APPROVAL });
    const denied: { entity_id: string; actor: { sub: string } }[] = await service.dataSource.query(
      `SELECT entity_id, actor FROM governance.audit_event WHERE action = 'denied' AND entity = 'SubgraphSchema'`,
    );
    expect(denied).toEqual([{ entity_id: 'crm@3', actor: { sub: 'dev-dan', roles: ['data_steward'] } }]);
    expect((await registry().supergraph()).version).toBe(4);
  });

  it('should refuse roles without the approve ability on SubgraphSchemaVersion', async () => {
    const { errors } = await gql(finance, APPROVE, { subgraph: 'crm', version: 3, reason: 'ship it' });

    expect(errors?.[0].extensions).toMatchObject({ code: ErrorCode.FORBIDDEN });
  });

  it('should let another data steward approve it with a reason: a new supergraph version, in the ledger', async () => {
    const { data, errors } = await gql(ann, APPROVE, { subgraph: 'crm', version: 3, reason: 'industry moved to the ERP customer' });

    expect(errors).toBeUndefined();
    expect(data!.approveSchemaVersion).toMatchObject({
      subgraph: 'crm',
      version: 3,
      status: 'REJECTED',
      author: 'dev-dan',
      checkPassed: true,
      reasons: expect.arrayContaining([expect.stringContaining('FIELD_REMOVED at Client.industry')]),
      approval: { approvedBy: 'steward-ann', reason: 'industry moved to the ERP customer', supergraphVersion: 5 },
    });
    const served = await registry().supergraph();
    expect(served).toMatchObject({ version: 5, cause: 'approval', author: 'steward-ann' });
    expect(served.subgraphs.find((member) => member.name === 'crm')).toMatchObject({ version: 3, routingUrl: CRM_URL });
    expect(served.supergraphSdl).not.toContain('industry');
    expect(await ledger('schema.approve')).toEqual([
      {
        entity_id: 'crm@3',
        actor: { sub: 'steward-ann', roles: ['data_steward'] },
        reason: 'industry moved to the ERP customer',
        after: expect.objectContaining({ version: 3, publishedBy: 'dev-dan', supergraphVersion: 5 }),
      },
    ]);
  });

  it('should refuse approving twice, a published version, an unknown one, or without a reason', async () => {
    const approver = { sub: 'steward-ann', roles: ['data_steward'] };
    const approve = (subgraph: string, version: number, reason = 'because') => registry().approve({ subgraph, version, reason, approver });

    await expect(approve('crm', 3)).rejects.toMatchObject({ code: RegistryExceptionCode.NOT_APPROVABLE });
    await expect(approve('crm', 2)).rejects.toMatchObject({ code: RegistryExceptionCode.NOT_APPROVABLE });
    await expect(approve('crm', 99)).rejects.toMatchObject({ code: RegistryExceptionCode.SCHEMA_VERSION_NOT_FOUND });
    await expect(approve('crm', 3, '  ')).rejects.toMatchObject({ code: RegistryExceptionCode.INVALID_INPUT });
  });

  it('should roll back to an earlier supergraph in one call: its exact SDL as the next version, in the ledger', async () => {
    const before = await registry().supergraph(3);

    const { status, body } = await callGovernance(service, 'POST', '/registry/rollback', {
      to: 3,
      author: 'oncall-olga',
      reason: 'clients broke after the approval',
    });

    expect(status).toBe(200);
    expect(body).toMatchObject({ version: 6, cause: 'rollback', rollbackOf: 3, author: 'oncall-olga', sha256: before.sha256 });
    expect((await registry().supergraph()).supergraphSdl).toBe(before.supergraphSdl);
    expect(await ledger('schema.rollback')).toEqual([
      expect.objectContaining({ entity_id: '6', reason: 'clients broke after the approval', actor: { sub: 'oncall-olga', roles: [] } }),
    ]);
    expect(await service.app.get(AuditLedgerService).verify()).toMatchObject({ ok: true });
  });

  it('should check the next publish against what is served after the rollback', async () => {
    const report = await registry().check({ subgraph: 'crm', sdl: CRM_WITH_WEBSITE });

    // served again: crm@2 (with website); version 3 (approved, later rolled back) is not the base
    expect(report).toMatchObject({ ok: true, baseVersion: 2, changes: [] });
  });

  it('should refuse rolling back to what is served, to an unknown version, or without a reason', async () => {
    const current = await callGovernance(service, 'POST', '/registry/rollback', { to: 6, author: 'ops', reason: 'again' });
    const unknown = await callGovernance(service, 'POST', '/registry/rollback', { to: 60, author: 'ops', reason: 'why' });
    const invalid = await callGovernance(service, 'POST', '/registry/rollback', { to: 'x', author: 'ops' });

    expect(current).toMatchObject({ status: 409, body: { error: { reason: RegistryExceptionCode.NOTHING_TO_ROLL_BACK } } });
    expect(unknown).toMatchObject({ status: 404, body: { error: { reason: RegistryExceptionCode.SUPERGRAPH_VERSION_NOT_FOUND } } });
    expect(invalid).toMatchObject({ status: 400, body: { error: { code: ErrorCode.BAD_USER_INPUT } } });
  });

  it('should list supergraph versions and a subgraph’s history to data stewards and auditors through GraphQL', async () => {
    const query = `{ supergraphVersions(first: 3) { version cause rollbackOf author subgraphs { name version } }
      subgraphSchemaVersions(subgraph: "crm") { version status checkPassed approval { approvedBy } } }`;

    const { data, errors } = await gql({ sub: 'aud-1', roles: ['auditor'] }, query);
    const refused = await gql({ sub: 'c-1', roles: ['consultant'] }, query);

    expect(errors).toBeUndefined();
    expect(data!.supergraphVersions.map((version: { version: number; cause: string }) => [version.version, version.cause])).toEqual([
      [6, 'ROLLBACK'],
      [5, 'APPROVAL'],
      [4, 'PUBLISH'],
    ]);
    expect(data!.subgraphSchemaVersions).toEqual([
      { version: 3, status: 'REJECTED', checkPassed: true, approval: { approvedBy: 'steward-ann' } },
      { version: 2, status: 'PUBLISHED', checkPassed: true, approval: null },
      { version: 1, status: 'PUBLISHED', checkPassed: true, approval: null },
    ]);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: ErrorCode.FORBIDDEN });
  });

  it('should keep supergraph versions and approvals append-only', async () => {
    await expect(service.dataSource.query(`UPDATE governance.supergraph_version SET author = 'x'`)).rejects.toThrow(/append-only/);
    await expect(service.dataSource.query('DELETE FROM governance.schema_approval')).rejects.toThrow(/append-only/);
  });
});
