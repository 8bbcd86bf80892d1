import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { postGraphQL } from '@concord/testing';
import { launchBrowser, newPage, screenshot, signIn } from './support/browser';
import { bearerFor, startStack, type Stack } from './support/stack';

jest.setTimeout(300_000);

const OPERATOR = { sub: 'op-console', roles: ['operator'] };
const CLIENTS = 'query ClientIndustries { clients(first: 1) { edges { node { id name industry } } } }';
const WEB = { 'apollographql-client-name': 'web', 'apollographql-client-version': '2.1.0' };
const CRM_SDL = readFileSync(join(__dirname, '..', '..', 'subgraphs', 'crm', 'schema.graphql'), 'utf8');
const OPEN_INCIDENTS = `{ incidents(status: OPEN, first: 50) { edges { node { id status severity slo { id name } } } } }`;

/**
 * The operators' console against the real stack: the gateway ships its SLA samples to governance, whose SLA jobs run
 * (GOVERNANCE_JOBS=on: the evaluation every minute, 15 s in) with a minimum of one event per window, so a few failed
 * fetches page. CRM is stopped; the next evaluation opens the crm-availability incident, and the operator sees it in
 * the console with its timeline, the SLO's burn against its thresholds, and CRM's errors by code.
 */
describe('console for operators in a browser', () => {
  let stack: Stack;
  let browser: Browser;
  let consoleUrl: string;
  let incident: { id: string; severity: string; slo: { id: string; name: string } };

  beforeAll(async () => {
    stack = await startStack({
      governance: true,
      console: true,
      slaReporting: { reportMs: 1_000 },
      governanceEnv: { GOVERNANCE_JOBS: 'on', SLA_MIN_EVENTS: '1' },
      publishSchemas: true,
    });
    consoleUrl = `${stack.governance!.origin}/console`;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('should show an operator the incident that opens after CRM is made to fail, with its timeline', async () => {
    // Arrange: healthy traffic, then CRM stopped and every fetch to it failing
    for (let request = 0; request < 5; request += 1) {
      const healthy = await postGraphQL(stack.gateway.url, CLIENTS, {}, { ...stack.auth, ...WEB });
      expect(healthy.errors).toBeUndefined();
    }
    await stack.subgraphs.crm.stop();
    for (let request = 0; request < 20; request += 1) {
      const failed = await postGraphQL(stack.gateway.url, CLIENTS, {}, { ...stack.auth, ...WEB });
      expect(failed.errors?.[0].extensions?.code).toBe('SERVICE_UNAVAILABLE');
    }
    await stack.sla.flush();

    // Act: the evaluation after the failing minute has ended opens the incident (at most about 75 s)
    const operatorAuth = await bearerFor(OPERATOR);
    const deadline = Date.now() + 150_000;
    while (!incident && Date.now() < deadline) {
      const { data } = await postGraphQL(stack.gateway.url, OPEN_INCIDENTS, {}, operatorAuth);
      incident = data?.incidents.edges.map((edge: any) => edge.node).find((node: any) => node.slo.name === 'crm-availability');
      if (!incident) {
        await stack.sla.flush();
        await new Promise((resolve) => setTimeout(resolve, 3_000));
      }
    }
    expect(incident).toMatchObject({ severity: 'PAGE', slo: { name: 'crm-availability' } });

    // Assert: the operator sees it open in the console, its timeline starting with the alert
    const { page, pageErrors } = await newPage(browser);
    await signIn(page, consoleUrl, 'operator', OPERATOR.sub);
    await page.getByRole('link', { name: 'Incidents' }).click();
    const card = page.getByRole('article', { name: 'incident crm-availability' });
    await card.waitFor();
    expect(await card.innerText()).toMatch(/OPEN[\s\S]*PAGE[\s\S]*crm-availability/);
    const timeline = card.getByRole('list', { name: 'timeline' });
    expect(await timeline.getByText(/crm-availability: burn/).count()).toBe(1);
    // the schemas the services published at start, within the hour before the incident, are on its timeline too
    expect(await timeline.innerText()).toMatch(/schema published[\s\S]*SubgraphSchema governance@1/i);
    // who published is the ledger actor, personal data an operator may not see: withheld, not blank
    expect(
      await timeline
        .locator('li', { hasText: /schema published/i })
        .first()
        .innerText(),
    ).toMatch(/withheld$/);
    const alert = timeline.locator('li', { hasText: /alert opened/i });
    expect(await alert.innerText()).toMatch(/sla-evaluator/);

    // an operator's note joins the timeline
    await card.getByLabel('Add a note').fill('crm stopped on purpose by the journey');
    await card.getByRole('button', { name: 'Add note' }).click();
    await card.getByText('crm stopped on purpose by the journey').waitFor();
    await screenshot(page, 'ops-incidents');

    await page.getByRole('link', { name: 'Service levels' }).click();
    const tile = page.getByRole('link', { name: /crm-availability/ });
    await tile.waitFor();
    expect(await tile.getAttribute('class')).toContain('slo-red');
    // psa's latency SLO: psa had no traffic, so no data and a grey tile
    expect(await page.getByRole('link', { name: /psa-latency/ }).getAttribute('class')).toContain('slo-grey');
    await screenshot(page, 'ops-slo-grid');

    await tile.click();
    await page.getByRole('heading', { name: 'crm-availability' }).waitFor();
    expect(await page.locator('.explanation').innerText()).toMatch(/^Paging: burn .* over 1 h and .* over 5 min \(page above 14\.4×\)/);
    const chart = page.getByRole('img', { name: 'Burn rate of each window pair against its threshold' });
    await chart.waitFor();
    expect(await page.getByTestId('pair-0').getAttribute('class')).toContain('firing');
    await screenshot(page, 'ops-slo-detail');

    await page.getByRole('link', { name: 'Latency and errors' }).click();
    const crmRow = page.getByRole('row', { name: /^crm/ });
    await crmRow.waitFor();
    expect(await crmRow.innerText()).toMatch(/HTTP_5XX|NETWORK|TIMEOUT/);
    await screenshot(page, 'ops-health');
    expect(pageErrors).toEqual([]);
  });

  it('should show a data steward the schema history with a diff, the checks with who they break, field usage and deprecated fields in use', async () => {
    // Arrange: web's use of Client.industry reaches the registry; crm publishes it @deprecated (version 2), and CI
    // checks removing it, which would break web
    await stack.usage!.flush();
    const registry = async (path: string, body: unknown) => {
      const response = await fetch(`${stack.governance!.origin}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${stack.governanceToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, any> };
    };
    const deprecated = CRM_SDL.replace('  industry: String\n', '  industry: String @deprecated(reason: "use sector tags")\n');
    expect(deprecated).not.toBe(CRM_SDL);
    // the served crm schema first (a no-op when crm published it at start)
    const base = await registry('/registry/publish', { subgraph: 'crm', sdl: CRM_SDL, author: 'ci-crm' });
    expect(base.body.status).toBe('PUBLISHED');
    const published = await registry('/registry/publish', { subgraph: 'crm', sdl: deprecated, author: 'ci-crm' });
    expect(published.body).toMatchObject({ status: 'PUBLISHED', version: base.body.version + 1 });
    const checked = await registry('/registry/check', { subgraph: 'crm', sdl: CRM_SDL.replace('  industry: String\n', '') });
    expect(checked.body.ok).toBe(false);
    // removing a field that was never @deprecated is rejected: a steward will approve it
    const removal = await registry('/registry/publish', {
      subgraph: 'crm',
      sdl: deprecated.replace('  employees: Int\n', ''),
      author: 'ci-crm',
    });
    expect(removal.status).toBe(409);
    const rejectedVersion = published.body.version + 1;

    const { page, pageErrors } = await newPage(browser);
    await signIn(page, consoleUrl, 'data_steward', 'steward-console');

    // Act + Assert: history and diff
    await page.getByRole('link', { name: 'Schema history' }).click();
    await page.getByRole('link', { name: 'crm', exact: true }).click();
    await page.getByRole('table', { name: 'versions' }).waitFor();
    // the two versions to compare go in the URL
    await page.getByLabel(`compare to version ${published.body.version}`).check();
    await page.getByLabel(`compare from version ${base.body.version}`).check();
    await page.waitForURL(
      new RegExp(`from=${base.body.version}&to=${published.body.version}|to=${published.body.version}&from=${base.body.version}`),
    );
    const diff = page.getByLabel('SDL diff');
    await diff.waitFor();
    expect(await page.getByRole('heading', { name: `Version ${base.body.version} → ${published.body.version}` }).count()).toBe(1);
    expect(await diff.locator('.diff-added').first().innerText()).toContain('industry: String @deprecated(reason: "use sector tags")');
    expect(await diff.locator('.diff-removed').first().innerText()).toContain('industry: String');
    await screenshot(page, 'api-schema-history');
    // by author: the filter goes in the URL and keeps only that author's versions
    await page.getByLabel('Author').selectOption('ci-crm');
    await page.waitForURL(/author=ci-crm/);
    // ci-crm's versions: the deprecation and the rejected removal, and the base when crm had not published at start
    const versions = (await (
      await fetch(`${stack.governance!.origin}/registry/subgraphs/crm/versions`, {
        headers: { authorization: `Bearer ${stack.governanceToken}` },
      })
    ).json()) as { author: string }[];
    const byCi = versions.filter((version) => version.author === 'ci-crm').length;
    const rows = page.getByRole('table', { name: 'versions' }).locator('tbody tr td:nth-child(6)');
    for (let wait = 0; wait < 50 && (await rows.count()) !== byCi; wait++) {
      await page.waitForTimeout(100);
    }
    const authors = await rows.allInnerTexts();
    expect(byCi).toBeGreaterThanOrEqual(2);
    expect(new Set(authors)).toEqual(new Set(['ci-crm']));

    // checks: the dry-run names the client version and the operation it would break
    await page.getByRole('link', { name: 'Schema checks' }).click();
    const dryRun = page.getByRole('article', { name: 'check crm dry-run' });
    await dryRun.waitFor();
    expect(await dryRun.innerText()).toMatch(/FAILED[\s\S]*Affects web@2\.1\.0[\s\S]*ClientIndustries/);
    await screenshot(page, 'api-schema-checks');

    // the steward approves the rejected removal with a reason; the approvals page lists it
    const rejected = page.getByRole('article', { name: `check crm ${rejectedVersion}` });
    expect(await rejected.innerText()).toMatch(/FAILED[\s\S]*employees/);
    await rejected.getByRole('button', { name: 'Approve…' }).click();
    await page.getByLabel('Reason').fill('employees moved to the HR system');
    await page.getByRole('button', { name: 'Approve', exact: true }).click();
    await rejected.getByText('APPROVED').waitFor();
    await page.getByRole('link', { name: 'Schema approvals' }).click();
    const approval = page.getByRole('row', { name: new RegExp(`crm@${rejectedVersion}`) });
    await approval.waitFor();
    expect(await approval.innerText()).toMatch(/ci-crm[\s\S]*steward-console[\s\S]*employees moved to the HR system/);
    await screenshot(page, 'api-schema-approvals');

    // checks are a cursor-paginated list with no cap: after 25 more dry-runs the rejected version is on the second page
    for (let index = 0; index < 25; index++) {
      expect((await registry('/registry/check', { subgraph: 'crm', sdl: deprecated })).body.ok).toBe(true);
    }
    // a fresh load: the list read before is still in the console's cache
    await page.goto(`${consoleUrl}/api/checks`);
    await page.getByText(/^25 checks, more to load$/).waitFor();
    expect(await page.getByRole('article', { name: `check crm ${rejectedVersion}` }).count()).toBe(0);
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.getByRole('article', { name: `check crm ${rejectedVersion}` }).waitFor();
    expect(await page.getByRole('article', { name: `check crm ${rejectedVersion}` }).innerText()).toMatch(/APPROVED/);

    // usage: Client.industry by client version over time
    await page.getByRole('link', { name: 'Field usage' }).click();
    await page.getByRole('link', { name: 'Client.industry' }).click();
    const trend = page.getByRole('table', { name: 'use of Client.industry by client version' });
    await trend.waitFor();
    expect(await trend.innerText()).toContain('web@2.1.0');
    await screenshot(page, 'api-field-usage');

    // deprecated readiness: industry is still in use by web
    await page.getByRole('link', { name: 'Deprecated fields' }).click();
    const row = page.getByRole('row', { name: /Client\.industry/ });
    await row.waitFor();
    expect(await row.innerText()).toMatch(/IN USE[\s\S]*web@2\.1\.0/);
    await screenshot(page, 'api-deprecated-fields');
    expect(pageErrors).toEqual([]);
  });

  it('should not show a salesperson the operators’ screens, and refuse them the incidents if they go there', async () => {
    const { page, pageErrors } = await newPage(browser);
    await signIn(page, consoleUrl, 'sales', 'sales-console');

    expect(await page.getByRole('link', { name: 'Incidents' }).count()).toBe(0);
    await page.goto(`${consoleUrl}/ops/incidents`);
    const refused = page.getByRole('alert');
    await refused.waitFor();
    expect(await refused.innerText()).toMatch(/FORBIDDEN/);
    expect(await page.getByText('crm-availability').count()).toBe(0);
    await screenshot(page, 'ops-incidents-sales');
    expect(pageErrors).toEqual([]);
  });
});
