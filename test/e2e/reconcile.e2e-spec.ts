import { join } from 'node:path';
import { Client } from 'pg';
import { createServiceDataSource, decimal, migrate } from '@concord/common';
import { crmMigrations } from '@concord/crm';
import { erpMigrations } from '@concord/erp';
import { governanceMigrations } from '@concord/governance';
import { psaMigrations } from '@concord/psa';
import {
  committedSchemas,
  fetchClientFigures,
  fetchLegalEntityFigures,
  fetchProjectFigures,
  GraphError,
  LEDGER_CHECKS,
  reconcile,
  roundHalfEven,
  type ReconcileReport,
} from '@concord/reconcile';
import { seedDatabase } from '@concord/seed';
import { createTestDatabase, runTool, type TestDatabase } from '@concord/testing';
import { sql } from './support/database';
import { bearerFor, startStack, type Stack } from './support/stack';

// Seeding and reconciling takes longer than jest's default per hook and test.
jest.setTimeout(180_000);

const ROOT = join(__dirname, '..', '..');
const SCALE = 0.05;

const SCHEMAS = [
  { schema: 'crm', migrations: crmMigrations },
  { schema: 'erp', migrations: erpMigrations },
  { schema: 'psa', migrations: psaMigrations },
  { schema: 'governance', migrations: governanceMigrations },
];

/** A fresh database with every service's schema, migrated exactly as each service does at start. */
async function migratedDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase();
  for (const { schema, migrations } of SCHEMAS) {
    const dataSource = createServiceDataSource({ url: database.url, schema, entities: [], migrations: migrations as Function[] });
    await dataSource.initialize();
    try {
      await migrate(dataSource, schema);
    } finally {
      await dataSource.destroy();
    }
  }
  return database;
}

async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

// the examples make a failure say which rows and by how much
const failuresOf = (report: ReconcileReport) => report.failures;

describe.each([42, 7])('reconciliation of the seeded dataset (scale 0.05, seed %i)', (seed) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await migratedDatabase();
    await seedDatabase({ databaseUrl: database.url, scale: SCALE, seed });
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('should reconcile every invoice, payment, contract, base amount and revenue entry to the cent, with no float money', async () => {
    const report = await withClient(database.url, (client) => reconcile(client, { schemas: committedSchemas(ROOT) }));

    expect(failuresOf(report)).toEqual([]);
    expect(report.checks).toHaveLength(LEDGER_CHECKS.length + 2);
  });

  it('should have reconciled real data: TIME and EXPENSE lines, payments, and invoices in several currencies and legal entities', async () => {
    const [counts] = await withClient(
      database.url,
      async (client) =>
        (
          await client.query(`SELECT
            (SELECT count(*) FROM erp.invoice_line WHERE source_type = 'TIME')::int AS time_lines,
            (SELECT count(*) FROM erp.invoice_line WHERE source_type = 'EXPENSE')::int AS expense_lines,
            (SELECT count(*) FROM psa.time_entry WHERE status = 'INVOICED')::int AS invoiced_entries,
            (SELECT count(*) FROM erp.payment WHERE status = 'POSTED')::int AS payments,
            (SELECT count(DISTINCT currency) FROM erp.invoice WHERE status = 'POSTED')::int AS currencies,
            (SELECT count(*) FROM erp.invoice WHERE status = 'POSTED')::int AS posted,
            (SELECT count(*) FROM erp.revenue_entry)::int AS revenue_entries`)
        ).rows,
    );

    expect(counts.time_lines).toBeGreaterThan(0);
    expect(counts.expense_lines).toBeGreaterThan(0);
    expect(counts.invoiced_entries).toBeGreaterThan(counts.time_lines);
    expect(counts.payments).toBeGreaterThan(0);
    expect(counts.currencies).toBeGreaterThanOrEqual(2);
    expect(counts.posted).toBeGreaterThan(0);
    expect(counts.revenue_entries).toBeGreaterThan(0);
  });
});

/** The full name of the ledger check whose name starts with `prefix`. */
function check(prefix: string): string {
  const found = LEDGER_CHECKS.find((candidate) => candidate.name.startsWith(prefix));
  if (!found) {
    throw new Error(`no ledger check starts with "${prefix}"`);
  }
  return found.name;
}

describe('reconciliation that finds what is off (scale 0.05, seed 42)', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await migratedDatabase();
    await seedDatabase({ databaseUrl: database.url, scale: SCALE, seed: 42 });
  });

  afterAll(async () => {
    await database?.drop();
  });

  const one = async <T extends Record<string, unknown>>(text: string) => (await sql<T>(database.url, text))[0];

  /** Reconciles the database with `tamper` applied in a transaction that is rolled back after. */
  const reconcileTampered = (tamper: string, values: unknown[] = []) =>
    withClient(database.url, async (client) => {
      await client.query('BEGIN');
      try {
        await client.query(tamper, values);
        return await reconcile(client, { schemas: committedSchemas(ROOT) });
      } finally {
        await client.query('ROLLBACK');
      }
    });
  const counts = (report: ReconcileReport) => report.failures.map((failure) => ({ name: failure.name, count: failure.count }));

  it('should round half to even as the services do, where PostgreSQL rounds half away from zero', async () => {
    const values = ['2.345', '2.355', '-2.345', '2.3451', '0.005', '98.835', '107.855'];

    const rows = await sql<{ rounded: string }>(
      database.url,
      `SELECT ${roundHalfEven('value')}::numeric(18,2)::text AS rounded FROM unnest($1::numeric[]) WITH ORDINALITY AS given (value, n) ORDER BY n`,
      [values],
    );

    expect(rows.map((row) => row.rounded)).toEqual(['2.34', '2.36', '-2.34', '2.35', '0.00', '98.84', '107.86']);
    expect(values.map((value) => decimal(value).toFixed(2))).toEqual(['2.34', '2.36', '-2.34', '2.35', '0.00', '98.84', '107.86']);
  });

  it('should find an invoiced time entry billed a cent more than its hours at its snapshotted rate, and its TIME line', async () => {
    const entry = await one<{ id: string; billable_hours: string; bill_rate: string; bill_amount: string }>(
      `SELECT id, billable_hours::text, bill_rate::text, bill_amount::text FROM psa.time_entry WHERE status = 'INVOICED' ORDER BY id LIMIT 1`,
    );
    const expected = decimal(entry.billable_hours).times(entry.bill_rate).toFixed(2);
    expect(expected).toBe(decimal(entry.bill_amount).toFixed(2));

    const report = await reconcileTampered(`UPDATE psa.time_entry SET bill_amount = bill_amount + 0.01 WHERE id = $1`, [entry.id]);

    expect(counts(report)).toEqual([
      { name: check('time entry bill amount'), count: 1 },
      { name: check('every TIME line'), count: 1 },
    ]);
    expect(report.failures[0].examples[0]).toContain(
      `${entry.id}: ${entry.billable_hours} h × ${entry.bill_rate} = ${expected}, billed ${decimal(expected).plus('0.01').toFixed(2)}`,
    );
  });

  it("should find a posted invoice's base total a cent off its total at the FX rate of its issue date", async () => {
    const invoice = await one<{ id: string; total: string; fx_rate: string; base_total: string }>(
      `SELECT id, total::text, fx_rate::text, base_total::text FROM erp.invoice WHERE status = 'POSTED' AND currency <> base_currency ORDER BY id LIMIT 1`,
    );
    const expected = decimal(invoice.total).times(invoice.fx_rate).toFixed(2);
    expect(expected).toBe(invoice.base_total);

    const report = await reconcileTampered(`UPDATE erp.invoice SET base_total = base_total - 0.01 WHERE id = $1`, [invoice.id]);

    expect(counts(report)).toEqual([{ name: check('posted invoice base total'), count: 1 }]);
    expect(report.failures[0].examples[0]).toContain(
      `rate ${invoice.fx_rate} (expected ${invoice.fx_rate}), base ${decimal(expected).minus('0.01').toFixed(2)}`,
    );
    expect(report.failures[0].examples[0]).toMatch(new RegExp(`\\(expected ${expected.replace('.', '\\.')}\\)$`));
  });

  it('should find a payment allocation a cent short: the payment and the amount due of its invoice no longer add up', async () => {
    const allocation = await one<{ id: string; payment_id: string; invoice_id: string }>(
      `SELECT allocation.id, allocation.payment_id, allocation.invoice_id FROM erp.payment_allocation allocation
         JOIN erp.payment payment ON payment.id = allocation.payment_id AND payment.status = 'POSTED'
        WHERE allocation.allocated_amount > 1 ORDER BY allocation.id LIMIT 1`,
    );

    const report = await reconcileTampered(`UPDATE erp.payment_allocation SET allocated_amount = allocated_amount - 0.01 WHERE id = $1`, [
      allocation.id,
    ]);

    expect(counts(report)).toEqual([
      { name: check('posted invoice amount due'), count: 1 },
      { name: check('payment amount'), count: 1 },
    ]);
    expect(report.failures[0].examples[0]).toMatch(new RegExp(`^${allocation.invoice_id}: `));
    expect(report.failures[1].examples[0]).toMatch(new RegExp(`^${allocation.payment_id}: `));
  });

  it("should find a contract whose consumed amount is not its posted invoices' subtotals", async () => {
    const contract = await one<{ id: string; consumed: string }>(
      `SELECT contract.id, (SELECT sum(subtotal) FROM erp.invoice WHERE contract_id = contract.id AND status = 'POSTED')::text AS consumed
         FROM erp.contract contract WHERE contract.consumed_amount > 0 ORDER BY contract.id LIMIT 1`,
    );

    const report = await reconcileTampered(`UPDATE erp.contract SET consumed_amount = consumed_amount + 0.01 WHERE id = $1`, [contract.id]);

    expect(counts(report)).toEqual([{ name: check('contract consumed amount'), count: 1 }]);
    expect(report.failures[0].examples).toEqual([
      `${contract.id}: consumed ${decimal(contract.consumed).plus('0.01').toFixed(2)}, posted invoices ${decimal(contract.consumed).toFixed(2)}`,
    ]);
  });

  it('should find a revenue entry whose unbilled amount is not its cumulative revenue less what was billed by its period end', async () => {
    const entry = await one<{ id: string; cumulative: string; billed: string; unbilled: string }>(
      `SELECT id, cumulative_recognized::text AS cumulative, billed_to_date::text AS billed, unbilled::text FROM erp.revenue_entry
        WHERE billed_to_date > 0 AND cumulative_recognized > billed_to_date ORDER BY id LIMIT 1`,
    );
    expect(entry.unbilled).toBe(decimal(entry.cumulative).minus(entry.billed).toFixed(2));

    const report = await reconcileTampered(`UPDATE erp.revenue_entry SET unbilled = unbilled + 0.01 WHERE id = $1`, [entry.id]);

    expect(counts(report)).toEqual([{ name: check('revenue entry billed to date'), count: 1 }]);
    expect(report.failures[0].examples[0]).toMatch(new RegExp(`^${entry.id}: cumulative ${entry.cumulative}, billed ${entry.billed} `));
  });

  it('should find an invoiced expense listed by a second invoice line, and that line', async () => {
    const expense = await one<{ id: string; invoice_line_id: string; other_line_id: string }>(
      `SELECT expense.id, expense.invoice_line_id,
              (SELECT line.id FROM erp.invoice_line line WHERE line.source_type = 'EXPENSE' AND line.id <> expense.invoice_line_id ORDER BY line.id LIMIT 1) AS other_line_id
         FROM psa.expense expense WHERE expense.status = 'INVOICED' ORDER BY expense.id LIMIT 1`,
    );

    const report = await reconcileTampered(`UPDATE erp.invoice_line SET source_ids = source_ids || $1::uuid WHERE id = $2`, [
      expense.id,
      expense.other_line_id,
    ]);

    expect(counts(report)).toEqual([
      { name: check('every EXPENSE line'), count: 1 },
      { name: check('every INVOICED expense'), count: 1 },
    ]);
    expect(report.failures[0].examples[0]).toMatch(new RegExp(`^${expense.other_line_id}: `));
    expect(report.failures[1].examples[0]).toMatch(
      new RegExp(`^${expense.id}: invoice line ${expense.invoice_line_id}, listed by 2 line\\(s\\)`),
    );
  });

  it('should print one line per check and exit 0 on reconciled data, 1 naming the check and the row on a mismatch (npm run reconcile)', async () => {
    const contract = await one<{ id: string }>(`SELECT id FROM erp.contract WHERE consumed_amount > 0 ORDER BY id LIMIT 1`);

    const clean = await runTool('tools/reconcile.mjs', [], { env: { DATABASE_URL: database.url } });
    await sql(database.url, `UPDATE erp.contract SET consumed_amount = consumed_amount + 0.01 WHERE id = $1`, [contract.id]);
    let broken: Awaited<ReturnType<typeof runTool>>;
    try {
      broken = await runTool('tools/reconcile.mjs', [], { env: { DATABASE_URL: database.url } });
    } finally {
      await sql(database.url, `UPDATE erp.contract SET consumed_amount = consumed_amount - 0.01 WHERE id = $1`, [contract.id]);
    }
    const unset = await runTool('tools/reconcile.mjs', [], { env: { DATABASE_URL: '' } });

    expect(clean.code).toBe(0);
    expect(clean.output).toContain(`✓ ${check('contract consumed amount')}\n`);
    expect(clean.output).toContain(`reconcile: all ${LEDGER_CHECKS.length + 2} checks reconcile, to the cent`);
    expect(broken.code).toBe(1);
    expect(broken.output).toContain(`✗ ${check('contract consumed amount')}: 1 mismatch(es)\n    ${contract.id}: consumed `);
    expect(broken.output).toContain(`reconcile: 1 of ${LEDGER_CHECKS.length + 2} checks found mismatches`);
    expect(unset.code).toBe(2);
    expect(unset.output).toContain('DATABASE_URL is not set');
  });

  it('should find a money column stored as double precision, and leave the SLO burn rates alone', async () => {
    const report = await reconcileTampered(
      `ALTER TABLE erp.invoice ADD COLUMN rounding_amount double precision, ADD COLUMN burn_ratio double precision`,
    );

    expect(counts(report)).toEqual([
      { name: 'no real / double precision money column in the crm, erp, psa, governance schemas', count: 1 },
    ]);
    expect(report.failures[0].examples).toEqual(['erp.invoice.rounding_amount is double precision']);
  });
});

describe.each([42, 7])('reconciliation of the graph through the gateway (scale 0.05, seed %i)', (seed) => {
  let stack: Stack;
  let finance: Record<string, string>;

  beforeAll(async () => {
    stack = await startStack({ beforeGateway: (databaseUrl) => seedDatabase({ databaseUrl, scale: SCALE, seed }).then(() => undefined) });
    finance = await bearerFor({ sub: 'reconcile-finance', roles: ['finance'] });
  });

  afterAll(async () => {
    await stack?.close();
  });

  const reconcileThroughGateway = () =>
    withClient(stack.database.url, (client) => reconcile(client, { graph: { url: stack.gateway.url, headers: finance } }));

  it("should find each project's revenue, cost and margin in the graph equal to the ledger, and their sums per client and legal entity", async () => {
    const report = await reconcileThroughGateway();

    expect(failuresOf(report)).toEqual([]);
    expect(report.checks.map((check) => check.name).slice(LEDGER_CHECKS.length + 1)).toEqual([
      'the graph answers every project, once',
      "each project's revenueRecognized, costToDate and margin in the graph = the ledger's, to the cent",
      "Σ projects' revenue and margin per client and currency (graph) = the client's revenue entries − its projects' cost (ledger)",
      "Σ projects' revenue and margin per legal entity and currency (graph) = the legal entity's revenue entries − its projects' cost (ledger)",
      "each legal entity's revenueRecognized and margin per currency (graph) = Σ its projects' (graph)",
      "each client's margin per currency (graph) = Σ its projects' margin (graph)",
    ]);
  });

  it('should have compared real figures: every project, with revenue and margin in them', async () => {
    const projects = await fetchProjectFigures(stack.gateway.url, finance);
    const [ledger] = await sql<{ projects: number; with_revenue: number }>(
      stack.database.url,
      `SELECT (SELECT count(*)::int FROM psa.project) AS projects,
              (SELECT count(DISTINCT project_id)::int FROM erp.revenue_entry WHERE recognized_amount <> 0) AS with_revenue`,
    );

    expect(projects).toHaveLength(ledger.projects);
    expect(projects.filter((project) => project.revenueRecognized && !decimal(project.revenueRecognized.amount).isZero())).toHaveLength(
      ledger.with_revenue,
    );
    expect(projects.every((project) => project.margin !== null)).toBe(true);
  });

  it("should have compared real figures of the owners: every legal entity and client, the entities' revenue among them", async () => {
    const legalEntities = await fetchLegalEntityFigures(stack.gateway.url, finance);
    const clients = await fetchClientFigures(stack.gateway.url, finance);
    const [ledger] = await sql<{ entities: number; with_revenue: number; clients: number }>(
      stack.database.url,
      `SELECT (SELECT count(*)::int FROM erp.legal_entity) AS entities,
              (SELECT count(DISTINCT contract.legal_entity_id)::int FROM erp.revenue_entry entry
                 JOIN erp.contract contract ON contract.id = entry.contract_id WHERE entry.recognized_amount <> 0) AS with_revenue,
              (SELECT count(*)::int FROM crm.client) AS clients`,
    );

    expect(legalEntities).toHaveLength(ledger.entities);
    expect(ledger.with_revenue).toBeGreaterThan(0);
    expect(legalEntities.filter((entity) => entity.revenueRecognized?.some((amount) => !decimal(amount.amount).isZero()))).toHaveLength(
      ledger.with_revenue,
    );
    expect(legalEntities.every((entity) => entity.margin !== null)).toBe(true);
    expect(clients).toHaveLength(ledger.clients);
    expect(clients.filter((client) => client.margin?.some((amount) => !decimal(amount.amount).isZero())).length).toBeGreaterThan(0);
  });

  it('should reconcile the graph from the CLI with --gateway and a finance CONCORD_TOKEN, and refuse --gateway without a token', async () => {
    const token = finance.authorization.slice('Bearer '.length);

    const run = await runTool('tools/reconcile.mjs', ['--gateway', stack.gateway.url], {
      env: { DATABASE_URL: stack.database.url, CONCORD_TOKEN: token },
    });
    const tokenless = await runTool('tools/reconcile.mjs', ['--gateway', stack.gateway.url], {
      env: { DATABASE_URL: stack.database.url, CONCORD_TOKEN: '' },
    });

    expect(run.code).toBe(0);
    expect(run.output).toContain("✓ Σ projects' revenue and margin per client and currency (graph)");
    expect(run.output).toContain("✓ each legal entity's revenueRecognized and margin per currency (graph) = Σ its projects' (graph)");
    expect(run.output).toContain(`reconcile: all ${LEDGER_CHECKS.length + 8} checks reconcile, to the cent`);
    expect(tokenless.code).toBe(2);
    expect(tokenless.output).toContain('--gateway needs CONCORD_TOKEN');
  });

  it('should not reconcile through the gateway as a caller who may not read margin', async () => {
    const sales = await bearerFor({ sub: 'reconcile-sales', roles: ['sales'] });

    await expect(fetchProjectFigures(stack.gateway.url, sales)).rejects.toThrow(GraphError);
    await expect(fetchProjectFigures(stack.gateway.url, sales)).rejects.toThrow(/FORBIDDEN_FIELD/);
  });

  it("should report a client's and a legal entity's revenue and margin off by a revenue entry that lost its project", async () => {
    const [entry] = await sql<{
      id: string;
      project_id: string;
      amount: string;
      currency: string;
      client_id: string;
      legal_entity_id: string;
    }>(
      stack.database.url,
      `SELECT entry.id, entry.project_id, entry.recognized_amount::text AS amount, entry.currency, contract.client_id, contract.legal_entity_id
         FROM erp.revenue_entry entry JOIN erp.contract contract ON contract.id = entry.contract_id
        WHERE entry.recognized_amount > 0 ORDER BY entry.id LIMIT 1`,
    );
    const [client] = await sql<{ revenue: string; cost: string }>(
      stack.database.url,
      `SELECT (SELECT sum(entry.recognized_amount) FROM erp.revenue_entry entry JOIN erp.contract contract ON contract.id = entry.contract_id
                WHERE contract.client_id = $1 AND entry.currency = $2)::text AS revenue,
              (SELECT coalesce(sum(cost), 0) FROM (
                 SELECT time_entry.cost_amount AS cost FROM psa.time_entry time_entry JOIN psa.project project ON project.id = time_entry.project_id
                  WHERE project.client_id = $1 AND project.currency = $2 AND time_entry.status IN ('SUBMITTED', 'APPROVED', 'INVOICED')
                 UNION ALL
                 SELECT expense.amount FROM psa.expense expense JOIN psa.project project ON project.id = expense.project_id
                  WHERE project.client_id = $1 AND project.currency = $2 AND expense.status IN ('SUBMITTED', 'APPROVED', 'INVOICED')) cost)::text AS cost`,
      [entry.client_id, entry.currency],
    );
    const revenue = decimal(client.revenue);
    const margin = revenue.minus(client.cost);
    await sql(stack.database.url, `UPDATE erp.revenue_entry SET project_id = NULL WHERE id = $1`, [entry.id]);
    try {
      const report = await reconcileThroughGateway();

      const byName = Object.fromEntries(report.failures.map((failure) => [failure.name, failure]));
      const [clientLedger, legalEntityLedger, legalEntityGraph, clientGraph] = report.checks.slice(-4).map((check) => check.name);
      expect(report.failures.map((failure) => [failure.name, failure.count])).toEqual([
        [clientLedger, 2],
        [legalEntityLedger, 2],
        [legalEntityGraph, 2],
        [clientGraph, 1],
      ]);
      expect(byName[clientLedger].examples).toEqual([
        `${entry.client_id} ${entry.currency} revenue: ledger ${revenue.toFixed(2)}, graph Σ projects ${revenue.minus(entry.amount).toFixed(2)}`,
        `${entry.client_id} ${entry.currency} margin: ledger ${margin.toFixed(2)}, graph Σ projects ${margin.minus(entry.amount).toFixed(2)}`,
      ]);
      expect(byName[legalEntityLedger].examples).toHaveLength(2);
      expect(byName[legalEntityLedger].examples[0]).toMatch(new RegExp(`^${entry.legal_entity_id} ${entry.currency} revenue: `));
      // the graph's own figures of the client and the legal entity come from their contracts, as the ledger's do
      expect(byName[clientGraph].examples).toEqual([
        `${entry.client_id} ${entry.currency} margin: graph Σ projects ${margin.minus(entry.amount).toFixed(2)}, Client ${margin.toFixed(2)}`,
      ]);
      expect(byName[legalEntityGraph].examples[0]).toMatch(
        new RegExp(`^${entry.legal_entity_id} ${entry.currency} revenue: graph Σ projects [-0-9.]+, LegalEntity [-0-9.]+$`),
      );
    } finally {
      await sql(stack.database.url, `UPDATE erp.revenue_entry SET project_id = $2 WHERE id = $1`, [entry.id, entry.project_id]);
    }
  });
});
