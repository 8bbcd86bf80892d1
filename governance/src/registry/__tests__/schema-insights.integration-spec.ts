import type { UsageReport } from '@concord/common';
import { asCaller, postGraphQL } from '@concord/testing';
import { callGovernance, useGovernance } from '../../__tests__/use-governance';
import { affectedClientOf } from '../schema-insights.service';

const FEDERATION = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';
const CRM_V1 = `${FEDERATION}
  type Query { clients: [Client!]! }
  type Client @key(fields: "id") { id: ID! name: String! industry: String @deprecated(reason: "use sector") sector: String legacyCode: String }`;
const CRM_V2 = CRM_V1.replace('legacyCode: String', 'legacyCode: String website: String');
const CRM_V3 = CRM_V2.replace(' legacyCode: String', '');

const operator = { sub: 'op-olga', roles: ['operator'] };
const steward = { sub: 'steward-sam', roles: ['data_steward'] };
const consultant = { sub: 'con-carl', roles: ['consultant'] };
const HASH_LIST = 'a1'.repeat(32);
const HASH_LEGACY = 'c3'.repeat(32);

function usage(overrides: Partial<UsageReport>): UsageReport {
  const at = new Date();
  return {
    clientName: 'web',
    clientVersion: '2.1.0',
    operationHash: HASH_LIST,
    operationName: 'ClientList',
    coordinates: ['Query.clients', 'Client.name', 'Client.industry'],
    count: 3,
    firstSeen: new Date(at.getTime() - 5_000).toISOString(),
    lastSeen: at.toISOString(),
    ...overrides,
  };
}

describe('API owners’ registry insights (GraphQL)', () => {
  const service = useGovernance();
  const gql = (caller: { sub: string; roles: string[] }, query: string, variables?: Record<string, unknown>) =>
    postGraphQL(service.graphqlUrl, query, variables, asCaller(caller));

  beforeAll(async () => {
    expect((await callGovernance(service, 'POST', '/registry/publish', { subgraph: 'crm', sdl: CRM_V1, author: 'ci-crm' })).status).toBe(200);
    await callGovernance(service, 'POST', '/registry/usage', {
      reports: [
        usage({}),
        usage({ clientName: 'mobile', clientVersion: '1.0.0', operationHash: HASH_LEGACY, operationName: 'LegacyCodes', coordinates: ['Query.clients', 'Client.legacyCode'] }),
      ],
    });
    // a dry-run that would break mobile, then a safe publish, then the breaking one (rejected) that a steward approves
    const dryRun = await callGovernance(service, 'POST', '/registry/check', { subgraph: 'crm', sdl: CRM_V1.replace(' legacyCode: String', '') });
    expect(dryRun.body.ok).toBe(false);
    // the schema publisher's probe before a publish is not kept
    const probe = await callGovernance(service, 'POST', '/registry/check', { subgraph: 'crm', sdl: CRM_V2, record: false });
    expect(probe.body.ok).toBe(true);
    expect((await callGovernance(service, 'POST', '/registry/publish', { subgraph: 'crm', sdl: CRM_V2, author: 'ci-crm' })).status).toBe(200);
    expect((await callGovernance(service, 'POST', '/registry/publish', { subgraph: 'crm', sdl: CRM_V3, author: 'ci-crm' })).status).toBe(409);
    const approved = await gql(
      steward,
      `mutation { approveSchemaVersion(subgraph: "crm", version: 3, reason: "mobile 1.0 is retired on Friday") { version checkPassed } }`,
    );
    expect(approved.errors).toBeUndefined();
  });

  it('should diff any two versions of a subgraph, with both SDLs', async () => {
    const { data, errors } = await gql(
      operator,
      `{ subgraphSchemaDiff(subgraph: "crm", fromVersion: 1, toVersion: 3) { fromVersion toVersion fromSdl toSdl changes { criticality type path } } }`,
    );

    expect(errors).toBeUndefined();
    expect(data!.subgraphSchemaDiff.changes).toEqual([
      { criticality: 'BREAKING', type: 'FIELD_REMOVED', path: 'Client.legacyCode' },
      { criticality: 'SAFE', type: 'FIELD_ADDED', path: 'Client.website' },
    ]);
    expect(data!.subgraphSchemaDiff.fromSdl).toContain('legacyCode');
    expect(data!.subgraphSchemaDiff.toSdl).not.toContain('legacyCode');
  });

  it('should answer NOT_FOUND for a version that does not exist', async () => {
    const { errors } = await gql(operator, `{ subgraphSchemaDiff(subgraph: "crm", fromVersion: 1, toVersion: 9) { fromVersion } }`);

    expect(errors![0].extensions!.code).toBe('NOT_FOUND');
  });

  it('should list stored checks newest first, dry-runs included (probes not), with the client versions and operations they affect', async () => {
    const { data, errors } = await gql(
      operator,
      `{ schemaChecks(subgraph: "crm") { edges { node { source version status author ok approved reasons affectedClientVersions affectedOperations
          changes { criticality path affected { client operations } } } } pageInfo { hasNextPage } } }`,
    );

    expect(errors).toBeUndefined();
    expect(data!.schemaChecks.pageInfo.hasNextPage).toBe(false);
    const checks = data!.schemaChecks.edges.map((edge: any) => edge.node);
    expect(checks.map((check: any) => [check.source, check.version, check.status, check.ok, check.approved])).toEqual([
      ['PUBLISH', 3, 'REJECTED', false, true],
      ['PUBLISH', 2, 'PUBLISHED', true, false],
      ['CHECK', null, null, false, false],
      ['PUBLISH', 1, 'PUBLISHED', true, false],
    ]);
    for (const failed of [checks[0], checks[2]]) {
      expect(failed.affectedClientVersions).toEqual(['mobile@1.0.0']);
      expect(failed.affectedOperations).toEqual([`LegacyCodes ${HASH_LEGACY.slice(0, 12)}`]);
      expect(failed.changes).toContainEqual({
        criticality: 'BREAKING',
        path: 'Client.legacyCode',
        affected: [{ client: 'mobile@1.0.0', operations: [`LegacyCodes ${HASH_LEGACY.slice(0, 12)}`] }],
      });
    }
  });

  it('should page through the checks of both kinds with a cursor, in the same order, none skipped or repeated', async () => {
    const seen: [string, number | null][] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const { data, errors }: { data?: any; errors?: unknown } = await gql(
        operator,
        `query ($after: String) { schemaChecks(subgraph: "crm", first: 1, after: $after) {
          edges { cursor node { source version } } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      expect(errors).toBeUndefined();
      expect(data.schemaChecks.edges).toHaveLength(1);
      seen.push([data.schemaChecks.edges[0].node.source, data.schemaChecks.edges[0].node.version]);
      if (!data.schemaChecks.pageInfo.hasNextPage) {
        break;
      }
      after = data.schemaChecks.pageInfo.endCursor;
    }

    expect(seen).toEqual([
      ['PUBLISH', 3],
      ['PUBLISH', 2],
      ['CHECK', null],
      ['PUBLISH', 1],
    ]);
  });

  it('should refuse a cursor of another list with BAD_USER_INPUT', async () => {
    const approvals = await gql(operator, `{ schemaApprovals(first: 1) { pageInfo { endCursor } } }`);
    const cursor = approvals.data!.schemaApprovals.pageInfo.endCursor;
    expect(cursor).toEqual(expect.any(String));

    const { errors } = await gql(operator, `query ($after: String) { schemaChecks(first: 1, after: $after) { edges { cursor } } }`, { after: cursor });

    expect(errors![0].extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('should list approvals with the approver, the reason and what failed', async () => {
    const { data, errors } = await gql(
      operator,
      `{ schemaApprovals { edges { node { subgraph version publishedBy approvedBy approverRoles reason supergraphVersion reasons } }
          pageInfo { hasNextPage } } }`,
    );

    expect(errors).toBeUndefined();
    expect(data!.schemaApprovals.pageInfo.hasNextPage).toBe(false);
    const approvals = data!.schemaApprovals.edges.map((edge: any) => edge.node);
    expect(approvals).toEqual([
      expect.objectContaining({
        subgraph: 'crm',
        version: 3,
        publishedBy: 'ci-crm',
        approvedBy: 'steward-sam',
        approverRoles: ['data_steward'],
        reason: 'mobile 1.0 is retired on Friday',
      }),
    ]);
    expect(approvals[0].reasons[0]).toMatch(/^breaking change FIELD_REMOVED at Client\.legacyCode/);
  });

  it('should show field usage by client version, per day', async () => {
    const summary = await gql(operator, `{ fieldUsage(days: 7, typeName: "Client") { coordinate count clientVersions operations } }`);
    const trend = await gql(operator, `{ fieldUsageTrend(coordinate: "Client.industry", days: 7) { day clientName clientVersion count } }`);

    expect(summary.errors).toBeUndefined();
    expect(summary.data!.fieldUsage).toEqual([
      { coordinate: 'Client.industry', count: 3, clientVersions: 1, operations: 1 },
      { coordinate: 'Client.legacyCode', count: 3, clientVersions: 1, operations: 1 },
      { coordinate: 'Client.name', count: 3, clientVersions: 1, operations: 1 },
    ]);
    expect(trend.data!.fieldUsageTrend).toEqual([
      { day: new Date().toISOString().slice(0, 10), clientName: 'web', clientVersion: '2.1.0', count: 3 },
    ]);
  });

  it('should tell which deprecated fields are still used, by whom and since when they are deprecated', async () => {
    const [first]: { created_at: Date }[] = await service.dataSource.query(
      `SELECT created_at FROM governance.schema_version WHERE subgraph = 'crm' AND version = 1`,
    );

    const { data, errors } = await gql(
      operator,
      `{ deprecatedFields(days: 7) { subgraph coordinate reason deprecatedSince removableFrom ready clients { clientName clientVersion count excluded } } }`,
    );

    expect(errors).toBeUndefined();
    expect(data!.deprecatedFields).toEqual([
      {
        subgraph: 'crm',
        coordinate: 'Client.industry',
        reason: 'use sector',
        deprecatedSince: first.created_at.toISOString(),
        removableFrom: new Date(first.created_at.getTime() + 14 * 86_400_000).toISOString(),
        ready: false,
        clients: [{ clientName: 'web', clientVersion: '2.1.0', count: 3, excluded: false }],
      },
    ]);
  });

  it('should not show the checks to a consultant', async () => {
    const { data, errors } = await gql(consultant, `{ schemaChecks { edges { node { ok } } } }`);

    expect(data).toBeNull();
    expect(errors![0].extensions!.code).toBe('FORBIDDEN');
  });
});

describe(affectedClientOf.name, () => {
  it('should split a stored client label into the client version and its operations', () => {
    expect(affectedClientOf('web@2.1.0 (operations: ClientList a1a1a1a1a1a1, anonymous b2b2b2b2b2b2, 3 more)')).toEqual({
      client: 'web@2.1.0',
      operations: ['ClientList a1a1a1a1a1a1', 'anonymous b2b2b2b2b2b2', '3 more'],
    });
    expect(affectedClientOf('unknown clients (usage is not reported yet: assumed used)')).toEqual({
      client: 'unknown clients (usage is not reported yet: assumed used)',
      operations: [],
    });
  });
});
