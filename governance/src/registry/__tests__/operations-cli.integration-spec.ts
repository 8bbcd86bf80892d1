import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { operationId } from '@concord/common';
import { runTool, type ToolRun } from '@concord/testing';
import { useGovernance } from '../../__tests__/use-governance';

const TOKEN = 'operations-cli-test-token';

const CLIENTS = 'query Clients { clients { id name } }';
const PROJECTS = '# the project list\nquery Projects { projects { id } }\n';

/** `npm run operations:register` (tools/operations.mjs) against a governance on a fresh database. */
describe('operations:register CLI', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'concord-operations-cli-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const sut = useGovernance({ internalToken: TOKEN });

  const cli = (args: string[], token = TOKEN): Promise<ToolRun> =>
    runTool('tools/operations.mjs', ['register', ...args], { cwd: scratch, env: { GOVERNANCE_URL: sut.url, GOVERNANCE_TOKEN: token } });

  const registered = async (): Promise<string[]> => {
    const response = await fetch(`${sut.url}/registry/operations?clientName=web&clientVersion=1.0.0`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    return ((await response.json()) as { operationId: string }[]).map((operation) => operation.operationId).sort();
  };

  beforeAll(() => {
    mkdirSync(join(scratch, 'ops/nested'), { recursive: true });
    writeFileSync(join(scratch, 'ops/clients.graphql'), CLIENTS);
    writeFileSync(join(scratch, 'ops/nested/projects.gql'), PROJECTS);
    writeFileSync(join(scratch, 'ops/README.md'), 'not an operation');
    writeFileSync(join(scratch, 'broken.graphql'), 'query Broken { clients { id ');
  });

  it('registers every .graphql/.gql file of a directory, and registering them again changes nothing', async () => {
    const first = await cli(['--client', 'web', '--client-version', '1.0.0', '--author', 'ci', 'ops']);

    expect(first.code).toBe(0);
    expect(first.output).toContain('✓ web@1.0.0: 2 registered, 0 already registered (no supergraph published: parsed only)');
    expect(first.output).toMatch(new RegExp(`registered\\s+${operationId(CLIENTS).slice(0, 12)}\\s+Clients\\s+ops/clients.graphql`));
    expect(first.output).toMatch(new RegExp(`registered\\s+${operationId(PROJECTS).slice(0, 12)}\\s+Projects\\s+ops/nested/projects.gql`));
    expect(await registered()).toEqual([operationId(CLIENTS), operationId(PROJECTS)].sort());

    const again = await cli(['--client', 'web', '--client-version', '1.0.0', 'ops/clients.graphql']);
    expect(again.code).toBe(0);
    expect(again.output).toContain('✓ web@1.0.0: 0 registered, 1 already registered');
  });

  it('fails (exit 1) naming the file that does not parse, and registers none of the files', async () => {
    const run = await cli(['--client', 'web', '--client-version', '2.0.0', 'ops', 'broken.graphql']);

    expect(run.code).toBe(1);
    expect(run.output).toContain('✗ web@2.0.0: nothing registered, 1 problem(s):');
    expect(run.output).toMatch(/broken\.graphql: Syntax Error: Expected Name, found <EOF>\./);
    const response = await fetch(`${sut.url}/registry/operations?clientName=web&clientVersion=2.0.0`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(await response.json()).toEqual([]);
  });

  it('says what is wrong with the token, the arguments or the files (exit 2)', async () => {
    expect(await cli(['--client', 'web', '--client-version', '1.0.0', 'ops'], 'wrong')).toMatchObject({
      code: 2,
      output: expect.stringContaining('GOVERNANCE_TOKEN'),
    });
    expect(await cli(['--client', 'web', 'ops'])).toMatchObject({ code: 2, output: expect.stringContaining('usage:') });
    expect(await cli(['--client', 'web', '--client-version', '1.0.0'])).toMatchObject({
      code: 2,
      output: expect.stringContaining('usage:'),
    });
    expect(await cli(['--client', 'web', '--client-version', '1.0.0', 'missing'])).toMatchObject({
      code: 2,
      output: expect.stringContaining('cannot read missing'),
    });
  });
});
