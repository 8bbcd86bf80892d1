import { seedDatabase } from '@concord/seed';
import { postGraphQL, queryData } from '@concord/testing';
import { sql } from './support/database';
import { bearerFor, startStack, type Stack } from './support/stack';

jest.setTimeout(180_000);

const finance = { sub: 'fin-run', roles: ['finance'] };

const START = `mutation ($periodEnd: String!, $contractId: ID) { startInvoiceRun(periodEnd: $periodEnd, contractId: $contractId) { id status } }`;
const RUN = `query ($id: ID!) { workflowRun(id: $id) { id status state lastError { code message } } }`;
const DRAFTS = `query ($contractId: ID!, $periodEnd: String!) {
  invoices(first: 10, filter: { contractId: $contractId, billingPeriodEnd: $periodEnd }) { edges { node {
    id status subtotal { amount currency } lines { id sourceType sourceIds qty amount { amount } billingScheduleLineId } } } } }`;

describe('invoice run through the gateway', () => {
  let stack: Stack;
  let auth: Record<string, string>;

  beforeAll(async () => {
    stack = await startStack({
      governance: true,
      workflows: true,
      beforeGateway: (databaseUrl) => seedDatabase({ databaseUrl, scale: 0.1, seed: 5 }).then(() => undefined),
    });
    auth = await bearerFor(finance);
  });

  afterAll(async () => {
    await stack?.close();
  });

  const gql = (query: string, variables: Record<string, unknown>) => queryData(stack.gateway.url, query, variables, auth);

  async function finished(runId: string): Promise<any> {
    const deadline = Date.now() + 60_000;
    let run: any = null;
    while (Date.now() < deadline) {
      ({ workflowRun: run } = await gql(RUN, { id: runId }));
      if (run.status === 'SUCCEEDED' || run.status === 'EXCEPTION') {
        return run;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`run ${runId} did not finish: ${JSON.stringify(run)}`);
  }

  async function postedRunOf(invoiceId: string): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const [row] = await sql<{ status: string }>(
        stack.database.url,
        `SELECT status FROM governance.workflow_run WHERE kind = 'INVOICE_POSTED' AND business_key = $1`,
        [invoiceId],
      );
      if (row?.status === 'SUCCEEDED') {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`the INVOICE_POSTED run of ${invoiceId} did not succeed`);
  }

  it('should draft one invoice per contract equal to its sources, stamp them on posting, and bill nothing twice', async () => {
    // a contract whose T&M project has approved billable uninvoiced time; the period ends with its last such day
    const [target] = await sql<{ contractId: string; periodEnd: string; consumed: string }>(
      stack.database.url,
      `SELECT c.id AS "contractId", max(t.date)::text AS "periodEnd", c.consumed_amount::text AS consumed
         FROM psa.time_entry t JOIN psa.project p ON p.id = t.project_id AND p.billing_model = 'TM'
         JOIN erp.contract c ON c.id = p.contract_id AND c.status = 'ACTIVE'
        WHERE t.status = 'APPROVED' AND t.billable_hours > 0 AND t.invoice_id IS NULL
        GROUP BY c.id HAVING count(*) >= 2 ORDER BY count(*) DESC, c.id LIMIT 1`,
    );
    const { contractId, periodEnd } = target;

    const { startInvoiceRun } = await gql(START, { periodEnd, contractId });
    const run = await finished(startInvoiceRun.id);
    const { invoices } = await gql(DRAFTS, { contractId, periodEnd });

    expect(run.status).toBe('SUCCEEDED');
    expect(invoices.edges).toHaveLength(1);
    const draft = invoices.edges[0].node;
    expect(draft.status).toBe('DRAFT');
    // every TIME/EXPENSE line equals the sum of its sources' bill amounts (and hours), to the cent
    const sourced = draft.lines.filter((line: any) => line.sourceType === 'TIME' || line.sourceType === 'EXPENSE');
    expect(sourced.length).toBeGreaterThan(0);
    for (const line of sourced) {
      const table = line.sourceType === 'TIME' ? 'psa.time_entry' : 'psa.expense';
      const [sums] = await sql<{ amount: string; found: number; hours: string | null }>(
        stack.database.url,
        `SELECT sum(bill_amount)::text AS amount, count(*)::int AS found,
                ${line.sourceType === 'TIME' ? 'sum(billable_hours)::text' : 'NULL'} AS hours
           FROM ${table} WHERE id = ANY($1::uuid[]) AND status = 'APPROVED' AND invoice_id IS NULL`,
        [line.sourceIds],
      );
      expect(sums.found).toBe(line.sourceIds.length);
      expect(sums.amount).toBe(line.amount.amount);
      if (line.sourceType === 'TIME') {
        expect(sums.hours).toBe(line.qty);
      }
    }
    // every approved billable uninvoiced time entry of the contract's T&M projects up to the period end is on the draft
    const timeIds = sourced
      .filter((line: any) => line.sourceType === 'TIME')
      .flatMap((line: any) => line.sourceIds)
      .sort();
    const expected = await sql<{ id: string }>(
      stack.database.url,
      `SELECT t.id FROM psa.time_entry t JOIN psa.project p ON p.id = t.project_id AND p.billing_model = 'TM' AND p.contract_id = $1
        WHERE t.status = 'APPROVED' AND t.billable_hours > 0 AND t.invoice_id IS NULL AND t.date <= $2::date ORDER BY t.id`,
      [contractId, periodEnd],
    );
    expect(timeIds).toEqual(expected.map((row) => row.id));
    const [{ subtotal }] = await sql<{ subtotal: string }>(
      stack.database.url,
      `SELECT sum(amount)::text AS subtotal FROM erp.invoice_line WHERE invoice_id = $1`,
      [draft.id],
    );
    expect(draft.subtotal.amount).toBe(subtotal);

    // posting stamps the sources (INVOICE_POSTED) and adds the subtotal to the contract's consumption
    await gql(`mutation ($id: ID!) { postInvoice(id: $id) { status } }`, { id: draft.id });
    await postedRunOf(draft.id);
    const stamped = await sql<{ status: string; invoiceId: string }>(
      stack.database.url,
      `SELECT DISTINCT status, invoice_id AS "invoiceId" FROM psa.time_entry WHERE id = ANY($1::uuid[])`,
      [timeIds],
    );
    expect(stamped).toEqual([{ status: 'INVOICED', invoiceId: draft.id }]);
    const [{ consumed }] = await sql<{ consumed: string }>(
      stack.database.url,
      `SELECT (consumed_amount - $2::numeric)::text AS consumed FROM erp.contract WHERE id = $1`,
      [contractId, target.consumed],
    );
    expect(consumed).toBe(draft.subtotal.amount);

    // a second run for the same period finds nothing left to bill (its sources are INVOICED) and creates nothing
    const again = await finished((await gql(START, { periodEnd, contractId })).startInvoiceRun.id);
    const { invoices: after } = await gql(DRAFTS, { contractId, periodEnd });
    const [{ twice }] = await sql<{ twice: number }>(
      stack.database.url,
      `SELECT count(*)::int AS twice FROM (
         SELECT source.id FROM erp.invoice_line line JOIN erp.invoice invoice ON invoice.id = line.invoice_id AND invoice.status <> 'CANCELLED'
           CROSS JOIN LATERAL unnest(line.source_ids) AS source(id)
          WHERE invoice.contract_id = $1 AND line.source_type IN ('TIME', 'EXPENSE') GROUP BY source.id HAVING count(*) > 1) repeated`,
      [contractId],
    );

    expect(again.status).toBe('SUCCEEDED');
    expect(again.state.invoices).toEqual([]);
    expect(after.edges.map((edge: any) => edge.node.id)).toEqual([draft.id]);
    expect(twice).toBe(0);
  });

  it('should refuse an invoice run to a role that may not start one, and a period end that is not a date', async () => {
    const sales = await bearerFor({ sub: 'rep-run', roles: ['sales'] });

    const refused = await postGraphQL(stack.gateway.url, START, { periodEnd: '2025-03-31' }, sales);
    const invalid = await postGraphQL(stack.gateway.url, START, { periodEnd: '2025-02-30' }, auth);

    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(invalid.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
