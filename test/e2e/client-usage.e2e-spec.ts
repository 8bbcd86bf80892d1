import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postGraphQL, runTool, type ToolRun } from '@concord/testing';
import { bearerFor, startStack, type Stack } from './support/stack';

/**
 * Client usage end to end (issue 5 "Clients and usage"; ARCHITECTURE.md §7): clients name themselves with the
 * apollographql-client-name / -version headers, the gateway reports which operations they ran over which coordinates
 * to governance's registry, governance answers "who uses Project.margin?", and a schema check that would break a
 * client's operation fails naming it — unless that client is excluded — while a removal nobody used passes.
 */

const ROOT = join(__dirname, '..', '..');
const MARGINS = 'query ProjectMargins { projects(first: 5) { edges { node { id name margin { amount currency } } } } }';
const ACTIVE_PROJECTS = 'query ActiveProjects { projects(first: 5, filter: { statusIn: [ACTIVE] }) { edges { node { id name } } } }';
const MARGIN_FIELD = /\n {2}"""\n {2}revenueRecognized − costToDate[^]*?"""\n {2}margin: Money @requires\([^\n]*\)\n/;
const MARGIN_PCT_FIELD = /\n {2}"""margin \/ revenueRecognized[^\n]*\n {2}marginPct: String @requires\([^\n]*managerId[^\n]*\)\n/;

describe('Client usage, end to end', () => {
  let stack: Stack;
  let scratch: string;
  const token = () => stack.governanceToken!;
  const registry = async (path: string) => {
    const response = await fetch(`${stack.governance!.origin}${path}`, { headers: { authorization: `Bearer ${token()}` } });
    return (await response.json()) as any;
  };
  const cli = (args: string[]): Promise<ToolRun> =>
    runTool('tools/schema.mjs', args, { env: { GOVERNANCE_URL: stack.governance!.origin, GOVERNANCE_TOKEN: token() } });
  const erpSchemaFile = (name: string, edit: (sdl: string) => string) => {
    const sdl = readFileSync(join(ROOT, 'subgraphs/erp/schema.graphql'), 'utf8');
    const edited = edit(sdl);
    expect(edited).not.toBe(sdl);
    const file = join(scratch, name);
    writeFileSync(file, edited);
    return file;
  };
  const deprecated = (sdl: string) =>
    sdl
      .replace(/(\n {2}margin: Money @requires\([^\n]*\))\n/, '$1 @deprecated(reason: "use revenueRecognized and costToDate")\n')
      // Project.marginPct (Client.marginPct, client health's input, requires no managerId)
      .replace(/(\n {2}marginPct: String @requires\([^\n]*managerId[^\n]*\))\n/, '$1 @deprecated(reason: "derive it")\n');

  // four services start, clients run, a publish: more than the default hook timeout on a busy machine
  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'concord-usage-e2e-'));
    // removals below were @deprecated in a published version; a grace period of 0 days lets the usage check decide
    stack = await startStack({ governance: true, publishSchemas: true, governanceEnv: { REGISTRY_DEPRECATION_GRACE_DAYS: '0' } });
    const finance = await bearerFor({ sub: 'fin-1', roles: ['finance'] });
    const web = { ...finance, 'apollographql-client-name': 'web', 'apollographql-client-version': '1.4.0' };
    const mobile = { ...finance, 'apollographql-client-name': 'mobile', 'apollographql-client-version': '2.0.0' };
    for (const [query, headers] of [
      [MARGINS, web],
      [MARGINS, web],
      [ACTIVE_PROJECTS, mobile],
    ] as const) {
      const { errors } = await postGraphQL(stack.gateway.url, query, undefined, headers);
      expect(errors).toBeUndefined();
    }
    await stack.usage!.flush();
    const publish = await cli([
      'publish',
      '--subgraph',
      'erp',
      '--author',
      'ci-erp',
      '--file',
      erpSchemaFile('deprecated.graphql', deprecated),
    ]);
    expect(publish.code).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('should answer who uses Project.margin: the client version and its operation, not the client that did not select it', async () => {
    const usage = await registry('/registry/usage?coordinate=Project.margin');

    expect(usage).toMatchObject({ coordinate: 'Project.margin', days: 7 });
    expect(usage.clients).toEqual([
      {
        clientName: 'web',
        clientVersion: '1.4.0',
        excluded: false,
        count: 2,
        lastSeen: expect.any(String),
        operations: [{ hash: expect.stringMatching(/^[0-9a-f]{64}$/), name: 'ProjectMargins', count: 2, lastSeen: expect.any(String) }],
      },
    ]);
  });

  it('should know which client gave an argument and chose an enum value', async () => {
    const [filter, active, margins] = await Promise.all([
      registry('/registry/usage?coordinate=Query.projects.filter'),
      registry('/registry/usage?coordinate=ProjectStatus.ACTIVE'),
      registry('/registry/usage?coordinate=Query.projects'),
    ]);

    const clients = (usage: { clients: { clientName: string; clientVersion: string }[] }) =>
      usage.clients.map((client) => `${client.clientName}@${client.clientVersion}`);
    expect(clients(filter)).toEqual(['mobile@2.0.0']);
    expect(clients(active)).toEqual(['mobile@2.0.0']);
    expect(clients(margins)).toEqual(['mobile@2.0.0', 'web@1.4.0']);
  });

  it('should fail a check of an ERP schema without Project.margin, naming web@1.4.0 and its operation', async () => {
    const run = await cli([
      'check',
      '--subgraph',
      'erp',
      '--file',
      erpSchemaFile('no-margin.graphql', (sdl) => deprecated(sdl).replace(MARGIN_FIELD, '\n')),
    ]);

    expect(run.code).toBe(1);
    expect(run.output).toContain('✗ erp: fails');
    expect(run.output).toMatch(
      /breaking change FIELD_REMOVED at Project\.margin: .*\(used by web@1\.4\.0 \(operations: ProjectMargins [0-9a-f]{12}\)\)/,
    );
    expect(run.output).not.toContain('mobile@2.0.0');
  });

  it('should pass the same check when web leaves the count, by name@version or by name', async () => {
    const file = erpSchemaFile('no-margin.graphql', (sdl) => deprecated(sdl).replace(MARGIN_FIELD, '\n'));

    const byVersion = await cli(['check', '--subgraph', 'erp', '--file', file, '--exclude-client', 'web@1.4.0']);
    const otherVersion = await cli(['check', '--subgraph', 'erp', '--file', file, '--exclude-client', 'web@1.3.0']);
    const byName = await cli(['check', '--subgraph', 'erp', '--file', file, '--exclude-client', 'web', '--exclude-client', 'batch']);

    expect(byVersion).toMatchObject({ code: 0, output: expect.stringContaining('✓ erp: passes') });
    expect(byVersion.output).toMatch(/breaking\s+Project\.margin .*\(unused: allowed\)/);
    expect(byVersion.output).toContain('usage of web@1.4.0 left out');
    expect(otherVersion.code).toBe(1);
    expect(byName).toMatchObject({ code: 0 });
  });

  it('should report removing a field nobody used as breaking and unused, and pass', async () => {
    const file = erpSchemaFile('no-margin-pct.graphql', (sdl) => deprecated(sdl).replace(MARGIN_PCT_FIELD, '\n'));
    const response = await fetch(`${stack.governance!.origin}/registry/check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token()}` },
      body: JSON.stringify({ subgraph: 'erp', sdl: readFileSync(file, 'utf8') }),
    });
    const report = (await response.json()) as any;
    const run = await cli(['check', '--subgraph', 'erp', '--file', file]);

    expect({ ok: report.ok, reasons: report.reasons }).toEqual({ ok: true, reasons: [] });
    expect(report.changes).toEqual([
      expect.objectContaining({ criticality: 'BREAKING', type: 'FIELD_REMOVED', path: 'Project.marginPct', used: false, clients: [] }),
    ]);
    expect(report.reasons).toEqual([]);
    expect(run).toMatchObject({ code: 0, output: expect.stringMatching(/breaking\s+Project\.marginPct .*\(unused: allowed\)/) });
  });
});
