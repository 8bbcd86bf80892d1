import type { Browser, Page } from 'playwright-core';
import { newId } from '@concord/common';
import { seedDatabase } from '@concord/seed';
import { launchBrowser, newPage, screenshot, signIn } from './support/browser';
import { sql } from './support/database';
import { FakeOidcProvider } from './support/fake-oidc';
import { startStack, type Stack } from './support/stack';

jest.setTimeout(180_000);

/**
 * The console in a real browser (Debian's chromium through playwright-core) against the real stack: governance
 * serves it at /console, dev sign-in mints the test identity's tokens, and every screen reads the gateway with the
 * signed-in user's token, so the policies are the gateway's. Screenshots of each screen go to test-artifacts/console.
 */
describe('console in a browser', () => {
  let stack: Stack;
  let browser: Browser;
  let consoleUrl: string;
  let client: { id: string; name: string };
  const identityProvider = new FakeOidcProvider('concord-console', { sub: 'oidc-auditor', roles: ['auditor'] });

  beforeAll(async () => {
    await identityProvider.start();
    stack = await startStack({
      governance: true,
      console: true,
      governanceEnv: { CONSOLE_OIDC_ISSUER: identityProvider.url, CONSOLE_OIDC_CLIENT_ID: 'concord-console' },
      beforeGateway: (databaseUrl) => seedDatabase({ databaseUrl, scale: 0.1, seed: 11 }).then(() => undefined),
    });
    consoleUrl = `${stack.governance!.origin}/console`;
    browser = await launchBrowser();
    // the client with the most recognised revenue on its projects: margin figures to show, or to withhold
    [client] = await sql<{ id: string; name: string }>(
      stack.database.url,
      `SELECT c.id::text, c.name FROM crm.client c JOIN psa.project p ON p.client_id = c.id
         JOIN erp.revenue_entry r ON r.project_id = p.id
        GROUP BY c.id, c.name ORDER BY count(*) DESC, c.id LIMIT 1`,
    );
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await identityProvider.stop();
  });

  async function client360(page: Page): Promise<void> {
    await page.goto(`${consoleUrl}/clients/${client.id}`);
    await page.getByRole('heading', { name: client.name }).waitFor();
    await page.getByRole('table', { name: 'projects' }).waitFor();
  }

  it("should show finance the client's margin, and a consultant the same Client 360 with every margin withheld", async () => {
    const finance = await newPage(browser);
    await signIn(finance.page, consoleUrl, 'finance', 'fin-console');
    await client360(finance.page);
    await screenshot(finance.page, 'client-360-finance');
    const financeMargins = await finance.page.getByTestId('project-margin').allInnerTexts();
    const financeClientMargin = await finance.page.getByTestId('client-margin').innerText();

    const consultant = await newPage(browser);
    await signIn(consultant.page, consoleUrl, 'consultant', 'con-console');
    await client360(consultant.page);
    await screenshot(consultant.page, 'client-360-consultant');
    const consultantMargins = await consultant.page.getByTestId('project-margin').allInnerTexts();
    const consultantClientMargin = await consultant.page.getByTestId('client-margin').innerText();

    expect(financeMargins.length).toBeGreaterThan(0);
    // finance sees amounts in the project's currency, never "withheld"
    expect(financeMargins.some((text) => /\d[\d,]*\.\d{2} [A-Z]{3}/.test(text))).toBe(true);
    expect(financeMargins.every((text) => !text.includes('withheld'))).toBe(true);
    expect(financeClientMargin).toMatch(/^-?\d+\.\d{2} %$|^—$/);
    // the consultant gets the same rows, and no margin figure anywhere on them
    expect(consultantMargins).toHaveLength(financeMargins.length);
    expect(consultantMargins.every((text) => text === 'withheld')).toBe(true);
    expect(consultantClientMargin).toBe('withheld');
    expect(await consultant.page.locator('body').innerText()).not.toContain(financeMargins.find((text) => /\d/.test(text))!.split(' ')[0]);
    expect([...finance.pageErrors, ...consultant.pageErrors]).toEqual([]);
    // the app and its data come from governance and the gateway alone
    expect([...new Set([...finance.origins, ...consultant.origins])].sort()).toEqual(
      [stack.governance!.origin, new URL(stack.gateway.url).origin].sort(),
    );
  });

  it("should chart the portfolio's twelve months and each legal entity's margin for finance, and withhold the money from a consultant", async () => {
    const finance = await newPage(browser);
    await signIn(finance.page, consoleUrl, 'finance', 'fin-portfolio');
    await finance.page.goto(`${consoleUrl}/portfolio`);
    await finance.page.getByRole('table', { name: 'legal entities' }).waitFor();
    await finance.page.locator('.chart canvas').first().waitFor();
    await screenshot(finance.page, 'portfolio-finance');
    const charts = await finance.page.locator('.chart-title').allInnerTexts();
    const financeMargins = await finance.page.getByTestId('entity-margin').allInnerTexts();

    const consultant = await newPage(browser);
    await signIn(consultant.page, consoleUrl, 'consultant', 'con-portfolio');
    await consultant.page.goto(`${consoleUrl}/portfolio`);
    await consultant.page.getByRole('table', { name: 'legal entities' }).waitFor();
    await screenshot(consultant.page, 'portfolio-consultant');
    const consultantMargins = await consultant.page.getByTestId('entity-margin').allInnerTexts();

    expect(charts).toEqual(['Utilization', 'Revenue recognised and backlog', 'Days sales outstanding', 'Forecast against actual revenue']);
    expect(financeMargins.length).toBeGreaterThan(0);
    expect(financeMargins.some((text) => /\d[\d,]*\.\d{2}/.test(text))).toBe(true);
    expect(consultantMargins).toEqual(financeMargins.map(() => 'withheld'));
    await consultant.page.getByText('withheld for your role').waitFor();
    expect([...finance.pageErrors, ...consultant.pageErrors]).toEqual([]);
  });

  it('should keep list filters in the URL, so a filtered list survives a reload, and open a client from Ctrl+K search', async () => {
    const { page, pageErrors } = await newPage(browser);
    await signIn(page, consoleUrl, 'executive', 'exec-console');
    await page.goto(`${consoleUrl}/clients`);
    await page.getByRole('table', { name: 'clients' }).waitFor();
    await screenshot(page, 'clients');
    const term = client.name.split(' ')[0];

    await page.getByLabel('Client name contains').fill(term);
    await page.waitForURL((url) => url.searchParams.get('q') === term);
    await page.reload();
    await page.getByRole('table', { name: 'clients' }).waitFor();
    const names = await page.locator('table[aria-label=clients] tbody tr td:first-child').allInnerTexts();

    await page.keyboard.press('Control+k');
    await page.getByRole('textbox', { name: 'Search' }).fill(client.name);
    await page
      .getByRole('option', { name: new RegExp(client.name) })
      .first()
      .waitFor();
    await screenshot(page, 'search');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: client.name }).waitFor();

    expect(names.length).toBeGreaterThan(0);
    expect(names.every((name) => name.toLowerCase().includes(term.toLowerCase()))).toBe(true);
    expect(page.url()).toBe(`${consoleUrl}/clients/${client.id}`);
    expect(pageErrors).toEqual([]);
  });

  it('should send a signed-out deep link to sign-in, and show a steward the exception queue to replay a run with a reason', async () => {
    const runId = newId();
    await sql(
      stack.database.url,
      `INSERT INTO governance.workflow_run (id, kind, business_key, correlation_id, payload, status, attempts, last_error)
       VALUES ($1::uuid, 'RENEWAL', $2, $1::text, '{"contractId": "c-1", "threshold": "80"}', 'EXCEPTION', 8,
               '{"code": "SERVICE_UNAVAILABLE", "message": "crm did not answer", "permanent": false, "step": "renewal-opportunity", "reasons": [], "details": null}')`,
      [runId, `c-1:80:${runId.slice(-6)}`],
    );
    const { page, pageErrors } = await newPage(browser);

    await page.goto(`${consoleUrl}/workflows?tab=open`);
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    await screenshot(page, 'sign-in');
    await signIn(page, consoleUrl, 'data_steward', 'steward-console', { here: true });
    // back to the page asked for
    await page.waitForURL(`${consoleUrl}/workflows?tab=open`);
    await page.getByLabel('Kind').selectOption('RENEWAL');
    await page.waitForURL(`${consoleUrl}/workflows?tab=open&kind=RENEWAL`);
    const row = page.getByRole('row', { name: /crm did not answer/ });
    await row.waitFor();
    await screenshot(page, 'workflow-runs-open');
    await row.getByRole('button', { name: 'Replay' }).click();
    await page.getByLabel('Reason').fill('crm is back up');
    await screenshot(page, 'workflow-replay-dialog');
    await page.getByRole('dialog').getByRole('button', { name: 'Replay' }).click();
    await page.getByText('The exception queue is empty').waitFor();

    const [run] = await sql<{ status: string }>(stack.database.url, `SELECT status FROM governance.workflow_run WHERE id = $1`, [runId]);
    const ledger = await sql<{ actor: { sub: string }; reason: string }>(
      stack.database.url,
      `SELECT actor, reason FROM governance.audit_event WHERE action = 'workflow.replay' AND entity_id = $1`,
      [runId],
    );
    // a steward's search also finds ownership rules and fields, and opens the matrix on them
    await page.keyboard.press('Control+k');
    await page.getByRole('textbox', { name: 'Search' }).fill('legalentity.cost');
    await page.getByRole('option', { name: /LegalEntity\.costToDate → psa/ }).waitFor();
    await page.keyboard.press('Enter');
    await page.waitForURL(`${consoleUrl}/stewards/ownership?entity=LegalEntity&field=costToDate`);

    expect(run.status).toBe('PENDING');
    expect(ledger).toEqual([
      expect.objectContaining({ actor: expect.objectContaining({ sub: 'steward-console' }), reason: 'crm is back up' }),
    ]);
    expect(pageErrors).toEqual([]);
  });

  it('should sign in through the identity provider (code flow with PKCE) and come back to the page asked for', async () => {
    const { page, pageErrors } = await newPage(browser);

    await page.goto(`${consoleUrl}/workflows?tab=resolved`);
    const button = page.getByRole('button', { name: `Sign in with ${new URL(identityProvider.url).host}` });
    await button.click();
    await page.waitForURL(`${consoleUrl}/workflows?tab=resolved`);
    await page.getByRole('heading', { name: 'Workflow runs' }).waitFor();

    const [tokenRequest] = identityProvider.tokenRequests;
    expect(await page.locator('.whoami').innerText()).toContain('oidc-auditor');
    expect(tokenRequest.get('grant_type')).toBe('authorization_code');
    expect(tokenRequest.get('redirect_uri')).toBe(`${consoleUrl}/oidc-callback`);
    expect(tokenRequest.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    // an auditor reads the runs through the gateway with the provider's token: the tab renders, no error state
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
