import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { operationId } from '@concord/common';
import { GatewayErrorCode } from '@concord/gateway';
import { NO_CONTEXT_TOKEN, postGraphQL } from '@concord/testing';
import { sql } from './support/database';
import { startStack, type Stack } from './support/stack';

/**
 * The operation safelist end to end (issue 5, "Clients and usage"): a gateway with SAFELIST=on in front of the real
 * services; a client version registers one operation with governance's registry, the gateway picks the list up on its
 * next poll, runs that operation and refuses the others.
 */

const ROOT = join(__dirname, '..', '..');
const CLIENT_NAMES = 'query ClientNames { clients(first: 5) { edges { node { id name } } } }';
const CLIENT_NAMES_AS_SENT = `
  # the client's copy: same operation, its own layout
  query ClientNames {
    clients(first: 5) {
      edges { node { id, name } }
    }
  }`;
const PROJECT_NAMES = 'query ProjectNames { projects(first: 5) { edges { node { id name } } } }';
const WEB_1 = { 'apollographql-client-name': 'web', 'apollographql-client-version': '1.0.0' };

interface HealthBody {
  checks?: { safelist?: { ready: boolean; details?: { operations?: number } } };
}

/** Polls `probe` until it returns a value (not undefined) or the time is up. */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: not within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('operation safelist through the gateway', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ governance: true, safelist: 'on', publishSchemas: true });
  });

  afterAll(async () => {
    await stack?.close();
  });

  async function governance(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const response = await fetch(`${stack.governance!.origin}${path}`, {
      method,
      headers: { authorization: `Bearer ${stack.governanceToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  }

  function run(query: string, client: Record<string, string> = WEB_1) {
    return postGraphQL(stack.gateway.url, query, undefined, { ...NO_CONTEXT_TOKEN, ...stack.auth, ...client });
  }

  it('should refuse a client’s operation before the client version registered it', async () => {
    const result = await run(CLIENT_NAMES);

    expect(result.status).toBe(403);
    expect(result.errors?.[0].extensions).toMatchObject({
      code: GatewayErrorCode.OPERATION_NOT_REGISTERED,
      clientName: 'web',
      clientVersion: '1.0.0',
      operationId: operationId(CLIENT_NAMES),
    });
  });

  it('should run the operation a client version registered, once the gateway polled the list, and refuse another', async () => {
    // in dependency order: crm's client health @requires fields of erp and psa, erp's margin fields of psa
    for (const subgraph of ['psa', 'erp', 'crm']) {
      const sdl = readFileSync(join(ROOT, `subgraphs/${subgraph}/schema.graphql`), 'utf8');
      expect((await governance('POST', '/registry/publish', { subgraph, sdl, author: `ci-${subgraph}` })).status).toBe(200);
    }

    const registered = await governance('POST', '/registry/operations', {
      clientName: 'web',
      clientVersion: '1.0.0',
      author: 'ci-web',
      operations: [{ document: CLIENT_NAMES }],
    });
    expect(registered.status).toBe(200);
    expect(registered.body).toMatchObject({ registered: 1, validatedAgainst: expect.stringMatching(/^[0-9a-f]{64}$/) });

    await eventually('the gateway follows the registration', async () => {
      const health = (await (await fetch(`${stack.gateway.origin}/health`)).json()) as HealthBody;
      return health.checks?.safelist?.details?.operations === 1 ? true : undefined;
    });
    const names = await run(CLIENT_NAMES_AS_SENT);
    const projects = await run(PROJECT_NAMES);
    const otherVersion = await run(CLIENT_NAMES, { ...WEB_1, 'apollographql-client-version': '2.0.0' });

    expect(names.status).toBe(200);
    expect(names.errors).toBeUndefined();
    expect(names.data).toEqual({ clients: { edges: expect.any(Array) } });
    expect(projects.status).toBe(403);
    expect(projects.errors).toEqual([
      {
        message: expect.stringContaining(
          'Operation ProjectNames (id ' +
            `${operationId(PROJECT_NAMES)}) is not registered for client web@1.0.0: register it with npm run operations:register`,
        ),
        extensions: expect.objectContaining({ code: GatewayErrorCode.OPERATION_NOT_REGISTERED }),
      },
    ]);
    expect(otherVersion.status).toBe(403);
  });

  it('should have audited the registration and counted the refusals', async () => {
    const events = await sql<{ entity_id: string; actor: { sub: string } }>(
      stack.database.url,
      `SELECT entity_id, actor FROM governance.audit_event WHERE action = 'operation.register'`,
    );
    const metrics = await (await fetch(`${stack.gateway.origin}/metrics`)).text();

    expect(events).toEqual([{ entity_id: 'web@1.0.0', actor: { sub: 'ci-web', roles: [] } }]);
    expect(metrics).toMatch(/concord_gateway_errors_total\{code="OPERATION_NOT_REGISTERED"\} 3/);
  });
});
