import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postGraphQL, runTool, type ToolRun } from '@concord/testing';
import { sql } from './support/database';
import { bearerFor, startStack, type Stack } from './support/stack';

/**
 * The schema registry end to end (issue 5 "Schema registry and checks"; ARCHITECTURE.md §7): every service publishes
 * its SDL to governance at start, the gateway serves the registry's supergraph and follows it live — a publish, a
 * rollback and a data steward's approval of a failed check each reach it within seconds, with no request dropped.
 */

const ROOT = join(__dirname, '..', '..');
const CLIENTS_WITH_PROJECTS = '{ clients(first: 3) { edges { node { id name industry projects { name } } } } }';
const APPROVE = `mutation($subgraph: String!, $version: Int!, $reason: String!) {
  approveSchemaVersion(subgraph: $subgraph, version: $version, reason: $reason) { version status checkPassed approval { approvedBy supergraphVersion } } }`;

describe('Schema registry, end to end', () => {
  let stack: Stack;
  let scratch: string;
  const registry = async (path: string) => {
    const response = await fetch(`${stack.governance!.origin}${path}`, { headers: { authorization: `Bearer ${token()}` } });
    return (await response.json()) as any;
  };
  const token = () => stack.governanceToken!;
  const cli = (args: string[]): Promise<ToolRun> =>
    runTool('tools/schema.mjs', args, { env: { GOVERNANCE_URL: stack.governance!.origin, GOVERNANCE_TOKEN: token() } });
  const gatewayVersion = async (version: number, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (stack.gateway.supergraph()?.version !== version && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return stack.gateway.supergraph()?.version;
  };
  const crmSchemaFile = (name: string, edit: (sdl: string) => string) => {
    const file = join(scratch, name);
    writeFileSync(file, edit(readFileSync(join(ROOT, 'subgraphs/crm/schema.graphql'), 'utf8')));
    return file;
  };

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'concord-registry-e2e-'));
    stack = await startStack({ governance: true, supergraph: 'registry' });
  });

  afterAll(async () => {
    await stack?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('should have every service publish its SDL at start, and the gateway serve that supergraph routed to them', async () => {
    const supergraph = await registry('/registry/supergraph');

    expect(supergraph.subgraphs.map((member: { name: string; routingUrl: string }) => [member.name, member.routingUrl])).toEqual([
      ['crm', stack.subgraphs.crm.graphqlUrl],
      ['erp', stack.subgraphs.erp.graphqlUrl],
      ['governance', stack.governance!.graphqlUrl],
      ['psa', stack.subgraphs.psa.graphqlUrl],
    ]);
    const crm = await registry('/registry/subgraphs/crm/versions');
    expect(crm[0]).toMatchObject({ version: 1, status: 'PUBLISHED', author: expect.stringMatching(/^service:crm@/) });
    expect(stack.gateway.supergraph()).toMatchObject({ source: 'registry', version: supergraph.version });
    const { errors } = await postGraphQL(stack.gateway.url, CLIENTS_WITH_PROJECTS, undefined, stack.auth);
    expect(errors).toBeUndefined();
  });

  it('should load a published version within seconds without dropping a request in flight', async () => {
    const served = stack.gateway.supergraph()!.version!;
    let running = true;
    let sent = 0;
    const failures: unknown[] = [];
    const load = async () => {
      while (running) {
        const { errors } = await postGraphQL(stack.gateway.url, CLIENTS_WITH_PROJECTS, undefined, stack.auth);
        sent++;
        if (errors) {
          failures.push(errors);
        }
      }
    };
    const workers = Array.from({ length: 4 }, load);

    const publish = await cli([
      'publish',
      '--subgraph',
      'crm',
      '--author',
      'ci-crm',
      '--file',
      crmSchemaFile('described.graphql', (sdl) => sdl.replace(/^"""A customer account, [^\n]*\n/m, '"""A company the firm sells to."""\n')),
    ]);
    const loaded = await gatewayVersion(served + 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    running = false;
    await Promise.all(workers);

    expect(publish).toMatchObject({ code: 0, output: expect.stringContaining(`supergraph version ${served + 1}`) });
    expect(loaded).toBe(served + 1);
    expect(sent).toBeGreaterThan(10);
    expect(failures).toEqual([]);
  });

  it('should roll back to an earlier supergraph with one command', async () => {
    const target = await registry(`/registry/supergraph?version=${stack.gateway.supergraph()!.version! - 1}`);

    const rollback = await cli(['rollback', '--to', String(target.version), '--reason', 'e2e: the description confused a client']);
    const next = target.version + 2;

    expect(rollback.code).toBe(0);
    expect(await gatewayVersion(next)).toBe(next);
    expect(stack.gateway.supergraph()!.hash).toBe(target.sha256);
  });

  it('should let a second data steward approve a failed check through the gateway, and the gateway follow', async () => {
    const withoutIndustry = crmSchemaFile('no-industry.graphql', (sdl) =>
      sdl.replace(/^(type Client\b[^]*?)\n {2}industry: String\n/m, '$1\n'),
    );
    const rejected = await cli(['publish', '--subgraph', 'crm', '--author', 'dev-dora', '--file', withoutIndustry]);
    const version = Number(/stored as rejected version (\d+)/.exec(rejected.output)?.[1]);

    const self = await postGraphQL(
      stack.gateway.url,
      APPROVE,
      { subgraph: 'crm', version, reason: 'mine' },
      await bearerFor({ sub: 'dev-dora', roles: ['data_steward'] }),
    );
    const approved = await postGraphQL(
      stack.gateway.url,
      APPROVE,
      { subgraph: 'crm', version, reason: 'industry now lives on the ERP customer' },
      await bearerFor({ sub: 'steward-sam', roles: ['data_steward'] }),
    );

    expect(rejected).toMatchObject({ code: 1, output: expect.stringContaining('deprecation: Client.industry') });
    expect(self.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'SELF_APPROVAL' });
    expect(approved.errors).toBeUndefined();
    const supergraphVersion = approved.data!.approveSchemaVersion.approval.supergraphVersion;
    expect(approved.data!.approveSchemaVersion).toMatchObject({ version, status: 'REJECTED', checkPassed: true });
    expect(await gatewayVersion(supergraphVersion)).toBe(supergraphVersion);
    const { errors } = await postGraphQL(stack.gateway.url, CLIENTS_WITH_PROJECTS, undefined, stack.auth);
    expect(errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const ledger = await sql<{ action: string; entity_id: string }>(
      stack.database.url,
      `SELECT action, entity_id FROM governance.audit_event WHERE action IN ('schema.approve', 'schema.rollback') ORDER BY position`,
    );
    expect(ledger.map((event) => event.action)).toEqual(['schema.rollback', 'schema.approve']);
  });
});
