// `npm run bench -- --only invoice-run`: an invoice run over BENCH_INVOICE_ENTRIES (100000) APPROVED billable time
// entries, inserted by SQL on the T&M projects of up to 20 ACTIVE contracts of the seeded database, then finance's
// startInvoiceRun through the gateway; the figure is the wall time from the start to the run's SUCCEEDED (all drafts
// created), with the drafts, lines and entries they bill.
import pg from 'pg';

const ENTRIES = Number(process.env.BENCH_INVOICE_ENTRIES ?? 100_000);

/** Inserts the entries in one statement: quarter hours 1–8 h at the assignment's snapshotted rates, dated last month. */
async function insertEntries(databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows: assignments } = await client.query(
      `SELECT a.id, a.resource_id, a.project_id, a.bill_rate, a.cost_rate, p.currency, p.contract_id
         FROM psa.assignment a JOIN psa.project p ON p.id = a.project_id AND p.billing_model = 'TM'
         JOIN erp.contract c ON c.id = p.contract_id AND c.status = 'ACTIVE'
        WHERE a.bill_rate > 0 AND p.contract_id IN (
          SELECT p2.contract_id FROM psa.project p2 JOIN erp.contract c2 ON c2.id = p2.contract_id AND c2.status = 'ACTIVE'
           WHERE p2.billing_model = 'TM' GROUP BY p2.contract_id ORDER BY p2.contract_id LIMIT 20)`,
    );
    if (assignments.length === 0) {
      throw new Error('no assignment on a T&M project of an ACTIVE contract in the seeded database');
    }
    const contracts = new Set(assignments.map((row) => row.contract_id)).size;
    const { rows: [period] } = await client.query(
      `SELECT (date_trunc('month', now()) - interval '1 month')::date::text AS "from", (date_trunc('month', now()) - interval '1 day')::date::text AS "to"`,
    );
    await client.query(
      `INSERT INTO psa.time_entry (id, resource_id, project_id, assignment_id, date, hours, billable, billable_hours, bill_rate, cost_rate,
                                   bill_amount, cost_amount, currency, status, approved_at, created_at, updated_at)
       SELECT gen_random_uuid(), a.resource_id, a.project_id, a.id, $3::date + (n % ($4::date - $3::date + 1)),
              h.hours, true, h.hours, a.bill_rate, a.cost_rate, round(h.hours * a.bill_rate, 2), round(h.hours * a.cost_rate, 2),
              a.currency, 'APPROVED', now(), now(), now()
         FROM generate_series(0, $2::int - 1) AS n
         JOIN LATERAL (SELECT ((n % 29) + 4) * 0.25 AS hours) h ON true
         JOIN LATERAL (SELECT * FROM json_to_recordset($1::json) AS x(id uuid, resource_id uuid, project_id uuid, bill_rate numeric,
                                  cost_rate numeric, currency text) OFFSET (n % $5::int) LIMIT 1) a ON true`,
      [JSON.stringify(assignments), ENTRIES, period.from, period.to, assignments.length],
    );
    return { contracts, assignments: assignments.length, periodEnd: period.to };
  } finally {
    await client.end();
  }
}

async function gql(url, token, query, variables) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'apollographql-client-name': 'bench' },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors?.length) {
    throw new Error(`${response.status}: ${JSON.stringify(body.errors).slice(0, 500)}`);
  }
  return body.data;
}

export async function measureInvoiceRun({ databaseUrl, gatewayUrl, financeToken, log }) {
  log(`inserting ${ENTRIES} APPROVED billable time entries`);
  const inserted = await insertEntries(databaseUrl);
  log(`${ENTRIES} entries on ${inserted.assignments} assignments of ${inserted.contracts} contracts; invoice run for ${inserted.periodEnd}`);
  const started = performance.now();
  const { startInvoiceRun } = await gql(gatewayUrl, financeToken, `mutation ($p: String!) { startInvoiceRun(periodEnd: $p) { id } }`, {
    p: inserted.periodEnd,
  });
  let run;
  for (;;) {
    ({ workflowRun: run } = await gql(gatewayUrl, financeToken, `query ($id: ID!) { workflowRun(id: $id) { status state lastError { code message } } }`, {
      id: startInvoiceRun.id,
    }));
    if (run.status === 'SUCCEEDED' || run.status === 'EXCEPTION') {
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const wallMs = performance.now() - started;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const created = (run.state?.invoices ?? []).filter((invoice) => invoice.created).map((invoice) => invoice.invoiceId);
  const { rows: [billed] } = await client.query(
    `SELECT count(DISTINCT line.invoice_id)::int AS drafts, count(*)::int AS lines, coalesce(sum(cardinality(line.source_ids)) FILTER (WHERE line.source_type = 'TIME'), 0)::int AS "timeEntries"
       FROM erp.invoice_line line WHERE line.invoice_id = ANY($1::uuid[])`,
    [created],
  );
  await client.end();
  return { entries: ENTRIES, contracts: inserted.contracts, periodEnd: inserted.periodEnd, status: run.status, error: run.lastError, wallMs, ...billed };
}
