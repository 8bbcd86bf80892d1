import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { seedDatabase } from '@concord/seed';
import { ARTIFACTS, launchBrowser, newPage, screenshot, signIn } from './support/browser';
import { sql } from './support/database';
import { startStack, type Stack } from './support/stack';

jest.setTimeout(240_000);

const run = promisify(execFile);
const VERIFY_CLI = join(__dirname, '..', '..', 'governance', 'dist', 'audit', 'verify-cli.js');
const DAY = 86_400_000;
const isoDate = (time: number) => new Date(time).toISOString().slice(0, 10);

/** `npm run audit:verify -- --file …` as the auditor runs it (the built CLI): its exit code and output. */
async function verifyFile(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [VERIFY_CLI, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/**
 * The auditors' area in a real browser against the real stack: finance reads margin and a consultant is denied it
 * (the gateway records both), then an auditor searches the ledger with qualifiers, opens a diff, compares two
 * entries, exports exactly the filtered rows as NDJSON and checks the file offline with the ledger's public key,
 * checks the range's integrity and reads the margin-access report. Screenshots under test-artifacts/console.
 */
describe('console: the auditors area', () => {
  let stack: Stack;
  let browser: Browser;
  let consoleUrl: string;
  let client: { id: string; name: string };
  const from = isoDate(Date.now() - 30 * DAY);
  const to = isoDate(Date.now() + DAY);

  beforeAll(async () => {
    stack = await startStack({
      governance: true,
      console: true,
      beforeGateway: (databaseUrl) => seedDatabase({ databaseUrl, scale: 0.1, seed: 11 }).then(() => undefined),
    });
    consoleUrl = `${stack.governance!.origin}/console`;
    browser = await launchBrowser();
    [client] = await sql<{ id: string; name: string }>(
      stack.database.url,
      `SELECT c.id::text, c.name FROM crm.client c JOIN psa.project p ON p.client_id = c.id
         JOIN erp.revenue_entry r ON r.project_id = p.id
        GROUP BY c.id, c.name ORDER BY count(*) DESC, c.id LIMIT 1`,
    );
    // finance reads margin on Client 360, a consultant asks for the same and is denied it: both become access events
    for (const [role, sub] of [
      ['finance', 'fin-audit'],
      ['consultant', 'con-audit'],
    ]) {
      const { page } = await newPage(browser);
      await signIn(page, consoleUrl, role, sub);
      await page.goto(`${consoleUrl}/clients/${client.id}`);
      await page.getByRole('table', { name: 'projects' }).waitFor();
      await page.context().close();
    }
    // the gateway ships access events every second
    const deadline = Date.now() + 20_000;
    for (;;) {
      const [{ reads, denied }] = await sql<{ reads: number; denied: number }>(
        stack.database.url,
        `SELECT count(*) FILTER (WHERE action = 'read' AND actor ->> 'sub' = 'fin-audit')::int AS reads,
                count(*) FILTER (WHERE action = 'denied' AND actor ->> 'sub' = 'con-audit')::int AS denied
           FROM governance.audit_event WHERE after -> 'coordinates' ?| ARRAY['Project.margin', 'Client.margin']`,
      );
      if (reads > 0 && denied > 0) {
        break;
      }
      if (Date.now() > deadline) {
        throw new Error(`the margin access events did not reach the ledger (reads ${reads}, denied ${denied})`);
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function auditor(): Promise<{ page: Page; pageErrors: string[] }> {
    const session = await newPage(browser);
    await signIn(session.page, consoleUrl, 'auditor', 'aud-console');
    return session;
  }

  it('should ask for a time range before searching, and search with qualifiers into chips and rows', async () => {
    const { page, pageErrors } = await auditor();
    await page.getByRole('link', { name: 'Audit ledger' }).click();
    await page.getByText('Choose a time range').waitFor();
    await screenshot(page, 'audit-ledger-no-range');

    await page.goto(`${consoleUrl}/audit?from=${from}&to=${to}`);
    await page.getByLabel('Ledger query').fill('field:margin role:consultant outcome:denied');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('table', { name: 'ledger entries' }).waitFor();
    expect(new URL(page.url()).searchParams.get('q')).toBe('field:margin role:consultant outcome:denied');
    const chips = (await page.locator('.chip').allInnerTexts()).map((chip) => chip.replace(/[\s×]+/g, ' ').trim());
    expect(chips).toEqual(['field margin', 'role consultant', 'outcome denied']);
    const rows = page.getByRole('table', { name: 'ledger entries' }).locator('tbody tr');
    expect(await rows.count()).toBeGreaterThan(0);
    expect(await page.getByRole('table', { name: 'ledger entries' }).innerText()).toContain('con-audit');
    expect(await page.getByRole('table', { name: 'ledger entries' }).innerText()).not.toContain('fin-audit');
    await screenshot(page, 'audit-ledger-search');

    // removing a chip rewrites the query: the finance reads show up
    await page.getByRole('button', { name: 'remove outcome' }).click();
    await page.getByRole('button', { name: 'remove role' }).click();
    await page.getByRole('table', { name: 'ledger entries' }).getByText('fin-audit').first().waitFor();
    expect(new URL(page.url()).searchParams.get('q')).toBe('field:margin');
    expect(pageErrors).toEqual([]);
  });

  it('should open an entry before/after and compare two side by side', async () => {
    const { page, pageErrors } = await auditor();
    await page.goto(`${consoleUrl}/audit?from=${from}&to=${to}&q=${encodeURIComponent('field:margin')}`);
    const table = page.getByRole('table', { name: 'ledger entries' });
    await table.waitFor();
    const first = table.locator('tbody tr').first();
    await first.getByRole('button', { name: /^changes at position/ }).click();
    const diff = page.getByRole('table', { name: /^changes of / });
    await diff.waitFor();
    expect(await diff.innerText()).toContain('coordinates');
    await screenshot(page, 'audit-entry-diff');

    await page
      .getByRole('checkbox', { name: /^compare position/ })
      .nth(0)
      .check();
    await page
      .getByRole('checkbox', { name: /^compare position/ })
      .nth(1)
      .check();
    const compare = page.getByRole('region', { name: 'compare two entries' });
    await compare.waitFor();
    expect(await compare.getByRole('row', { name: /^Position/ }).getAttribute('class')).toBe('diff-changed');
    await screenshot(page, 'audit-compare');
    expect(pageErrors).toEqual([]);
  });

  it('should export exactly the filtered rows as NDJSON, recorded in the ledger, which the offline verifier accepts and a tampered copy fails', async () => {
    const { page, pageErrors } = await auditor();
    const query = 'field:margin';
    await page.goto(`${consoleUrl}/audit?from=${from}&to=${to}&q=${encodeURIComponent(query)}`);
    await page.getByRole('table', { name: 'ledger entries' }).waitFor();
    const shown = await page.getByRole('table', { name: 'ledger entries' }).locator('tbody tr').count();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export NDJSON' }).click()]);
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, 'audit-export.ndjson');
    await download.saveAs(file);
    await page.getByText(/rows exported as audit-export-.*\.ndjson · chain head #\d+/).waitFor();
    await screenshot(page, 'audit-export');

    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    const header = JSON.parse(lines[0]!);
    const entries = lines.slice(1, -1).map((line) => JSON.parse(line));
    expect(header).toMatchObject({ '@concord': 'audit-export', exportedBy: { sub: 'aud-console' }, filter: { field: 'margin' } });
    // the same rows as the screen (fewer than a page: all of them are shown)
    expect(shown).toBeLessThan(50);
    expect(entries).toHaveLength(shown);
    expect(entries.every((entry) => BigInt(entry.position) <= BigInt(header.head.position))).toBe(true);
    const [recorded] = await sql<{ actor: { sub: string }; after: { rows: number; filter: Record<string, string> } }>(
      stack.database.url,
      `SELECT actor, after FROM governance.audit_event WHERE action = 'audit.export' AND entity_id = $1`,
      [header.exportId],
    );
    expect(recorded).toMatchObject({ actor: { sub: 'aud-console' }, after: { rows: shown, filter: { field: 'margin' } } });

    const keyFile = join(ARTIFACTS, 'audit-public-key.pem');
    writeFileSync(keyFile, await (await fetch(`${stack.governance!.origin}/audit/public-key`)).text());
    const intact = await verifyFile(['--file', file, '--public-key', keyFile]);
    expect(intact).toMatchObject({ code: 0 });
    expect(intact.stdout).toContain(`export intact: ${shown} entries recomputed`);
    expect(intact.stdout).toContain('signature valid');

    const tampered = join(ARTIFACTS, 'audit-export-tampered.ndjson');
    writeFileSync(
      tampered,
      [lines[0], lines[1]!.replace('"con-audit"', '"someone-else"').replace('"fin-audit"', '"someone-else"'), ...lines.slice(2), ''].join(
        '\n',
      ),
    );
    const broken = await verifyFile(['--file', tampered, '--public-key', keyFile]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('export BROKEN at line 2');
    expect(pageErrors).toEqual([]);
  });

  it('should check the integrity of the range and report who accessed margin by role, client and period', async () => {
    const { page, pageErrors } = await auditor();
    await page.goto(`${consoleUrl}/audit?from=${from}&to=${to}`);
    await page.getByRole('button', { name: 'Check integrity of this range' }).click();
    await page.getByRole('status').filter({ hasText: 'INTACT' }).waitFor();
    expect(await page.getByRole('status').filter({ hasText: 'INTACT' }).innerText()).toMatch(/\d+ entries recomputed, positions 1–\d+/);
    await screenshot(page, 'audit-integrity');

    await page.getByRole('link', { name: 'Margin access' }).click();
    await page.getByText('Choose a time range').waitFor();
    await page.goto(`${consoleUrl}/audit/margin-access?from=${from}&to=${to}&period=DAY`);
    const report = page.getByRole('table', { name: 'margin access' });
    await report.waitFor();
    const text = await report.innerText();
    expect(text).toContain('fin-audit');
    expect(text).toContain('con-audit');
    expect(text).toMatch(/consultant/i);
    // the cards count every group of the range; here one page holds them all
    const rows = await report.locator('tbody tr').count();
    expect(await page.locator('.card', { hasText: 'Groups' }).locator('.card-value').innerText()).toBe(String(rows));
    expect(await page.getByText(`${rows} of ${rows} group`).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
    await screenshot(page, 'audit-margin-access');
    expect(pageErrors).toEqual([]);
  });

  it('should not show the auditors area to finance, and the API refuses it', async () => {
    const { page } = await newPage(browser);
    await signIn(page, consoleUrl, 'finance', 'fin-nosy');
    expect(await page.getByRole('link', { name: 'Audit ledger' }).count()).toBe(0);
    await page.goto(`${consoleUrl}/audit?from=${from}&to=${to}`);
    await page.getByText('This did not load').waitFor();
    expect(await page.getByRole('alert').innerText()).toContain('FORBIDDEN');
    await screenshot(page, 'audit-ledger-finance-refused');
  });
});
