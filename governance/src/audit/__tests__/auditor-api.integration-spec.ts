import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, newId, type AuditEvent } from '@concord/common';
import { ContextTokenSigner, defaultPolicyBundle, signCallerToken } from '@concord/policy';
import {
  asCaller,
  NO_CONTEXT_TOKEN,
  postGraphQL,
  testCallerJwt,
  testCallerKeys,
  TEST_JWT_AUDIENCE,
  TEST_JWT_ISSUER,
  useTestService,
  type RunningService,
} from '@concord/testing';
import { GovernanceModule } from '../../app.module';
import { PolicyBundleService } from '../../policy/policy-bundle.service';
import { CSV_COLUMNS } from '../audit-export';
import { checkExport } from '../audit-export-file';
import { AuditQueryService } from '../audit-query.service';
import { keyIdOf } from '../audit-signing-key';

const AUDITOR = { sub: 'auditor-ada', roles: ['auditor'] };

/** Governance with the test gateway key (context tokens) and the test identity provider's key (export JWTs). */
function useGovernance(): RunningService {
  let keyDir = '';
  beforeAll(() => {
    keyDir = mkdtempSync(join(tmpdir(), 'concord-auditor-keys-'));
  });
  afterAll(() => rmSync(keyDir, { recursive: true, force: true }));
  return useTestService(
    (databaseUrl) =>
      GovernanceModule.forRoot({
        databaseUrl,
        subgraphs: [],
        jobs: false,
        logLevel: 'silent',
        audit: { keyDir },
        callers: { publicKey: testCallerKeys().publicKeyPem, issuer: TEST_JWT_ISSUER, audience: TEST_JWT_AUDIENCE },
      }),
    'governance',
  );
}

let sequence = 0;
/** A complete ledger event as a relay sends it; one millisecond apart, in the order made. */
function event(overrides: Partial<AuditEvent>): AuditEvent {
  sequence += 1;
  return {
    eventId: newId(),
    occurredAt: new Date(Date.UTC(2026, 0, 1, 12, 0, 0, sequence)).toISOString(),
    service: 'crm',
    actor: { sub: 'ann', roles: ['sales'] },
    action: 'update',
    entity: 'Client',
    entityId: 'client-1',
    before: { name: 'Acme' },
    after: { name: 'Acme SA' },
    changedFields: ['name'],
    reason: null,
    correlationId: null,
    policyVersion: '1',
    ...overrides,
  };
}

// the ledger in the order it is ingested (positions 1…5, then the 25 time entries)
const created = event({ action: 'create', entityId: 'client-1', correlationId: 'corr-a', occurredAt: '2026-01-01T10:00:00.000Z' });
const renamed = event({
  actor: { sub: 'bob', roles: ['sales', 'data_steward'] },
  entityId: 'client-1',
  correlationId: 'corr-a',
  occurredAt: '2026-01-02T10:00:00.000Z',
  reason: 'said "hi", then\nleft, quickly',
  after: { name: 'Acme, "the" company', margin: '12.50' },
});
const invoiced = event({
  service: 'erp',
  action: 'transition',
  entity: 'Invoice',
  entityId: 'invoice-1',
  correlationId: 'corr-b',
  occurredAt: '2026-01-03T10:00:00.000Z',
  before: { status: 'DRAFT' },
  after: { status: 'ISSUED' },
  changedFields: ['status'],
});
const systemUpdate = event({
  service: 'psa',
  actor: null,
  entity: 'Project',
  entityId: 'project-1',
  correlationId: 'corr-c',
  occurredAt: '2026-01-04T10:00:00.000Z',
});
const deleted = event({
  actor: { sub: 'carol', roles: ['sales'] },
  action: 'delete',
  entityId: 'client-2',
  after: null,
  changedFields: [],
  correlationId: 'corr-d',
  occurredAt: '2026-01-05T10:00:00.000Z',
});
const timeEntries = Array.from({ length: 25 }, (_, index) =>
  event({ service: 'psa', entity: 'TimeEntry', entityId: `time-${index}`, occurredAt: '2026-01-06T10:00:00.000Z' }),
);
const ledger = [created, renamed, invoiced, systemUpdate, deleted, ...timeEntries];

const ids = (events: AuditEvent[]) => events.map((item) => item.eventId);
const newestFirst = (events: AuditEvent[]) => [...events].reverse();

const EVENTS = `query Events($first: Int, $after: String, $filter: AuditEventFilter, $order: SortDirection) {
  auditEvents(first: $first, after: $after, filter: $filter, order: $order) {
    edges { cursor node { eventId position } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}`;

describe('Auditor API', () => {
  const sut = useGovernance();
  const gql = (query: string, variables?: Record<string, unknown>, headers: Record<string, string> = asCaller(AUDITOR)) =>
    postGraphQL(sut.graphqlUrl, query, variables, headers);
  const eventIdsOf = async (variables: Record<string, unknown>) => {
    const result = await gql(EVENTS, variables);
    expect(result.errors).toBeUndefined();
    return result.data!.auditEvents.edges.map((edge: any) => edge.node.eventId);
  };

  beforeAll(async () => {
    const response = await fetch(`${sut.url}/audit/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ events: ledger }),
    });
    expect(await response.json()).toEqual({ accepted: ledger.length, duplicates: 0 });
  });

  describe('auditEvents', () => {
    it.each([
      ['entity', { entity: 'Invoice' }, [invoiced]],
      ['entityId', { entityId: 'client-1' }, [created, renamed]],
      ['entity and entityId', { entity: 'Client', entityId: 'client-2' }, [deleted]],
      ['actorSub', { actorSub: 'bob' }, [renamed]],
      ['action', { action: 'transition' }, [invoiced]],
      ['service', { service: 'psa' }, [systemUpdate, ...timeEntries]],
      ['correlationId', { correlationId: 'corr-a' }, [created, renamed]],
      ['occurredFrom (inclusive)', { occurredFrom: '2026-01-05T10:00:00Z' }, [deleted, ...timeEntries]],
      ['occurredTo (exclusive)', { occurredTo: '2026-01-03T10:00:00.000Z' }, [created, renamed]],
      [
        'an occurred range with offsets and dates',
        { occurredFrom: '2026-01-02T11:00:00+01:00', occurredTo: '2026-01-04' },
        [renamed, invoiced],
      ],
      ['several conditions at once', { service: 'crm', action: 'update', actorSub: 'bob', entity: 'Client' }, [renamed]],
    ])('should filter by %s, newest first', async (_name, filter, expected) => {
      expect(await eventIdsOf({ filter, first: 100 })).toEqual(ids(newestFirst(expected)));
    });

    it('should return nothing for a filter nothing matches', async () => {
      expect(await eventIdsOf({ filter: { actorSub: 'nobody' } })).toEqual([]);
    });

    it('should page through the ledger by position with cursors, newest first by default', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        const result = await gql(EVENTS, { filter: { entity: 'TimeEntry' }, first: 10, after });
        const connection = result.data!.auditEvents;
        seen.push(...connection.edges.map((edge: any) => edge.node.eventId));
        pages += 1;
        expect(connection.pageInfo.hasPreviousPage).toBe(after !== null);
        if (!connection.pageInfo.hasNextPage) {
          break;
        }
        after = connection.pageInfo.endCursor;
      }

      expect(pages).toBe(3);
      expect(seen).toEqual(ids(newestFirst(timeEntries)));
    });

    it('should page oldest first with order ASC', async () => {
      const first = await gql(EVENTS, { first: 3, order: 'ASC' });
      const second = await gql(EVENTS, { first: 3, order: 'ASC', after: first.data!.auditEvents.pageInfo.endCursor });

      expect(first.data!.auditEvents.edges.map((edge: any) => edge.node.position)).toEqual(['1', '2', '3']);
      expect(second.data!.auditEvents.edges.map((edge: any) => edge.node.eventId)).toEqual(ids([systemUpdate, deleted, timeEntries[0]]));
    });

    it('should default to 20 entries and say there are more', async () => {
      const result = await gql(EVENTS, {});

      expect(result.data!.auditEvents.edges).toHaveLength(20);
      expect(result.data!.auditEvents.edges[0].node.position).toBe(String(ledger.length));
      expect(result.data!.auditEvents.pageInfo.hasNextPage).toBe(true);
    });

    it.each([
      ['a cursor that is not one', { after: 'not-a-cursor' }],
      ['a cursor of another listing', { after: Buffer.from(JSON.stringify({ s: 'version', v: 1, id: '1' })).toString('base64url') }],
      ['an instant without a time zone', { filter: { occurredFrom: '2026-01-01T10:00:00' } }],
      ['a day that does not exist', { filter: { occurredTo: '2026-02-30' } }],
      ['a page larger than 100', { first: 101 }],
    ])('should refuse %s with BAD_USER_INPUT', async (_name, variables) => {
      const result = await gql(EVENTS, variables);

      expect(result.data).toBeNull();
      expect(result.errors?.[0].extensions?.code).toBe(ErrorCode.BAD_USER_INPUT);
    });
  });

  describe('auditEvent', () => {
    it('should return one entry with its snapshots, actor and chain links', async () => {
      const result = await gql(
        `query One($eventId: ID!) { auditEvent(eventId: $eventId) {
          position eventId occurredAt service actor { sub roles } action entity entityId before after changedFields
          reason correlationId policyVersion hash prevHash } }`,
        { eventId: renamed.eventId.toUpperCase() },
      );
      const [row] = await sut.dataSource.query('SELECT hash, prev_hash FROM governance.audit_event WHERE position = 2');

      expect(result.errors).toBeUndefined();
      expect(result.data!.auditEvent).toEqual({
        position: '2',
        eventId: renamed.eventId,
        occurredAt: renamed.occurredAt,
        service: 'crm',
        actor: { sub: 'bob', roles: ['sales', 'data_steward'] },
        action: 'update',
        entity: 'Client',
        entityId: 'client-1',
        before: { name: 'Acme' },
        after: { name: 'Acme, "the" company', margin: '12.50' },
        changedFields: ['name'],
        reason: 'said "hi", then\nleft, quickly',
        correlationId: 'corr-a',
        policyVersion: '1',
        hash: row.hash,
        prevHash: row.prev_hash,
      });
    });

    it('should return null for an event the ledger does not have, or that is not an event id', async () => {
      const result = await gql(`{ unknown: auditEvent(eventId: "${newId()}") { eventId } bad: auditEvent(eventId: "x") { eventId } }`);

      expect(result.data).toEqual({ unknown: null, bad: null });
    });
  });

  describe('auditVerification', () => {
    it('should recompute the chain and report it intact', async () => {
      const result = await gql('{ auditVerification { ok checked firstBroken { position reason } } }');

      expect(result.data).toEqual({ auditVerification: { ok: true, checked: ledger.length, firstBroken: null } });
    });
  });

  describe('authorization', () => {
    const ROOT_FIELDS = [
      ['auditEvents', '{ auditEvents { edges { node { eventId } } } }'],
      ['auditEvent', `{ auditEvent(eventId: "${created.eventId}") { eventId } }`],
      ['auditVerification', '{ auditVerification { ok } }'],
    ];

    it.each(['executive', 'finance', 'data_steward', 'sales', 'integration', 'system'])(
      'should not let a caller with role %s read the ledger (FORBIDDEN)',
      async (role) => {
        for (const [field, query] of ROOT_FIELDS) {
          const result = await gql(query, undefined, asCaller({ sub: `user-${role}`, roles: [role] }));

          expect(result.data?.[field] ?? null).toBeNull();
          expect(result.errors?.map((error) => [error.path?.[0], error.extensions?.code])).toEqual([[field, ErrorCode.FORBIDDEN]]);
        }
      },
    );

    it('should not answer a request without a context token (401)', async () => {
      const result = await gql('{ auditVerification { ok } }', undefined, NO_CONTEXT_TOKEN);

      expect(result.status).toBe(401);
      expect(result.errors?.[0].extensions?.code).toBe(ErrorCode.UNAUTHENTICATED);
      expect(result.data).toBeUndefined();
    });

    it('should not answer a context token signed by another key, even one naming an auditor (401)', async () => {
      const forger = new ContextTokenSigner(generateKeyPairSync('ed25519').privateKey);

      const result = await gql('{ auditVerification { ok } }', undefined, { 'x-concord-context': forger.sign(AUDITOR) });

      expect(result.status).toBe(401);
      expect(result.errors?.[0].extensions?.code).toBe(ErrorCode.UNAUTHENTICATED);
    });

    it('should decide with the bundle version in force: a role granted read on AuditEvent later reads the ledger', async () => {
      const executive = { sub: 'exec-eve', roles: ['executive'] };
      const before = await gql('{ auditVerification { ok } }', undefined, asCaller(executive));
      const roles = defaultPolicyBundle().roles;

      await sut.app
        .get(PolicyBundleService)
        .publish(
          { roles: { executive: { ...roles.executive, rules: [{ action: 'read', subject: 'AuditEvent' }] } } },
          { sub: 'steward-sam', roles: ['data_steward'] },
          'executives review the ledger',
        );
      const after = await gql('{ auditVerification { ok } }', undefined, asCaller(executive));

      expect(before.errors?.[0].extensions?.code).toBe(ErrorCode.FORBIDDEN);
      expect(after.errors).toBeUndefined();
      expect(after.data).toEqual({ auditVerification: { ok: true } });
      await sut.app
        .get(PolicyBundleService)
        .publish({ roles: { executive: roles.executive } }, { sub: 'steward-sam', roles: ['data_steward'] }, 'back to the default');
    });
  });

  describe('GET /audit/export', () => {
    const exportOf = async (query: string, token?: string) => {
      const response = await fetch(`${sut.url}/audit/export${query}`, {
        headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      });
      return { status: response.status, headers: response.headers, text: await response.text() };
    };
    const auditorJwt = () => testCallerJwt(AUDITOR);

    it('should stream the matching entries as NDJSON, one event per line', async () => {
      const { status, headers, text } = await exportOf('?format=ndjson&entity=Client&order=ASC', await auditorJwt());

      expect(status).toBe(200);
      expect(headers.get('content-type')).toMatch(/^application\/x-ndjson/);
      expect(text.endsWith('\n')).toBe(true);
      const all = text
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(all[0]).toMatchObject({ '@concord': 'audit-export', filter: { entity: 'Client' }, order: 'ASC', rows: 3 });
      expect(all[all.length - 1]).toMatchObject({ '@concord': 'audit-export-end', rows: 3 });
      const lines = all.slice(1, -1);
      expect(lines.map((line) => line.eventId)).toEqual(ids([created, renamed, deleted]));
      expect(lines[1]).toMatchObject({
        position: '2',
        occurredAt: renamed.occurredAt,
        actor: renamed.actor,
        after: renamed.after,
        reason: renamed.reason,
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
    });

    it('should export every matching entry across batches, newest first by default', async () => {
      const { text } = await exportOf('?entity=TimeEntry', await auditorJwt());

      expect(
        text
          .trimEnd()
          .split('\n')
          .slice(1, -1)
          .map((line) => JSON.parse(line).eventId),
      ).toEqual(ids(newestFirst(timeEntries)));
    });

    it('should read the ledger a batch at a time, in position order', async () => {
      const batches: string[][] = [];
      for await (const batch of sut.app.get(AuditQueryService).batches({ entity: 'TimeEntry' }, 'ASC', 7)) {
        batches.push(batch.map((entry) => entry.eventId));
      }

      expect(batches.map((batch) => batch.length)).toEqual([7, 7, 7, 4]);
      expect(batches.flat()).toEqual(ids(timeEntries));
    });

    it('should export CSV with a header and quote commas, quotes and line breaks', async () => {
      const { status, headers, text } = await exportOf('?format=csv&correlationId=corr-a&order=ASC', await auditorJwt());

      expect(status).toBe(200);
      expect(headers.get('content-type')).toMatch(/^text\/csv/);
      expect(headers.get('content-disposition')).toBe(`attachment; filename="audit-export-${headers.get('x-audit-export-id')}.csv"`);
      expect(headers.get('x-audit-export-rows')).toBe('2');
      expect(headers.get('x-audit-chain-head')).toMatch(/^[1-9][0-9]*:[0-9a-f]{64}$/);
      const rows = parseCsv(text);
      expect(rows[0]).toEqual([...CSV_COLUMNS]);
      expect(rows).toHaveLength(3);
      const record = Object.fromEntries(CSV_COLUMNS.map((column, index) => [column, rows[2][index]]));
      expect(record).toMatchObject({
        position: '2',
        eventId: renamed.eventId,
        occurredAt: renamed.occurredAt,
        actorSub: 'bob',
        actorRoles: '["sales","data_steward"]',
        action: 'update',
        entity: 'Client',
        entityId: 'client-1',
        before: '{"name":"Acme"}',
        after: '{"name":"Acme, \\"the\\" company","margin":"12.50"}',
        changedFields: '["name"]',
        reason: 'said "hi", then\nleft, quickly',
        correlationId: 'corr-a',
        policyVersion: '1',
      });
      expect(text).toContain('"said ""hi"", then\nleft, quickly"');
      expect(text.split('\r\n')[0]).toBe(CSV_COLUMNS.join(','));
    });

    it('should leave a null value empty and an empty export with its header only', async () => {
      const system = parseCsv((await exportOf('?format=csv&service=psa&entity=Project', await auditorJwt())).text);
      const empty = await exportOf('?format=csv&actorSub=nobody', await auditorJwt());

      expect(system[1][CSV_COLUMNS.indexOf('actorSub')]).toBe('');
      expect(system[1][CSV_COLUMNS.indexOf('reason')]).toBe('');
      expect(empty.text).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
    });

    it('should record the export in the ledger, with who, the filter, the head and the row count', async () => {
      const { text } = await exportOf('?format=ndjson&entity=Client&role=data_steward', await auditorJwt());
      const header = JSON.parse(text.split('\n')[0]);

      const recorded = await gql(
        `query($id: ID!) { auditEvent(eventId: $id) { action entity entityId actor { sub roles } after reason position hash } }`,
        { id: header.recordedAs.eventId },
      );
      expect(recorded.data!.auditEvent).toEqual({
        action: 'audit.export',
        entity: 'AuditExport',
        entityId: header.exportId,
        actor: AUDITOR,
        after: { format: 'ndjson', order: 'DESC', filter: { entity: 'Client', role: 'data_steward' }, head: header.head, rows: 1 },
        reason: 'export of 1 ledger entries as ndjson',
        position: header.recordedAs.position,
        hash: header.recordedAs.hash,
      });
      expect(BigInt(header.recordedAs.position)).toBeGreaterThan(BigInt(header.head.position));
    });

    it('should carry a chain head and a trailer the offline check accepts with the ledger key, and a tampered copy it refuses', async () => {
      const { text } = await exportOf('?format=ndjson&order=ASC&occurredTo=2026-01-06', await auditorJwt());
      const pem = await (await fetch(`${sut.url}/audit/public-key`)).text();
      const key = createPublicKey(pem);
      const lines = text.split('\n');

      expect(checkExport(lines, { key, keyId: keyIdOf(key) })).toEqual({ ok: true, entries: 5, links: 4, signature: 'valid' });
      const tampered = [...lines];
      tampered[2] = tampered[2].replace('"bob"', '"eve"');
      expect(checkExport(tampered, { key, keyId: keyIdOf(key) })).toMatchObject({ ok: false, line: 3 });
    });

    it('should export exactly what auditSearch finds with the same filter', async () => {
      const filter = { occurredFrom: '2026-01-01', occurredTo: '2026-01-07', text: 'time-1', service: 'psa' };
      const found = await gql(
        `query($filter: AuditEventFilter!) { auditSearch(first: 100, filter: $filter) { edges { node { eventId } } } }`,
        {
          filter,
        },
      );
      const { text } = await exportOf(`?${new URLSearchParams(filter).toString()}`, await auditorJwt());

      const exported = text
        .trimEnd()
        .split('\n')
        .slice(1, -1)
        .map((line) => JSON.parse(line).eventId);
      expect(exported).toEqual(found.data!.auditSearch.edges.map((edge: any) => edge.node.eventId));
      // time-1 and time-10 … time-19
      expect(exported).toHaveLength(11);
    });

    it.each([
      ['no token', undefined],
      ['a token that is not a JWT', 'abc.def.ghi'],
    ])('should answer 401 to %s', async (_name, token) => {
      const { status, headers, text } = await exportOf('?format=csv', token);

      expect(status).toBe(401);
      expect(headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(JSON.parse(text).error.code).toBe(ErrorCode.UNAUTHENTICATED);
    });

    it('should answer 401 to an auditor token signed by a key it does not trust', async () => {
      const forged = await signCallerToken({
        privateKey: generateKeyPairSync('ed25519').privateKey,
        ...AUDITOR,
        issuer: TEST_JWT_ISSUER,
        audience: TEST_JWT_AUDIENCE,
      });

      expect((await exportOf('', forged)).status).toBe(401);
    });

    it.each(['executive', 'finance', 'data_steward'])('should not let a caller with role %s export (403)', async (role) => {
      const { status, text } = await exportOf('?format=ndjson', await testCallerJwt({ sub: `user-${role}`, roles: [role] }));

      expect(status).toBe(403);
      expect(JSON.parse(text).error.code).toBe(ErrorCode.FORBIDDEN);
    });

    it.each([
      ['an unknown format', '?format=xml'],
      ['an unknown parameter', '?entityType=Client'],
      ['a repeated parameter', '?entity=Client&entity=Invoice'],
      ['a bad instant', '?occurredFrom=yesterday'],
      ['an unknown order', '?order=up'],
    ])('should answer 400 to %s', async (_name, query) => {
      const { status, text } = await exportOf(query, await auditorJwt());

      expect(status).toBe(400);
      expect(JSON.parse(text).error).toMatchObject({
        code: ErrorCode.BAD_USER_INPUT,
        problems: expect.arrayContaining([expect.any(String)]),
      });
    });
  });

  describe('auditSearch', () => {
    const SEARCH = `query($filter: AuditEventFilter!, $first: Int, $after: String) {
      auditSearch(filter: $filter, first: $first, after: $after) { edges { node { eventId } } pageInfo { hasNextPage endCursor } }
    }`;
    const january = { occurredFrom: '2026-01-01', occurredTo: '2026-02-01' };
    const search = async (filter: Record<string, unknown>) => {
      const result = await gql(SEARCH, { filter: { ...january, ...filter }, first: 100 });
      expect(result.errors).toBeUndefined();
      return result.data!.auditSearch.edges.map((edge: any) => edge.node.eventId);
    };

    it.each([
      ['role', { role: 'data_steward' }, [renamed]],
      ['outcome denied', { outcome: 'denied', entity: 'Client' }, []],
      ['outcome allowed', { outcome: 'allowed', entity: 'Client' }, [created, renamed, deleted]],
      ['a changed field', { field: 'status' }, [invoiced]],
      ['free text in the reason, case-insensitive', { text: 'THEN\nLEFT' }, [renamed]],
      ['free text in the entity id', { text: 'invoice-' }, [invoiced]],
      ['free text in the changed fields', { text: 'stat' }, [invoiced]],
      ['free text with a LIKE wildcard taken literally', { text: 'client%' }, []],
      ['actor and action qualifiers together', { actorSub: 'carol', action: 'delete' }, [deleted]],
    ])('should find by %s, newest first', async (_name, filter, expected) => {
      expect(await search(filter)).toEqual(ids(newestFirst(expected)));
    });

    it('should page with cursors like auditEvents', async () => {
      const first = await gql(SEARCH, { filter: { ...january, entity: 'TimeEntry' }, first: 20 });
      const second = await gql(SEARCH, {
        filter: { ...january, entity: 'TimeEntry' },
        first: 20,
        after: first.data!.auditSearch.pageInfo.endCursor,
      });

      expect(first.data!.auditSearch.pageInfo.hasNextPage).toBe(true);
      expect([...first.data!.auditSearch.edges, ...second.data!.auditSearch.edges].map((edge: any) => edge.node.eventId)).toEqual(
        ids(newestFirst(timeEntries)),
      );
    });

    it.each([
      ['no time range', { entity: 'Client' }, /a time range is required: give occurredFrom and occurredTo/],
      ['no end', { occurredFrom: '2026-01-01' }, /give occurredTo/],
      ['an end before the start', { occurredFrom: '2026-02-01', occurredTo: '2026-01-01' }, /occurredFrom must be before occurredTo/],
    ])('should refuse a search with %s (BAD_USER_INPUT)', async (_name, filter, message) => {
      const result = await gql(SEARCH, { filter });

      expect(result.errors![0].extensions!.code).toBe(ErrorCode.BAD_USER_INPUT);
      expect(result.errors![0].message).toMatch(message);
    });

    it('should refuse a bad outcome or field qualifier (BAD_USER_INPUT)', async () => {
      for (const filter of [{ outcome: 'maybe' }, { field: 'a b' }]) {
        const result = await gql(SEARCH, { filter: { ...january, ...filter } });
        expect(result.errors![0].extensions!.code).toBe(ErrorCode.BAD_USER_INPUT);
      }
    });

    it('should not answer a finance caller (FORBIDDEN)', async () => {
      const result = await gql(SEARCH, { filter: january }, asCaller({ sub: 'fin', roles: ['finance'] }));

      expect(result.data).toBeNull();
      expect(result.errors![0].extensions!.code).toBe(ErrorCode.FORBIDDEN);
    });
  });

  describe('auditRangeVerification', () => {
    const RANGE = `query($fromPosition: String, $toPosition: String, $occurredFrom: String, $occurredTo: String) {
      auditRangeVerification(fromPosition: $fromPosition, toPosition: $toPosition, occurredFrom: $occurredFrom, occurredTo: $occurredTo) {
        ok checked fromPosition toPosition firstBroken { position reason }
      }
    }`;

    it('should verify the chain between two positions', async () => {
      const result = await gql(RANGE, { fromPosition: '3', toPosition: '7' });

      expect(result.data!.auditRangeVerification).toEqual({ ok: true, checked: 5, fromPosition: '3', toPosition: '7', firstBroken: null });
    });

    it('should verify the positions spanned by a time range', async () => {
      const result = await gql(RANGE, { occurredFrom: '2026-01-02', occurredTo: '2026-01-05' });

      expect(result.data!.auditRangeVerification).toEqual({ ok: true, checked: 3, fromPosition: '2', toPosition: '4', firstBroken: null });
    });

    it('should check nothing for a range without entries', async () => {
      const result = await gql(RANGE, { occurredFrom: '2020-01-01', occurredTo: '2020-02-01' });

      expect(result.data!.auditRangeVerification).toMatchObject({ ok: true, checked: 0, fromPosition: null });
    });
  });

  describe('auditMarginAccess', () => {
    const MARGIN = `query($occurredFrom: String!, $occurredTo: String!, $period: MarginAccessPeriod, $first: Int, $after: String) {
      auditMarginAccess(occurredFrom: $occurredFrom, occurredTo: $occurredTo, period: $period, first: $first, after: $after) {
        edges { cursor node { period role entity clientId entityId coordinates actors reads denied } }
        pageInfo { hasNextPage endCursor }
        totals { groups reads denied roles }
      }
    }`;
    const rowsOf = (result: { data?: any }) => result.data!.auditMarginAccess.edges.map((edge: any) => edge.node);
    const access = (overrides: Partial<AuditEvent>) =>
      event({ service: 'gateway', action: 'read', before: null, changedFields: [], reason: null, ...overrides });

    beforeAll(async () => {
      const reads = [
        access({
          actor: { sub: 'fin-1', roles: ['finance'] },
          entity: 'Client',
          entityId: 'client-9',
          occurredAt: '2026-03-02T09:00:00.000Z',
          after: { coordinates: ['Client.margin', 'Client.name'], ids: ['client-9'], requests: 3 },
        }),
        access({
          actor: { sub: 'fin-2', roles: ['finance'] },
          entity: 'Client',
          entityId: 'client-9',
          occurredAt: '2026-03-20T09:00:00.000Z',
          after: { coordinates: ['Client.margin'], ids: ['client-9'], requests: 1 },
        }),
        access({
          actor: { sub: 'con-1', roles: ['consultant'] },
          action: 'denied',
          entity: 'Project',
          entityId: '*',
          occurredAt: '2026-03-03T09:00:00.000Z',
          after: { coordinates: ['Project.margin'], ids: [] },
          reason: 'FORBIDDEN_FIELD: removed by the field policy before planning',
        }),
        // not margin: left out
        access({
          actor: { sub: 'fin-1', roles: ['finance'] },
          entity: 'Invoice',
          entityId: 'invoice-1',
          occurredAt: '2026-03-04T09:00:00.000Z',
          after: { coordinates: ['Invoice.total'], ids: ['invoice-1'] },
        }),
        // another month
        access({
          actor: { sub: 'exe-1', roles: ['executive'] },
          entity: 'Client',
          entityId: 'client-9',
          occurredAt: '2026-04-01T00:00:00.000Z',
          after: { coordinates: ['Client.marginPct'], ids: ['client-9'] },
        }),
      ];
      const response = await fetch(`${sut.url}/audit/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ events: reads }),
      });
      expect(response.status).toBe(200);
    });

    it('should report who read margin and who was denied it, by period, role and client', async () => {
      const result = await gql(MARGIN, { occurredFrom: '2026-03-01', occurredTo: '2026-05-01' });

      expect(result.errors).toBeUndefined();
      expect(rowsOf(result)).toEqual([
        {
          period: '2026-04-01',
          role: 'executive',
          entity: 'Client',
          clientId: 'client-9',
          entityId: 'client-9',
          coordinates: ['Client.marginPct'],
          actors: ['exe-1'],
          reads: 1,
          denied: 0,
        },
        {
          period: '2026-03-01',
          role: 'consultant',
          entity: 'Project',
          clientId: null,
          entityId: null,
          coordinates: ['Project.margin'],
          actors: ['con-1'],
          reads: 0,
          denied: 1,
        },
        {
          period: '2026-03-01',
          role: 'finance',
          entity: 'Client',
          clientId: 'client-9',
          entityId: 'client-9',
          coordinates: ['Client.margin'],
          actors: ['fin-1', 'fin-2'],
          reads: 2,
          denied: 0,
        },
      ]);
    });

    it('should split by day when asked', async () => {
      const result = await gql(MARGIN, { occurredFrom: '2026-03-01', occurredTo: '2026-04-01', period: 'DAY' });

      expect(rowsOf(result).map((row: any) => [row.period, row.role, row.reads, row.denied])).toEqual([
        ['2026-03-20', 'finance', 1, 0],
        ['2026-03-03', 'consultant', 0, 1],
        ['2026-03-02', 'finance', 1, 0],
      ]);
    });

    it('should page through every group with a cursor, the totals counting all groups on every page', async () => {
      const seen: [string, string][] = [];
      let after: string | null = null;
      for (let pages = 0; pages < 10; pages++) {
        const result: { data?: any; errors?: unknown } = await gql(MARGIN, {
          occurredFrom: '2026-03-01',
          occurredTo: '2026-05-01',
          first: 1,
          after,
        });
        expect(result.errors).toBeUndefined();
        expect(result.data.auditMarginAccess.totals).toEqual({ groups: 3, reads: 3, denied: 1, roles: 3 });
        seen.push(...rowsOf(result).map((row: any): [string, string] => [row.period, row.role]));
        if (!result.data.auditMarginAccess.pageInfo.hasNextPage) {
          break;
        }
        after = result.data.auditMarginAccess.pageInfo.endCursor;
      }

      expect(seen).toEqual([
        ['2026-04-01', 'executive'],
        ['2026-03-01', 'consultant'],
        ['2026-03-01', 'finance'],
      ]);
    });

    it('should total an empty range as zero', async () => {
      const result = await gql(MARGIN, { occurredFrom: '2020-01-01', occurredTo: '2020-02-01' });

      expect(rowsOf(result)).toEqual([]);
      expect(result.data!.auditMarginAccess.totals).toEqual({ groups: 0, reads: 0, denied: 0, roles: 0 });
    });

    it('should refuse a cursor of another granularity with BAD_USER_INPUT', async () => {
      const byMonth = await gql(MARGIN, { occurredFrom: '2026-03-01', occurredTo: '2026-05-01', first: 1 });

      const byDay = await gql(MARGIN, {
        occurredFrom: '2026-03-01',
        occurredTo: '2026-05-01',
        period: 'DAY',
        first: 1,
        after: byMonth.data!.auditMarginAccess.pageInfo.endCursor,
      });

      expect(byDay.errors![0].extensions!.code).toBe(ErrorCode.BAD_USER_INPUT);
    });

    it('should not answer an executive (FORBIDDEN): the bundle grants the ledger to auditors', async () => {
      const result = await gql(
        MARGIN,
        { occurredFrom: '2026-03-01', occurredTo: '2026-05-01' },
        asCaller({ sub: 'exe', roles: ['executive'] }),
      );

      expect(result.errors![0].extensions!.code).toBe(ErrorCode.FORBIDDEN);
    });
  });
});

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks; records end with CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') {
        quoted = false;
      } else {
        field += char;
      }
    } else if (char === '"') {
      quoted = true;
    } else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      index += 1;
    } else {
      field += char;
    }
  }
  return rows;
}
