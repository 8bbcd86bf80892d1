import type { Browser } from 'playwright-core';
import { postGraphQL } from '@concord/testing';
import { launchBrowser, newPage, screenshot, signIn } from './support/browser';
import { bearerFor, startStack, type Stack } from './support/stack';

jest.setTimeout(300_000);

const OPERATOR = { sub: 'op-console', roles: ['operator'] };
const CLIENTS = '{ clients(first: 1) { edges { node { id name } } } }';
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
      const healthy = await postGraphQL(stack.gateway.url, CLIENTS, {}, stack.auth);
      expect(healthy.errors).toBeUndefined();
    }
    await stack.subgraphs.crm.stop();
    for (let request = 0; request < 20; request += 1) {
      const failed = await postGraphQL(stack.gateway.url, CLIENTS, {}, stack.auth);
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
    expect(await timeline.locator('li').first().innerText()).toMatch(/alert opened[\s\S]*sla-evaluator/i);

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
