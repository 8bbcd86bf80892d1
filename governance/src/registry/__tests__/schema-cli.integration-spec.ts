import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useTestService } from '@concord/testing';
import { GovernanceModule } from '../../app.module';

const ROOT = join(__dirname, '../../../..');
const TOKEN = 'registry-cli-test-token';

interface Run {
  code: number;
  output: string;
}

/** `npm run schema:check` / `schema:publish` (tools/schema.mjs) against a governance on a fresh database. */
describe('schema registry CLI', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'concord-schema-cli-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const sut = useTestService(
    (databaseUrl) =>
      GovernanceModule.forRoot({
        databaseUrl,
        subgraphs: [],
        jobs: false,
        logLevel: 'silent',
        audit: { keyDir: scratch },
        internalToken: TOKEN,
      }),
    'governance',
  );

  const cli = (args: string[], token = TOKEN): Promise<Run> =>
    new Promise((resolve) => {
      execFile(
        'node',
        [join(ROOT, 'tools/schema.mjs'), ...args],
        { env: { ...process.env, GOVERNANCE_URL: sut.url, GOVERNANCE_TOKEN: token }, timeout: 60_000 },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
      );
    });

  it('checks and publishes a subgraph’s committed schema.graphql, and republishing it changes nothing', async () => {
    const check = await cli(['check', '--subgraph', 'crm']);
    expect(check).toMatchObject({ code: 0 });
    expect(check.output).toContain('✓ crm: passes');

    const first = await cli(['publish', '--subgraph', 'crm', '--author', 'ci']);
    expect(first.code).toBe(0);
    expect(first.output).toContain('published as version 1');

    const again = await cli(['publish', '--subgraph', 'crm', '--author', 'ci']);
    expect(again.output).toContain('unchanged: version 1');
  });

  it('fails (exit 1) with readable reasons on a breaking change, and publishes nothing', async () => {
    const sdl = readFileSync(join(ROOT, 'subgraphs/crm/schema.graphql'), 'utf8').replace(/^\s*industry: String\n/m, '');
    const file = join(scratch, 'crm-without-industry.graphql');
    writeFileSync(file, sdl);

    const check = await cli(['check', '--subgraph', 'crm', '--file', file]);
    expect(check.code).toBe(1);
    expect(check.output).toContain('✗ crm: fails');
    expect(check.output).toMatch(/breaking\s+Client\.industry/);
    expect(check.output).toContain('→ ');

    expect((await cli(['publish', '--subgraph', 'crm', '--file', file])).code).toBe(1);
    const versions = await fetch(`${sut.url}/registry/subgraphs/crm/versions`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(((await versions.json()) as { status: string }[]).filter((version) => version.status === 'PUBLISHED')).toHaveLength(1);
  });

  it('says what is wrong with the token or the arguments (exit 2)', async () => {
    expect(await cli(['check', '--subgraph', 'crm'], 'wrong')).toMatchObject({
      code: 2,
      output: expect.stringContaining('GOVERNANCE_TOKEN'),
    });
    expect(await cli(['check'])).toMatchObject({ code: 2, output: expect.stringContaining('usage:') });
  });
});
