import {
  createGatewayIdentity,
  createGatewayPolicy,
  startGateway,
  type GatewayPolicy,
  type GatewayPolicySettings,
  type RunningGateway,
} from '@concord/gateway';
import { createLogger } from '@concord/common';
import {
  freePort,
  NO_CONTEXT_TOKEN,
  postGraphQL,
  testCallerKeys,
  testContextKeys,
  TEST_JWT_AUDIENCE,
  TEST_JWT_ISSUER,
  type GraphQLResponse,
} from '@concord/testing';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { sql } from './support/database';
import { bearerFor, startStack, type Stack } from './support/stack';

/**
 * The governance control plane end to end (issue 4 "Policy bundle", "Data ownership", "Audit ledger"; ARCHITECTURE.md
 * §2, §6, §10): auditors and data stewards through the gateway with real caller JWTs, ownership changes enforced by
 * the subgraphs within seconds, the ledger recording changes and refusals, and the policy's failure behaviour.
 */

type Caller = { sub: string; roles: readonly string[] };

const WRITER: Caller = { sub: 'gov-e2e-writer', roles: ['integration'] };
const AUDITOR: Caller = { sub: 'gov-e2e-auditor', roles: ['auditor'] };
const EXECUTIVE: Caller = { sub: 'gov-e2e-executive', roles: ['executive'] };
const SALES: Caller = { sub: 'gov-e2e-sales', roles: ['sales'] };
const STEWARD: Caller = { sub: 'gov-e2e-steward-1', roles: ['data_steward'] };
const SECOND_STEWARD: Caller = { sub: 'gov-e2e-steward-2', roles: ['data_steward'] };

const CREATE_CLIENT = `mutation($input: CreateClientInput!) { createClient(input: $input) { id name industry } }`;
const UPDATE_CLIENT = `mutation($id: ID!, $input: UpdateClientInput!) { updateClient(id: $id, input: $input) { id name industry employees } }`;
const AUDIT_EVENTS = `query($filter: AuditEventFilter, $first: Int, $after: String, $order: SortDirection) {
  auditEvents(filter: $filter, first: $first, after: $after, order: $order) {
    edges { cursor node { position eventId occurredAt service actor { sub roles } action entity entityId before after changedFields reason correlationId policyVersion } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const REQUEST_CHANGE = `mutation($input: RequestOwnershipChangeInput!) {
  requestOwnershipChange(input: $input) { id entity field ownerBefore ownerAfter status requestedBy approvedBy bundleVersion }
}`;
const APPROVE_CHANGE = `mutation($id: ID!) { approveOwnershipChange(id: $id) { id status requestedBy approvedBy bundleVersion } }`;
const POLICY_VERSIONS = `query($first: Int) { policyVersions(first: $first) { edges { node { version actor reason sha256 } } } }`;
const OWNERSHIP_RULES = `{ ownershipRules { entity owner approvalRequired fields { field owner } } }`;
const OWNERSHIP_CHANGES = `{ ownershipChanges { id status requestedBy } }`;

interface AuditEventNode {
  position: string;
  eventId: string;
  occurredAt: string;
  service: string;
  actor: { sub: string; roles: string[] } | null;
  action: string;
  entity: string;
  entityId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  changedFields: string[];
  reason: string | null;
  correlationId: string | null;
  policyVersion: string | null;
}

interface AuditPage {
  auditEvents: { edges: { cursor: string; node: AuditEventNode }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

interface HealthBody {
  status: string;
  checks?: { policy?: { ready: boolean; degraded: boolean; details?: Record<string, unknown> } };
  policy?: { ready: boolean; degraded: boolean; version: number | null; source: string };
}

/** Polls `probe` until it returns a value (not undefined) or the time is up; the last failure is in the error. */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 5_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) {
        return value;
      }
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (${String(last)})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

async function health(origin: string): Promise<{ status: number; body: HealthBody }> {
  const response = await fetch(`${origin}/health`);
  return { status: response.status, body: (await response.json()) as HealthBody };
}

describe('governance control plane through the gateway', () => {
  let stack: Stack;
  let sequence = 0;

  beforeAll(async () => {
    stack = await startStack({ governance: true });
  });

  afterAll(async () => {
    await stack?.close();
  });

  /** One operation through the gateway as `caller`, with only what a real client sends (no internal headers). */
  async function graphql<T = Record<string, any>>(
    caller: Caller,
    query: string,
    variables?: Record<string, unknown>,
    headers: Record<string, string> = {},
    url = stack.gateway.url,
  ): Promise<GraphQLResponse<T>> {
    return postGraphQL<T>(url, query, variables, { ...NO_CONTEXT_TOKEN, ...(await bearerFor(caller)), ...headers });
  }

  async function data<T = Record<string, any>>(
    caller: Caller,
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<T> {
    const result = await graphql<T>(caller, query, variables, headers);
    if (result.errors?.length || !result.data) {
      throw new Error(`GraphQL errors (HTTP ${result.status}): ${JSON.stringify(result.errors)}`);
    }
    return result.data;
  }

  function clientInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    sequence++;
    return { name: `Governed ${sequence}`, domain: `governed${sequence}.example.com`, ownerId: 'sales-1', currency: 'EUR', ...overrides };
  }

  async function createClient(correlationId: string, overrides: Record<string, unknown> = {}): Promise<{ id: string; name: string }> {
    const created = await data<{ createClient: { id: string; name: string } }>(
      WRITER,
      CREATE_CLIENT,
      { input: clientInput(overrides) },
      {
        'x-correlation-id': correlationId,
      },
    );
    return created.createClient;
  }

  async function auditEvents(variables: Record<string, unknown>): Promise<AuditPage['auditEvents']> {
    return (await data<AuditPage>(AUDITOR, AUDIT_EVENTS, variables)).auditEvents;
  }

  /** The auditor's view of the ledger for a filter, once at least `count` entries match (the relay delivers within ~1 s). */
  async function ledgerOnce(filter: Record<string, unknown>, count = 1, timeoutMs = 10_000): Promise<AuditEventNode[]> {
    return eventually(
      `${count} ledger entries for ${JSON.stringify(filter)}`,
      async () => {
        const page = await auditEvents({ filter, first: 100, order: 'ASC' });
        return page.edges.length >= count ? page.edges.map((edge) => edge.node) : undefined;
      },
      timeoutMs,
      200,
    );
  }

  async function currentPolicyVersion(): Promise<number> {
    const versions = await data<{ policyVersions: { edges: { node: { version: number } }[] } }>(STEWARD, POLICY_VERSIONS, { first: 1 });
    return versions.policyVersions.edges[0]!.node.version;
  }

  /** Waits until every subgraph and the gateway enforce `version` (ARCHITECTURE.md §2: within 5 seconds). */
  async function enforcedEverywhere(version: number): Promise<void> {
    await eventually(
      `policy version ${version} in force everywhere`,
      async () => {
        const subgraphVersions = await Promise.all(
          Object.values(stack.subgraphs).map(async (subgraph) => (await health(subgraph.origin)).body.policy?.version),
        );
        const gatewayVersion = (await health(stack.gateway.origin)).body.checks?.policy?.details?.version;
        return [...subgraphVersions, gatewayVersion].every((seen) => seen === version) ? true : undefined;
      },
      5_000,
    );
  }

  async function requestChange(caller: Caller, input: Record<string, unknown>) {
    return graphql<{ requestOwnershipChange: Record<string, any> }>(caller, REQUEST_CHANGE, { input });
  }

  describe('auditors', () => {
    const correlations = ['gov-e2e-audit-1', 'gov-e2e-audit-2', 'gov-e2e-audit-3'];
    let clients: { id: string; name: string }[];
    let events: AuditEventNode[];

    beforeAll(async () => {
      clients = [];
      for (const correlationId of correlations) {
        clients.push(await createClient(correlationId));
      }
      await data(
        WRITER,
        UPDATE_CLIENT,
        { id: clients[0]!.id, input: { name: `${clients[0]!.name} renamed` } },
        { 'x-correlation-id': 'gov-e2e-audit-update' },
      );
      events = await ledgerOnce({ actorSub: WRITER.sub }, 4);
    });

    it('should see the writes made through the gateway, with actor, correlation id and the record before and after', () => {
      expect(events.map((event) => [event.action, event.entity, event.entityId, event.correlationId])).toEqual([
        ['create', 'Client', clients[0]!.id, correlations[0]],
        ['create', 'Client', clients[1]!.id, correlations[1]],
        ['create', 'Client', clients[2]!.id, correlations[2]],
        ['update', 'Client', clients[0]!.id, 'gov-e2e-audit-update'],
      ]);
      expect(events[0]).toMatchObject({ service: 'crm', actor: { sub: WRITER.sub, roles: ['integration'] }, before: null });
      expect(events[0]!.after).toMatchObject({ id: clients[0]!.id, name: clients[0]!.name });
      expect(events[3]).toMatchObject({
        changedFields: ['name'],
        before: { name: clients[0]!.name },
        after: { name: `${clients[0]!.name} renamed` },
      });
      expect(events.every((event) => /^\d+$/.test(event.policyVersion ?? ''))).toBe(true);
    });

    it('should filter by entity and id, action, correlation id and time range', async () => {
      const byId = await auditEvents({ filter: { entity: 'Client', entityId: clients[0]!.id }, order: 'ASC' });
      expect(byId.edges.map((edge) => edge.node.action)).toEqual(['create', 'update']);

      const updates = await auditEvents({ filter: { entity: 'Client', action: 'update', actorSub: WRITER.sub } });
      expect(updates.edges.map((edge) => edge.node.entityId)).toEqual([clients[0]!.id]);

      const byCorrelation = await auditEvents({ filter: { correlationId: correlations[1] } });
      expect(byCorrelation.edges.map((edge) => edge.node.eventId)).toEqual([events[1]!.eventId]);

      // from inclusive, to exclusive: the first two creates, not the third
      const window = await auditEvents({
        filter: { actorSub: WRITER.sub, occurredFrom: events[0]!.occurredAt, occurredTo: events[2]!.occurredAt },
        order: 'ASC',
      });
      expect(window.edges.map((edge) => edge.node.eventId)).toEqual([events[0]!.eventId, events[1]!.eventId]);

      const nothing = await auditEvents({ filter: { actorSub: WRITER.sub, occurredTo: '2000-01-01' } });
      expect(nothing.edges).toEqual([]);
    });

    it('should page through the entries with first and after, newest first by default', async () => {
      const first = await auditEvents({ filter: { actorSub: WRITER.sub }, first: 3 });
      expect(first.pageInfo.hasNextPage).toBe(true);
      const second = await auditEvents({ filter: { actorSub: WRITER.sub }, first: 3, after: first.pageInfo.endCursor });
      expect(second.pageInfo.hasNextPage).toBe(false);

      const paged = [...first.edges, ...second.edges].map((edge) => edge.node.eventId);
      expect(paged).toEqual(events.map((event) => event.eventId).reverse());
    });

    it('should not let an executive read the ledger', async () => {
      const result = await graphql(EXECUTIVE, AUDIT_EVENTS, { filter: { actorSub: WRITER.sub } });

      expect(result.data).toBeNull();
      expect(result.errors?.map((error) => [error.path, error.extensions?.code])).toEqual([[['auditEvents'], 'FORBIDDEN']]);
    });

    it('should not let a sales user read the ledger, nor its margin fields', async () => {
      const result = await graphql(SALES, AUDIT_EVENTS, { filter: { actorSub: WRITER.sub } });

      // the gateway removes before/after (MARGIN) before planning, governance refuses the root field; FORBIDDEN_FIELD
      // errors go only to response paths that exist, and with auditEvents null there is none
      expect(result.data).toBeNull();
      expect(result.errors?.map((error) => [error.path, error.extensions?.code])).toEqual([[['auditEvents'], 'FORBIDDEN']]);
      expect(JSON.stringify(result)).not.toContain(clients[0]!.id);
    });

    it('should export the entries as NDJSON and CSV to an auditor, and refuse others', async () => {
      const query = `entity=Client&actorSub=${WRITER.sub}&order=ASC`;
      const ndjson = await fetch(`${stack.governance!.origin}/audit/export?format=ndjson&${query}`, { headers: await bearerFor(AUDITOR) });
      expect(ndjson.status).toBe(200);
      expect(ndjson.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
      const all = (await ndjson.text())
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as AuditEventNode & { '@concord'?: string });
      // a header and a signed trailer around the entries (audit-export-file.ts)
      expect([all[0]!['@concord'], all[all.length - 1]!['@concord']]).toEqual(['audit-export', 'audit-export-end']);
      const lines = all.slice(1, -1);
      expect(lines.map((line) => [line.eventId, line.action, line.entityId])).toEqual(
        events.map((event) => [event.eventId, event.action, event.entityId]),
      );

      const csv = await fetch(`${stack.governance!.origin}/audit/export?format=csv&${query}`, { headers: await bearerFor(AUDITOR) });
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
      const rows = (await csv.text()).split('\r\n').filter(Boolean);
      expect(rows[0]).toBe(
        'position,eventId,occurredAt,service,actorSub,actorRoles,action,entity,entityId,before,after,changedFields,reason,correlationId,policyVersion,hash,prevHash',
      );
      expect(rows.slice(1).map((row) => row.split(',')[1])).toEqual(events.map((event) => event.eventId));

      const anonymous = await fetch(`${stack.governance!.origin}/audit/export?format=ndjson&entity=Client`);
      expect(anonymous.status).toBe(401);
      const sales = await fetch(`${stack.governance!.origin}/audit/export?format=ndjson&entity=Client`, {
        headers: await bearerFor(SALES),
      });
      expect(sales.status).toBe(403);
      expect(await sales.text()).not.toContain(clients[0]!.id);
    });
  });

  describe('data stewards', () => {
    let versionBefore: number;
    let client: { id: string; name: string };

    beforeAll(async () => {
      client = await createClient('gov-e2e-steward-setup', { industry: 'Software' });
      versionBefore = await currentPolicyVersion();
    });

    it('should apply a change without approval at once, and every service enforce it within seconds', async () => {
      const rules = await data<{ ownershipRules: { entity: string; owner: string; fields: { field: string }[] }[] }>(
        STEWARD,
        OWNERSHIP_RULES,
      );
      const clientRule = rules.ownershipRules.find((rule) => rule.entity === 'Client');
      expect(clientRule).toMatchObject({ owner: 'crm', approvalRequired: false });
      expect(clientRule!.fields.map((field) => field.field)).not.toContain('industry');

      const requested = await requestChange(STEWARD, {
        entity: 'Client',
        field: 'industry',
        owner: 'erp',
        reason: 'industry codes now come from the ERP master data',
      });

      expect(requested.errors).toBeUndefined();
      expect(requested.data!.requestOwnershipChange).toMatchObject({
        entity: 'Client',
        field: 'industry',
        ownerBefore: 'crm',
        ownerAfter: 'erp',
        status: 'APPLIED',
        requestedBy: STEWARD.sub,
        bundleVersion: versionBefore + 1,
      });
      const versions = await data<{ policyVersions: { edges: { node: { version: number; actor: string; reason: string } }[] } }>(
        STEWARD,
        POLICY_VERSIONS,
        {
          first: 2,
        },
      );
      expect(versions.policyVersions.edges.map((edge) => edge.node.version)).toEqual([versionBefore + 1, versionBefore]);
      expect(versions.policyVersions.edges[0]!.node).toMatchObject({
        actor: STEWARD.sub,
        reason: expect.stringContaining('Client.industry'),
      });
      await enforcedEverywhere(versionBefore + 1);
    });

    it('should refuse a CRM write of a field the ERP now owns, write nothing, and still update the other fields', async () => {
      const refused = await graphql(
        WRITER,
        UPDATE_CLIENT,
        { id: client.id, input: { name: 'Not written', industry: 'Mining' } },
        {
          'x-correlation-id': 'gov-e2e-ownership-denied',
        },
      );

      expect(refused.errors?.map((error) => error.extensions?.code)).toEqual(['OWNERSHIP_VIOLATION']);
      expect(refused.data).toBeNull();
      const [row] = await sql<{ name: string; industry: string }>(
        stack.database.url,
        `SELECT name, industry FROM crm.client WHERE id = $1`,
        [client.id],
      );
      expect(row).toEqual({ name: client.name, industry: 'Software' });

      const allowed = await data<{ updateClient: { name: string; industry: string } }>(WRITER, UPDATE_CLIENT, {
        id: client.id,
        input: { name: 'Renamed by CRM' },
      });
      expect(allowed.updateClient).toMatchObject({ name: 'Renamed by CRM', industry: 'Software' });
    });

    it('should record the refused write as a denied ledger entry with its reason', async () => {
      const [denied] = await ledgerOnce({ action: 'denied', correlationId: 'gov-e2e-ownership-denied' });

      expect(denied).toMatchObject({ service: 'crm', entity: 'Client', entityId: client.id, actor: { sub: WRITER.sub } });
      expect(denied!.reason).toMatch(/^OWNERSHIP_VIOLATION/);
      expect(denied!.changedFields).toEqual(expect.arrayContaining(['industry']));
    });

    it('should restore the CRM as the record when the steward changes it back', async () => {
      const back = await requestChange(STEWARD, {
        entity: 'Client',
        field: 'industry',
        owner: 'crm',
        reason: 'the ERP master data project was cancelled',
      });
      expect(back.data?.requestOwnershipChange).toMatchObject({ status: 'APPLIED', bundleVersion: versionBefore + 2 });
      await enforcedEverywhere(versionBefore + 2);

      const updated = await data<{ updateClient: { industry: string } }>(WRITER, UPDATE_CLIENT, {
        id: client.id,
        input: { industry: 'Mining' },
      });

      expect(updated.updateClient.industry).toBe('Mining');
    });

    it('should keep a change that needs approval pending, and not let its requester approve it', async () => {
      const pending = await requestChange(STEWARD, {
        entity: 'Contract',
        field: 'renewalThresholdPct',
        owner: 'crm',
        reason: 'sales negotiates the renewal threshold',
      });
      expect(pending.data?.requestOwnershipChange).toMatchObject({ status: 'PENDING', bundleVersion: null, requestedBy: STEWARD.sub });
      const id = pending.data!.requestOwnershipChange.id as string;

      const selfApproval = await graphql(STEWARD, APPROVE_CHANGE, { id });
      expect(selfApproval.errors?.map((error) => [error.extensions?.code, error.extensions?.reason])).toEqual([
        ['FORBIDDEN', 'SELF_APPROVAL'],
      ]);
      expect(await currentPolicyVersion()).toBe(versionBefore + 2);

      const approved = await graphql(SECOND_STEWARD, APPROVE_CHANGE, { id });
      expect(approved.errors).toBeUndefined();
      expect(approved.data?.approveOwnershipChange).toMatchObject({
        status: 'APPLIED',
        requestedBy: STEWARD.sub,
        approvedBy: SECOND_STEWARD.sub,
        bundleVersion: versionBefore + 3,
      });
      // (the tests after this one read the gateway's version: it must have polled this one first)
      await enforcedEverywhere(versionBefore + 3);
      const rules = await data<{ ownershipRules: { entity: string; fields: { field: string; owner: string }[] }[] }>(
        SECOND_STEWARD,
        OWNERSHIP_RULES,
      );
      expect(rules.ownershipRules.find((rule) => rule.entity === 'Contract')!.fields).toEqual([
        { field: 'renewalThresholdPct', owner: 'crm' },
      ]);
    });

    it('should not let a sales user change ownership', async () => {
      const changesBefore = await data<{ ownershipChanges: unknown[] }>(STEWARD, OWNERSHIP_CHANGES);

      const result = await requestChange(SALES, { entity: 'Client', field: 'employees', owner: 'erp', reason: 'I would like that' });

      expect(result.data).toBeNull();
      expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
      expect(await data<{ ownershipChanges: unknown[] }>(STEWARD, OWNERSHIP_CHANGES)).toEqual(changesBefore);
      expect(await currentPolicyVersion()).toBe(versionBefore + 3);
    });

    it('should record every applied ownership change in the ledger with its actor and bundle version', async () => {
      const changes = await ledgerOnce({ action: 'ownership.change' }, 3);

      expect(changes.map((event) => [event.entityId, event.actor?.sub, event.before, event.after?.owner, event.policyVersion])).toEqual([
        ['Client.industry', STEWARD.sub, { owner: 'crm' }, 'erp', String(versionBefore + 1)],
        ['Client.industry', STEWARD.sub, { owner: 'erp' }, 'crm', String(versionBefore + 2)],
        ['Contract.renewalThresholdPct', SECOND_STEWARD.sub, { owner: 'erp' }, 'crm', String(versionBefore + 3)],
      ]);
      expect(changes[2]!.after).toMatchObject({ requestedBy: STEWARD.sub, approvedBy: SECOND_STEWARD.sub });
      expect(changes.every((event) => event.service === 'governance' && event.entity === 'OwnershipRule')).toBe(true);
    });
  });

  describe('writes CASL refuses', () => {
    it('should not let an executive create a client, write nothing, and record the denied attempt with the actor', async () => {
      const input = clientInput();

      const result = await graphql(EXECUTIVE, CREATE_CLIENT, { input }, { 'x-correlation-id': 'gov-e2e-casl-denied' });

      expect(result.data).toBeNull();
      expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
      expect(await sql(stack.database.url, `SELECT id FROM crm.client WHERE domain = $1`, [input.domain])).toEqual([]);
      const [denied] = await ledgerOnce({ action: 'denied', actorSub: EXECUTIVE.sub, service: 'crm' });
      // the executive's earlier refused ledger query is a denied attempt of governance's own API
      const [refusedQuery] = await ledgerOnce({ action: 'denied', actorSub: EXECUTIVE.sub, service: 'governance' });
      expect(refusedQuery).toMatchObject({ entity: 'AuditEvent', after: { operation: 'AuditEventResolver.auditEvents' } });
      expect(denied).toMatchObject({
        service: 'crm',
        entity: 'Client',
        correlationId: 'gov-e2e-casl-denied',
        actor: { sub: EXECUTIVE.sub, roles: ['executive'] },
        after: expect.objectContaining({ domain: input.domain }),
      });
      expect(denied!.reason).toMatch(/^FORBIDDEN/);
    });
  });

  describe('policy hot reload and failure behaviour', () => {
    it('should show a newly published version on the gateway health within 5 seconds', async () => {
      const before = (await health(stack.gateway.origin)).body;
      const version = await currentPolicyVersion();
      expect(before.checks?.policy?.details).toMatchObject({ enforcement: 'on', version, source: 'governance' });

      const published = await requestChange(STEWARD, {
        entity: 'Client',
        field: 'employees',
        owner: 'erp',
        reason: 'head counts come from the ERP',
      });
      expect(published.data?.requestOwnershipChange).toMatchObject({ status: 'APPLIED', bundleVersion: version + 1 });

      const started = Date.now();
      await eventually(
        'the gateway reports the new version',
        async () => ((await health(stack.gateway.origin)).body.checks?.policy?.details?.version === version + 1 ? true : undefined),
        5_000,
      );
      expect(Date.now() - started).toBeLessThan(5_000);
      await enforcedEverywhere(version + 1);
    });

    it('should keep enforcing the last good bundle while governance is down, say degraded, and recover when it is back', async () => {
      const version = await currentPolicyVersion();
      const client = await createClient('gov-e2e-degraded-setup');
      await stack.governance!.stop();
      try {
        const gatewayHealth = await eventually('the gateway reports degraded', async () => {
          const report = await health(stack.gateway.origin);
          return report.body.checks?.policy?.degraded ? report : undefined;
        });
        expect(gatewayHealth.status).toBe(200);
        expect(gatewayHealth.body).toMatchObject({
          status: 'degraded',
          checks: { policy: { ready: true, degraded: true, details: { version } } },
        });
        for (const subgraph of Object.values(stack.subgraphs)) {
          const report = await eventually(`${subgraph.name} reports degraded`, async () => {
            const seen = await health(subgraph.origin);
            return seen.body.status === 'degraded' ? seen : undefined;
          });
          expect(report).toMatchObject({ status: 200, body: { policy: { ready: true, degraded: true, version } } });
        }

        // reads and writes go on, under the last good bundle (in which ERP owns Client.employees, unlike the default)
        const read = await data<{ client: { id: string; name: string } }>(WRITER, `query($id: ID!) { client(id: $id) { id name } }`, {
          id: client.id,
        });
        expect(read.client).toEqual({ id: client.id, name: client.name });
        const renamed = await data<{ updateClient: { name: string } }>(WRITER, UPDATE_CLIENT, {
          id: client.id,
          input: { name: 'Renamed while degraded' },
        });
        expect(renamed.updateClient.name).toBe('Renamed while degraded');
        const refused = await graphql(WRITER, UPDATE_CLIENT, { id: client.id, input: { employees: 42 } });
        expect(refused.errors?.map((error) => error.extensions?.code)).toEqual(['OWNERSHIP_VIOLATION']);
      } finally {
        await stack.governance!.restart();
      }

      await eventually(
        'gateway and subgraphs healthy again',
        async () => {
          const reports = await Promise.all(
            [stack.gateway.origin, ...Object.values(stack.subgraphs).map((subgraph) => subgraph.origin)].map(health),
          );
          return reports.every((report) => report.status === 200 && report.body.status === 'ok') ? reports : undefined;
        },
        10_000,
      );
    });

    describe('gateways started beside the stack', () => {
      const logger = createLogger('gateway', 'silent');
      let policy: GatewayPolicy | undefined;
      let gateway: RunningGateway | undefined;

      afterEach(async () => {
        await gateway?.close();
        await policy?.stop();
        gateway = policy = undefined;
      });

      async function startBeside(settings: GatewayPolicySettings): Promise<RunningGateway> {
        policy = createGatewayPolicy(settings, logger);
        await policy.start();
        const identity = createGatewayIdentity(
          {
            jwtPublicKey: testCallerKeys().publicKeyPem,
            issuer: TEST_JWT_ISSUER,
            audience: TEST_JWT_AUDIENCE,
            contextSigningKey: testContextKeys().privateKeyPem,
          },
          { logger },
        );
        gateway = await startGateway({
          ...identity.options,
          operationSteps: policy.operationSteps,
          healthChecks: policy.healthChecks,
          port: 0,
          supergraphSdl: stack.gateway.supergraph()!.sdl,
          healthCacheMs: 0,
          logger,
        });
        await gateway.ready;
        return gateway;
      }

      it('should refuse data requests (503) when no bundle was ever loaded: fail closed', async () => {
        const nobody = `http://127.0.0.1:${await freePort()}`;
        const closed = await startBeside({
          enabled: true,
          governanceUrl: nobody,
          cacheFile: join(tmpdir(), `concord-no-such-bundle-${process.pid}-${Date.now()}.json`),
          pollMs: 500,
          mode: 'filter',
        });

        const result = await graphql(
          WRITER,
          `
            {
              clients(first: 1) {
                edges {
                  node {
                    id
                    name
                  }
                }
              }
            }
          `,
          undefined,
          {},
          closed.url,
        );

        expect(result.status).toBe(503);
        expect(result.data ?? null).toBeNull();
        expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
        const report = await health(closed.origin);
        expect(report.status).toBe(503);
        expect(report.body.checks?.policy).toMatchObject({ ready: false, details: { enforcement: 'on', version: null, source: 'none' } });
      });

      it('should say on /health that enforcement is off when started with GOVERNANCE=off', async () => {
        const open = await startBeside({ enabled: false, mode: 'filter' });

        const report = await health(open.origin);

        expect(report.status).toBe(200);
        expect(report.body.status).toBe('degraded');
        expect(report.body.checks?.policy).toMatchObject({ ready: true, degraded: true, details: { enforcement: 'off' } });
        expect(String(report.body.checks?.policy?.details?.warning)).toMatch(/ENFORCEMENT IS OFF/);
      });
    });
  });
});
