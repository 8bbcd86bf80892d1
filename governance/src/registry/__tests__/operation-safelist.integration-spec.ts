import { ErrorCode, operationId, type OperationSafelist } from '@concord/common';
import type { RunningService } from '@concord/testing';
import { callGovernance, useGovernance } from '../../__tests__/use-governance';
import { AuditLedgerService } from '../../audit/audit-ledger.service';
import { OperationSafelistService, RegistrationStatus } from '../operation-safelist.service';
import { RegistryExceptionCode } from '../registry.exception';

const FEDERATION = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';
const CRM_SDL = `${FEDERATION}
  type Query { clients: [Client!]! client(id: ID!): Client }
  type Client @key(fields: "id") { id: ID! name: String! industry: String }`;

const CLIENTS = 'query Clients { clients { id name } }';
const CLIENT = 'query Client($id: ID!) { client(id: $id) { id name industry } }';
const INDUSTRIES = 'query Industries { clients { industry } }';

const call = callGovernance;

interface StoredRow {
  client_name: string;
  client_version: string;
  operation_id: string;
  operation_name: string | null;
  registered_by: string;
}

function rows(service: RunningService): Promise<StoredRow[]> {
  return service.dataSource.query(
    `SELECT client_name, client_version, operation_id, operation_name, registered_by FROM governance.registered_operation
     ORDER BY client_name, client_version, operation_id`,
  );
}

function registrationEvents(service: RunningService): Promise<{ entity: string; entity_id: string; actor: unknown; after: any }[]> {
  return service.dataSource.query(
    `SELECT entity, entity_id, actor, after FROM governance.audit_event WHERE action = 'operation.register' ORDER BY position`,
  );
}

function safelist(service: RunningService, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${service.url}/registry/safelist`, { headers });
}

describe(OperationSafelistService.name, () => {
  const service = useGovernance();

  describe('before any subgraph published a schema', () => {
    it('should register a client version’s operations by operation id and record the registration in the ledger', async () => {
      const response = await call(service, 'POST', '/registry/operations', {
        clientName: 'web',
        clientVersion: '1.0.0',
        author: 'ci-web',
        operations: [{ document: CLIENTS }, { document: CLIENT, name: 'client page' }],
      });

      expect(response).toEqual({
        status: 200,
        body: {
          clientName: 'web',
          clientVersion: '1.0.0',
          registered: 2,
          unchanged: 0,
          validatedAgainst: null,
          operations: [
            { operationId: operationId(CLIENTS), operationName: 'Clients', status: RegistrationStatus.REGISTERED },
            { operationId: operationId(CLIENT), operationName: 'client page', status: RegistrationStatus.REGISTERED },
          ],
        },
      });
      expect(await rows(service)).toEqual(
        [
          { operation_id: operationId(CLIENTS), operation_name: 'Clients' },
          { operation_id: operationId(CLIENT), operation_name: 'client page' },
        ]
          .map((row) => ({ client_name: 'web', client_version: '1.0.0', registered_by: 'ci-web', ...row }))
          .sort((a, b) => a.operation_id.localeCompare(b.operation_id)),
      );
      const events = await registrationEvents(service);
      expect(events).toEqual([
        {
          entity: 'OperationSafelist',
          entity_id: 'web@1.0.0',
          actor: { sub: 'ci-web', roles: [] },
          after: expect.objectContaining({ registered: 2, operationIds: [operationId(CLIENTS), operationId(CLIENT)] }),
        },
      ]);
      expect(await service.app.get(AuditLedgerService).verify()).toMatchObject({ ok: true });
    });

    it('should treat registering the same documents again, formatting aside, as a counted no-op', async () => {
      const before = await rows(service);

      const again = await call(service, 'POST', '/registry/operations', {
        clientName: ' web ',
        clientVersion: '1.0.0',
        author: 'someone-else',
        operations: [
          { document: `# the list\nquery Clients {\n  clients {\n    id,\n    name\n  }\n}\n` },
          { document: CLIENT },
          { document: CLIENT },
        ],
      });

      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ clientName: 'web', registered: 0, unchanged: 3 });
      expect(again.body.operations.map((operation: { status: string }) => operation.status)).toEqual(
        Array(3).fill(RegistrationStatus.UNCHANGED),
      );
      expect(await rows(service)).toEqual(before);
      expect(await registrationEvents(service)).toHaveLength(1);
    });

    it('should count a document given twice in one registration once', async () => {
      const response = await call(service, 'POST', '/registry/operations', {
        clientName: 'web',
        clientVersion: '1.1.0',
        author: 'ci-web',
        operations: [{ document: CLIENTS }, { document: `{ clients { id } }` }, { document: CLIENTS }],
      });

      expect(response.body).toMatchObject({ registered: 2, unchanged: 1 });
      expect(response.body.operations.map((operation: { status: string }) => operation.status)).toEqual([
        RegistrationStatus.REGISTERED,
        RegistrationStatus.REGISTERED,
        RegistrationStatus.UNCHANGED,
      ]);
      expect(response.body.operations[1].operationName).toBeNull();
    });

    it('should refuse a registration with a document that does not parse, naming it, and store none of it', async () => {
      const before = await rows(service);
      const events = (await registrationEvents(service)).length;

      const response = await call(service, 'POST', '/registry/operations', {
        clientName: 'web',
        clientVersion: '2.0.0',
        author: 'ci-web',
        operations: [
          { document: INDUSTRIES },
          { document: 'query Broken { clients { id ', name: 'broken' },
          { document: 'type Client { id: ID! }' },
          { document: 'fragment Names on Client { name }' },
        ],
      });

      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ code: ErrorCode.BAD_USER_INPUT, reason: RegistryExceptionCode.INVALID_OPERATIONS });
      expect(response.body.error.problems).toEqual([
        expect.stringMatching(/^operations\[1\] \(broken\): Syntax Error: Expected Name, found <EOF>\. \(line 1, column \d+\)$/),
        'operations[2]: a ObjectTypeDefinition is not an operation or fragment: register executable documents only',
        'operations[2]: the document holds no operation',
        'operations[3]: the document holds no operation',
      ]);
      expect(response.body.error.message).toContain('nothing was registered');
      expect(await rows(service)).toEqual(before);
      expect(await registrationEvents(service)).toHaveLength(events);
    });

    it.each([
      ['without a client name', { clientVersion: '1.0.0', author: 'a', operations: [{ document: CLIENTS }] }, 'clientName'],
      ['without a client version', { clientName: 'web', author: 'a', operations: [{ document: CLIENTS }] }, 'clientVersion'],
      ['without an author', { clientName: 'web', clientVersion: '1.0.0', operations: [{ document: CLIENTS }] }, 'author'],
      ['without operations', { clientName: 'web', clientVersion: '1.0.0', author: 'a', operations: [] }, 'operations'],
      [
        'with an empty document',
        { clientName: 'web', clientVersion: '1.0.0', author: 'a', operations: [{ document: '' }] },
        'operations[0].document',
      ],
      [
        'with a version too long for the header',
        { clientName: 'web', clientVersion: 'x'.repeat(129), author: 'a', operations: [{ document: CLIENTS }] },
        'clientVersion',
      ],
    ])('should refuse a registration %s', async (_case, body, field) => {
      const response = await call(service, 'POST', '/registry/operations', body);

      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ code: ErrorCode.BAD_USER_INPUT, reason: RegistryExceptionCode.INVALID_INPUT });
      expect(response.body.error.problems).toEqual([expect.stringMatching(new RegExp(`^${field.replace(/[[\].]/g, '\\$&')} `))]);
    });
  });

  describe('GET /registry/safelist', () => {
    it('should list every client version’s operation ids with an ETag, and answer 304 while nothing changed', async () => {
      const first = await safelist(service);
      const etag = first.headers.get('etag')!;

      expect(first.status).toBe(200);
      expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
      expect(await first.json()).toEqual({
        clients: [
          { clientName: 'web', clientVersion: '1.0.0', operationIds: [operationId(CLIENTS), operationId(CLIENT)].sort() },
          { clientName: 'web', clientVersion: '1.1.0', operationIds: [operationId(CLIENTS), operationId('{ clients { id } }')].sort() },
        ],
      });
      const unchanged = await safelist(service, { 'if-none-match': etag });
      expect(unchanged.status).toBe(304);
      expect(unchanged.headers.get('etag')).toBe(etag);
      expect((await safelist(service, { 'if-none-match': `"other", W/${etag}` })).status).toBe(304);
    });

    it('should move the ETag when an operation is registered', async () => {
      const etag = (await safelist(service)).headers.get('etag')!;

      await call(service, 'POST', '/registry/operations', {
        clientName: 'mobile',
        clientVersion: '7',
        author: 'ci-mobile',
        operations: [{ document: INDUSTRIES }],
      });
      const changed = await safelist(service, { 'if-none-match': etag });

      expect(changed.status).toBe(200);
      expect(changed.headers.get('etag')).not.toBe(etag);
      expect(((await changed.json()) as OperationSafelist).clients[0]).toEqual({
        clientName: 'mobile',
        clientVersion: '7',
        operationIds: [operationId(INDUSTRIES)],
      });
    });
  });

  describe('GET /registry/operations', () => {
    it('should list one client version’s operations with their documents', async () => {
      const response = await call(service, 'GET', '/registry/operations?clientName=mobile&clientVersion=7');

      expect(response).toEqual({
        status: 200,
        body: [
          {
            clientName: 'mobile',
            clientVersion: '7',
            operationId: operationId(INDUSTRIES),
            operationName: 'Industries',
            document: INDUSTRIES,
            registeredBy: 'ci-mobile',
            registeredAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
          },
        ],
      });
      expect((await call(service, 'GET', '/registry/operations?clientName=web')).body).toHaveLength(4);
      expect((await call(service, 'GET', '/registry/operations?clientVersion=7')).status).toBe(400);
    });
  });

  describe('once a supergraph is published', () => {
    beforeAll(async () => {
      const published = await call(service, 'POST', '/registry/publish', { subgraph: 'crm', sdl: CRM_SDL, author: 'ci-crm' });
      expect(published.status).toBe(200);
    });

    it('should refuse documents that do not validate against it, with the reasons, and store none of the registration', async () => {
      const before = await rows(service);

      const response = await call(service, 'POST', '/registry/operations', {
        clientName: 'web',
        clientVersion: '3.0.0',
        author: 'ci-web',
        operations: [
          { document: CLIENTS },
          { document: 'query Margins { clients { id margin } }' },
          { document: 'query Bad($id: ID) { client(id: $id) { id } }' },
        ],
      });

      expect(response.status).toBe(400);
      expect(response.body.error.reason).toBe(RegistryExceptionCode.INVALID_OPERATIONS);
      expect(response.body.error.problems).toEqual([
        'operations[1]: Cannot query field "margin" on type "Client". (line 1, column 30)',
        'operations[2]: Variable "$id" of type "ID" used in position expecting type "ID!". (line 1, column 11)',
      ]);
      expect(await rows(service)).toEqual(before);
    });

    it('should register valid documents and say which supergraph they were validated against', async () => {
      const supergraph = await call(service, 'GET', '/registry/supergraph');

      const response = await call(service, 'POST', '/registry/operations', {
        clientName: 'web',
        clientVersion: '3.0.0',
        author: 'ci-web',
        operations: [{ document: CLIENTS }, { document: CLIENT }],
      });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ registered: 2, unchanged: 0, validatedAgainst: supergraph.body.sha256 });
      expect((await registrationEvents(service)).at(-1)).toMatchObject({
        entity_id: 'web@3.0.0',
        after: { registered: 2, validatedAgainst: supergraph.body.sha256 },
      });
    });
  });
});
