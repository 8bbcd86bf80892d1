import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTool, type ToolRun } from '@concord/testing';
import { useGovernance } from '../../__tests__/use-governance';

const ROOT = join(__dirname, '../../../..');
const TOKEN = 'registry-cli-test-token';

/** `npm run schema:check` / `schema:publish` (tools/schema.mjs) against a governance on a fresh database. */
describe('schema registry CLI', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'concord-schema-cli-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const sut = useGovernance({ internalToken: TOKEN });

  const cli = (args: string[], token = TOKEN): Promise<ToolRun> =>
    runTool('tools/schema.mjs', [...args], { env: { GOVERNANCE_URL: sut.url, GOVERNANCE_TOKEN: token } });

  // psa, whose schema composes on its own (crm's and erp's @requires fields of the others)
  it('checks and publishes a subgraph’s committed schema.graphql, and republishing it changes nothing', async () => {
    const check = await cli(['check', '--subgraph', 'psa']);
    expect(check).toMatchObject({ code: 0 });
    expect(check.output).toContain('✓ psa: passes');

    const first = await cli(['publish', '--subgraph', 'psa', '--author', 'ci']);
    expect(first.code).toBe(0);
    expect(first.output).toContain('published as version 1');

    const again = await cli(['publish', '--subgraph', 'psa', '--author', 'ci']);
    expect(again.output).toContain('unchanged: version 1');
  });

  it('fails (exit 1) with readable reasons on a breaking change, and publishes nothing', async () => {
    const sdl = readFileSync(join(ROOT, 'subgraphs/psa/schema.graphql'), 'utf8').replace(/^\s*pricingType: ProjectPricingType!\n/m, '');
    const file = join(scratch, 'psa-without-pricing-type.graphql');
    writeFileSync(file, sdl);

    const check = await cli(['check', '--subgraph', 'psa', '--file', file]);
    expect(check.code).toBe(1);
    expect(check.output).toContain('✗ psa: fails');
    expect(check.output).toMatch(/breaking\s+Project\.pricingType/);
    expect(check.output).toContain('→ ');

    expect((await cli(['publish', '--subgraph', 'psa', '--file', file])).code).toBe(1);
    const versions = await fetch(`${sut.url}/registry/subgraphs/psa/versions`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(((await versions.json()) as { status: string }[]).filter((version) => version.status === 'PUBLISHED')).toHaveLength(1);
  });

  it('lists versions, and rolls the supergraph back to an earlier one in one command', async () => {
    const sdl = readFileSync(join(ROOT, 'subgraphs/psa/schema.graphql'), 'utf8').replace(
      'A delivery project, owned by the PSA.',
      'A delivery engagement, owned by the PSA.',
    );
    const file = join(scratch, 'psa-described.graphql');
    writeFileSync(file, sdl);
    const published = await cli([
      'publish',
      '--subgraph',
      'psa',
      '--file',
      file,
      '--author',
      'ci',
      '--routing-url',
      'http://psa:4003/graphql',
    ]);
    expect(published.output).toMatch(/published as version 3: supergraph version 2/);

    const rollback = await cli(['rollback', '--to', '1', '--reason', 'the description broke a client', '--author', 'oncall']);
    const listing = await cli(['versions']);
    const history = await cli(['versions', '--subgraph', 'psa']);

    expect(rollback).toMatchObject({
      code: 0,
      output: expect.stringContaining('gateways now serve supergraph version 3 (the subgraphs of version 1)'),
    });
    expect(listing.output).toMatch(/ {3}3 {2}\S+ {2}rollback to 1 {3}oncall {2}psa@1/);
    expect(listing.output).toMatch(/ {3}2 {2}\S+ {2}publish {9}ci {2}psa@3/);
    expect(history.output).toMatch(/ {3}2 {2}\S+ {2}REJECTED/);
    expect(await cli(['rollback', '--to', '3', '--reason', 'again'])).toMatchObject({
      code: 1,
      output: expect.stringContaining('is what gateways serve already'),
    });
  });

  it('says what is wrong with the token or the arguments (exit 2)', async () => {
    expect(await cli(['check', '--subgraph', 'psa'], 'wrong')).toMatchObject({
      code: 2,
      output: expect.stringContaining('GOVERNANCE_TOKEN'),
    });
    expect(await cli(['check'])).toMatchObject({ code: 2, output: expect.stringContaining('usage:') });
    expect(await cli(['rollback', '--to', '1'])).toMatchObject({ code: 2, output: expect.stringContaining('usage:') });
  });
});
