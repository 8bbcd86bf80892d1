import type { Browser, Page } from 'playwright-core';
import { newId } from '@concord/common';
import { seedDatabase } from '@concord/seed';
import { postGraphQL } from '@concord/testing';
import { launchBrowser, newPage, screenshot, signIn } from './support/browser';
import { sql } from './support/database';
import { bearerFor, startStack, type Stack } from './support/stack';

jest.setTimeout(240_000);

const finance = { sub: 'fin-steward-e2e', roles: ['finance'] };
const auditor = { sub: 'aud-steward-e2e', roles: ['auditor'] };
const ann = { sub: 'steward-ann', roles: ['data_steward'] };

const UPDATE_CONTRACT = `mutation ($id: ID!, $pct: String!) { updateContract(id: $id, input: { renewalThresholdPct: $pct }) { id renewalThresholdPct } }`;

/** Polls `probe` every 250 ms until it answers something other than undefined (or gives up after `ms`). */
async function eventually<T>(probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error('gave up waiting');
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * The data stewards' console in a real browser against the real stack: an ownership change asked by one steward,
 * refused to them, approved by a second; the rule then refuses a write through the gateway and the ledger shows it.
 * Then the exception queue worked inline and a bulk replay through its review step. Screenshots in
 * test-artifacts/console (steward-*).
 */
describe('data stewards in the console', () => {
  let stack: Stack;
  let browser: Browser;
  let consoleUrl: string;
  let contractId: string;

  beforeAll(async () => {
    stack = await startStack({
      governance: true,
      console: true,
      beforeGateway: (databaseUrl) => seedDatabase({ databaseUrl, scale: 0.1, seed: 17 }).then(() => undefined),
    });
    consoleUrl = `${stack.governance!.origin}/console`;
    browser = await launchBrowser();
    [{ id: contractId }] = await sql<{ id: string }>(
      stack.database.url,
      `SELECT id::text FROM erp.contract WHERE status IN ('DRAFT', 'ACTIVE') ORDER BY id LIMIT 1`,
    );
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const gql = async (caller: { sub: string; roles: string[] }, query: string, variables?: Record<string, unknown>) =>
    postGraphQL(stack.gateway.url, query, variables, await bearerFor(caller));

  async function pendingCard(page: Page) {
    await page.goto(`${consoleUrl}/stewards/changes?status=PENDING`);
    const card = page.getByRole('listitem', { name: 'change Contract.renewalThresholdPct' });
    await card.waitFor();
    await card.getByLabel(/^impact of /).waitFor();
    return card;
  }

  it('should let steward A request an ownership change that only steward B can approve, after which a write breaking it is refused and audited', async () => {
    // a write ERP may make today: it is also what the impact preview will count
    const before = await gql(finance, UPDATE_CONTRACT, { id: contractId, pct: '81.5' });
    expect(before.errors).toBeUndefined();
    const contractEvents = () =>
      sql(
        stack.database.url,
        `SELECT action, service, changed_fields FROM governance.audit_event WHERE entity = 'Contract' AND entity_id = $1`,
        [contractId],
      );
    await eventually(async () => {
      const rows = await sql(
        stack.database.url,
        `SELECT 1 FROM governance.audit_event WHERE entity = 'Contract' AND entity_id = $1 AND action = 'update' AND 'renewalThresholdPct' = ANY(changed_fields)`,
        [contractId],
      );
      return rows.length ? true : undefined;
    }).catch(async (error: Error) => {
      throw new Error(`${error.message}: the ledger holds ${JSON.stringify(await contractEvents())} of contract ${contractId}`);
    });

    // steward A asks, from the ownership matrix
    const a = await newPage(browser);
    await signIn(a.page, consoleUrl, 'data_steward', ann.sub);
    await a.page.goto(`${consoleUrl}/stewards/ownership?entity=Contract`);
    await a.page.getByRole('table', { name: 'ownership matrix' }).waitFor();
    await screenshot(a.page, 'steward-ownership-matrix');
    await a.page.getByRole('button', { name: 'Request a change' }).click();
    const dialog = a.page.getByRole('dialog');
    await dialog.getByLabel('Entity').selectOption('Contract');
    await dialog.getByLabel('Field').fill('renewalThresholdPct');
    await dialog.getByLabel('New owner').selectOption('crm');
    await dialog.getByLabel('Reason').fill('sales owns the renewal threshold it negotiates');
    const proposalImpact = await dialog.getByLabel('proposal impact').innerText();
    await screenshot(a.page, 'steward-request-dialog');
    await dialog.getByRole('button', { name: 'Request change' }).click();
    await a.page.waitForURL(`${consoleUrl}/stewards/changes?status=PENDING`);
    const ownCard = await pendingCard(a.page);
    await screenshot(a.page, 'steward-change-own-request');
    const ownApprove = ownCard.getByRole('button', { name: 'Approve' });
    const ownNote = await ownCard.getByRole('note').innerText();
    const impactText = await ownCard.getByLabel(/^impact of /).innerText();
    const [change] = await sql<{ id: string }>(
      stack.database.url,
      `SELECT id::text FROM governance.ownership_change WHERE status = 'PENDING' AND entity = 'Contract' AND field = 'renewalThresholdPct'`,
    );
    // the API refuses it too, whatever the screen shows
    const selfApproval = await gql(ann, `mutation ($id: ID!) { approveOwnershipChange(id: $id) { id } }`, { id: change.id });

    expect(proposalImpact).toMatch(/^Impact: 1 of \d+ Contract writes in the last 30 days would have been refused/);
    expect(await ownApprove.isDisabled()).toBe(true);
    expect(ownNote).toContain('may not approve their own ownership change');
    expect(impactText).toMatch(/^[1-9]\d* of \d+ Contract writes in the last 30 days would have been refused/);
    expect(impactText).toContain('renewalThresholdPct');
    expect(selfApproval.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'SELF_APPROVAL' });

    // steward B approves
    const b = await newPage(browser);
    await signIn(b.page, consoleUrl, 'data_steward', 'steward-bob');
    const card = await pendingCard(b.page);
    expect(await card.getByRole('button', { name: 'Approve' }).isDisabled()).toBe(false);
    await screenshot(b.page, 'steward-change-second-steward');
    await card.getByRole('button', { name: 'Approve' }).click();
    await b.page.getByText('Nothing waits for approval').waitFor();
    await b.page.goto(`${consoleUrl}/stewards/ownership?entity=Contract&field=renewal`);
    const row = b.page.getByRole('row', { name: /renewalThresholdPct/ });
    await row.waitFor();
    await screenshot(b.page, 'steward-ownership-matrix-after');
    const rowText = await row.innerText();
    expect(rowText).toContain('CRM');
    expect(rowText).toContain('steward-ann');
    expect(rowText).toContain('approved by steward-bob');

    // ERP may no longer write the field: refused through the gateway once the services load the new bundle
    // (a new value each attempt: a write that changes nothing is no write, and checks no ownership)
    let attempt = 0;
    let refusedPct = '';
    const refused = await eventually(async () => {
      refusedPct = (85 + attempt++ / 100).toFixed(2);
      const result = await gql(finance, UPDATE_CONTRACT, { id: contractId, pct: refusedPct });
      return result.errors?.[0]?.extensions?.code === 'OWNERSHIP_VIOLATION' ? result : undefined;
    });
    expect(refused.errors![0].message).toContain('Contract.renewalThresholdPct');
    const [stored] = await sql<{ renewal_threshold_pct: string }>(
      stack.database.url,
      `SELECT renewal_threshold_pct::text FROM erp.contract WHERE id = $1`,
      [contractId],
    );
    expect(Number(stored.renewal_threshold_pct)).not.toBe(Number(refusedPct));

    // the refused write and the approved change, as an auditor reads the ledger through the gateway
    const ledger = `query ($filter: AuditEventFilter) { auditEvents(first: 20, filter: $filter) { edges { node { action service entity entityId reason actor { sub } after } } } }`;
    const denied = await eventually(async () => {
      const result = await gql(auditor, ledger, { filter: { action: 'denied', entity: 'Contract', entityId: contractId } });
      const nodes = result.data?.auditEvents.edges.map((edge: any) => edge.node) ?? [];
      return nodes.length ? nodes : undefined;
    });
    const approved = await gql(auditor, ledger, { filter: { action: 'ownership.change', entityId: 'Contract.renewalThresholdPct' } });
    expect(denied[0]).toMatchObject({ service: 'erp', actor: { sub: finance.sub } });
    expect(denied[0].reason).toContain('OWNERSHIP_VIOLATION');
    expect(approved.data!.auditEvents.edges[0].node).toMatchObject({
      actor: { sub: 'steward-bob' },
      after: expect.objectContaining({ owner: 'crm', requestedBy: ann.sub, approvedBy: 'steward-bob' }),
    });
    expect([...a.pageErrors, ...b.pageErrors]).toEqual([]);
  });

  it('should let a steward work exception cases inline, bulk replay parked runs after reviewing them, and replay one with a payload edit', async () => {
    const code = 'GATE_FAILED';
    const runIds = [newId(), newId()];
    for (const [index, runId] of runIds.entries()) {
      await sql(
        stack.database.url,
        `INSERT INTO governance.workflow_run (id, kind, business_key, correlation_id, payload, status, attempts, last_error, updated_at)
         VALUES ($1::uuid, 'OPPORTUNITY_TO_PROJECT', $2, $1::text, '{}', 'EXCEPTION', 1,
                 jsonb_build_object('code', $3::text, 'message', $4::text, 'permanent', true, 'step', 'check', 'reasons', '[]'::jsonb, 'details', null),
                 now() - make_interval(hours => $5))`,
        [runId, `opp-${runId.slice(-8)}`, code, index === 0 ? 'no accepted quote' : 'no legal entity in EUR', 3 + index * 30],
      );
      await sql(
        stack.database.url,
        `INSERT INTO governance.exception_case (id, run_id, opened_at) VALUES ($1::uuid, $2::uuid, now() - make_interval(hours => $3))`,
        [newId(), runId, 3 + index * 30],
      );
    }
    const { page, pageErrors } = await newPage(browser);
    await signIn(page, consoleUrl, 'data_steward', 'steward-cat');

    await page.goto(`${consoleUrl}/stewards/exceptions?kind=OPPORTUNITY_TO_PROJECT`);
    const row = page.getByRole('row', { name: /no accepted quote/ });
    await row.waitFor();
    await row.getByRole('button', { name: 'Acknowledge' }).click();
    await row.getByText('ACKNOWLEDGED').waitFor();
    await row.getByLabel(/^assignee of /).fill('steward-cat');
    await row.getByRole('button', { name: 'Assign' }).click();
    await row.getByText('ASSIGNED').waitFor();
    await screenshot(page, 'steward-exception-queue');
    const rowText = await row.innerText();

    await page.goto(`${consoleUrl}/workflows?tab=open&kind=OPPORTUNITY_TO_PROJECT`);
    await page.getByRole('button', { name: 'Bulk replay…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Error code').fill(code);
    await dialog.getByRole('button', { name: 'Review' }).click();
    await dialog.getByRole('table', { name: 'runs to replay' }).waitFor();
    const reviewText = await dialog.getByRole('status').innerText();
    // the reviewed selection is in the URL: reloading it (or sharing it) shows the same review, filters filled in
    await page.waitForURL(/bulk=review/);
    const reviewUrl = new URL(page.url());
    expect(reviewUrl.searchParams.get('bulkKind')).toBe('OPPORTUNITY_TO_PROJECT');
    expect(reviewUrl.searchParams.get('bulkErrorCode')).toBe(code);
    const reviewedRows = await dialog.getByRole('table', { name: 'runs to replay' }).locator('tbody tr').allInnerTexts();
    await page.reload();
    await dialog.getByRole('table', { name: 'runs to replay' }).waitFor();
    expect(await dialog.getByLabel('Error code').inputValue()).toBe(code);
    expect(await dialog.getByLabel('Bulk kind').inputValue()).toBe('OPPORTUNITY_TO_PROJECT');
    expect(await dialog.getByRole('status').innerText()).toBe(reviewText);
    expect(await dialog.getByRole('table', { name: 'runs to replay' }).locator('tbody tr').allInnerTexts()).toEqual(reviewedRows);
    await dialog.getByLabel('Bulk reason').fill('quotes and entities fixed upstream');
    await screenshot(page, 'steward-bulk-replay-review');
    await dialog.getByRole('button', { name: /^Replay \d+ runs$/ }).click();
    await dialog.getByText(/runs sent back to work/).waitFor();
    await screenshot(page, 'steward-bulk-replay-done');

    const runs = await sql<{ status: string }>(
      stack.database.url,
      `SELECT status FROM governance.workflow_run WHERE id = ANY($1::uuid[])`,
      [runIds],
    );
    const audits = await sql<{ reason: string; after: { bulkReplay: { id: string } } }>(
      stack.database.url,
      `SELECT reason, after FROM governance.audit_event WHERE action = 'workflow.replay' AND entity_id = ANY($1::text[])`,
      [runIds],
    );
    const caseEvents = await sql<{ actor: { sub: string }; after: { state: string } }>(
      stack.database.url,
      `SELECT e.actor, e.after FROM governance.audit_event e JOIN governance.exception_case c ON e.entity_id = c.id::text
        WHERE e.entity = 'ExceptionCase' AND c.run_id = $1 ORDER BY e.position`,
      [runIds[0]],
    );
    expect(rowText).toContain('GATE_FAILED');
    expect(rowText).toContain('3 h');
    expect(reviewText).toMatch(/^2 runs match/);
    expect(runs.map((run) => run.status)).toEqual(['PENDING', 'PENDING']);
    expect(audits).toHaveLength(2);
    expect(audits.every((audit) => audit.reason === 'quotes and entities fixed upstream')).toBe(true);
    expect(new Set(audits.map((audit) => audit.after.bulkReplay.id)).size).toBe(1);
    expect(caseEvents.map((event) => [event.actor.sub, event.after.state])).toEqual([
      ['steward-cat', 'ACKNOWLEDGED'],
      ['steward-cat', 'ASSIGNED'],
    ]);

    // a single replay with a payload edit: the ledger keeps the edit as a diff
    const fixRunId = newId();
    await sql(
      stack.database.url,
      `INSERT INTO governance.workflow_run (id, kind, business_key, correlation_id, payload, status, attempts, last_error)
       VALUES ($1::uuid, 'RENEWAL', $2, $1::text, '{"contractId": "c-9", "threshold": "80"}', 'EXCEPTION', 1,
               '{"code": "BAD_USER_INPUT", "message": "threshold must be 50 to 100", "permanent": true, "step": "renewal-opportunity", "reasons": [], "details": null}')`,
      [fixRunId, `c-9:80:${fixRunId.slice(-6)}`],
    );
    await page.goto(`${consoleUrl}/workflows?tab=open&kind=RENEWAL`);
    const fixRow = page.getByRole('row', { name: /threshold must be 50 to 100/ });
    await fixRow.getByRole('button', { name: 'Replay' }).click();
    await page.getByLabel('Payload').fill('{"contractId": "c-9", "threshold": "90"}');
    await page.getByLabel('Reason').fill('threshold corrected from the signed contract');
    await screenshot(page, 'steward-replay-payload-edit');
    await page.getByRole('dialog').getByRole('button', { name: 'Replay' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    const [edit] = await sql<{ before: Record<string, unknown>; after: Record<string, unknown>; changed_fields: string[] }>(
      stack.database.url,
      `SELECT before, after, changed_fields FROM governance.audit_event WHERE action = 'workflow.replay' AND entity_id = $1`,
      [fixRunId],
    );

    expect(edit.before).toMatchObject({ status: 'EXCEPTION', payload: { threshold: '80' } });
    expect(edit.after).toMatchObject({
      status: 'PENDING',
      payload: { threshold: '90' },
      payloadPatch: [{ op: 'replace', path: '/threshold', value: '90' }],
    });
    expect(edit.changed_fields).toEqual(['status', 'payload.threshold']);
    expect(pageErrors).toEqual([]);
  });

  it('should not show the steward screens’ actions to an auditor, nor let them work a case', async () => {
    const { page, pageErrors } = await newPage(browser);
    await signIn(page, consoleUrl, 'auditor', 'aud-console');
    const nav = await page.getByRole('navigation', { name: 'Screens' }).innerText();
    await page.goto(`${consoleUrl}/stewards/exceptions?view=all`);
    await page.getByRole('table', { name: 'exception cases' }).waitFor();
    await screenshot(page, 'steward-exception-queue-auditor');
    await page.goto(`${consoleUrl}/stewards/changes`);
    await page.getByRole('alert').waitFor();
    const refusal = await page.getByRole('alert').innerText();

    expect(nav).toContain('Exception queue');
    expect(nav).not.toContain('Ownership matrix');
    expect(await page.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
    expect(refusal).toContain('FORBIDDEN');
    expect(pageErrors).toEqual([]);
  });
});
