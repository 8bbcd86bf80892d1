import { Client } from 'pg';
import { createServiceDataSource, migrate } from '@concord/common';
import { crmMigrations } from '@concord/crm';
import { erpMigrations } from '@concord/erp';
import { psaMigrations } from '@concord/psa';
import { CHECKS, planFor, SeedError, seedDatabase, verifyDatabase } from '@concord/seed';
import { createTestDatabase, type TestDatabase } from '@concord/testing';

// Seeding several databases takes longer than jest's default 5 s per hook and test.
jest.setTimeout(180_000);

const SCHEMAS = [
  { schema: 'crm', migrations: crmMigrations },
  { schema: 'erp', migrations: erpMigrations },
  { schema: 'psa', migrations: psaMigrations },
];

/** A fresh database with the three subgraphs' schemas, migrated exactly as each subgraph does at start. */
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

const SEEDED_TABLES = [
  'crm.client',
  'crm.contact',
  'crm.opportunity',
  'crm.quote',
  'crm.quote_line',
  'erp.legal_entity',
  'erp.currency',
  'erp.fx_rate',
  'erp.rate_card',
  'erp.rate_card_line',
  'erp.legal_customer',
  'erp.contract',
  'erp.contract_line',
  'erp.billing_schedule',
  'erp.billing_schedule_line',
  'erp.invoice',
  'erp.invoice_line',
  'erp.payment',
  'erp.payment_allocation',
  'erp.revenue_entry',
  'erp.invoice_number_sequence',
  'erp.intercompany_charge',
  'psa.resource',
  'psa.project',
  'psa.milestone',
  'psa.task',
  'psa.change_order',
  'psa.assignment',
  'psa.resource_request',
  'psa.time_entry',
  'psa.expense',
  'psa.utilization_period',
];

/** Row count and a digest of every row's full text (ids, timestamps, amounts) per table, in id order. */
function fingerprint(url: string): Promise<Record<string, { rows: number; digest: string }>> {
  return withClient(url, async (client) => {
    const result: Record<string, { rows: number; digest: string }> = {};
    for (const table of SEEDED_TABLES) {
      const { rows } = await client.query(
        `SELECT count(*)::int AS rows, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t.id), '')) AS digest FROM ${table} t`,
      );
      result[table] = rows[0];
    }
    return result;
  });
}

async function count(url: string, sql: string): Promise<number> {
  return withClient(url, async (client) => Number((await client.query(sql)).rows[0].count));
}

describe('seed (npm run seed)', () => {
  const SCALE = 0.05;
  let first: TestDatabase;
  let second: TestDatabase;

  beforeAll(async () => {
    first = await migratedDatabase();
    second = await migratedDatabase();
  });

  afterAll(async () => {
    await first?.drop();
    await second?.drop();
  });

  it('should load a consistent dataset of the planned size in every table', async () => {
    // Arrange
    const plan = planFor(SCALE, 42);

    // Act
    const result = await seedDatabase({ databaseUrl: first.url, scale: SCALE, seed: 42 });

    // Assert
    expect(result.skipped).toBe(false);
    expect(await verifyDatabase(first.url)).toEqual([]);
    const tables = await fingerprint(first.url);
    expect(tables['crm.client'].rows).toBe(plan.clients);
    expect(tables['psa.project'].rows).toBe(plan.projects);
    expect(tables['erp.contract'].rows).toBe(plan.projects);
    expect(tables['psa.resource'].rows).toBe(plan.resources);
    for (const table of SEEDED_TABLES.filter((name) => name !== 'psa.change_order')) {
      expect({ table, empty: tables[table].rows === 0 }).toEqual({ table, empty: false });
    }
    expect(result.rows).toBe(Object.values(tables).reduce((sum, table) => sum + table.rows, 0));
  });

  it('should keep every time entry on a weekday inside its assignment, before the reference date, at most 8 h per resource and day', async () => {
    expect(await count(first.url, `SELECT count(*) FROM psa.time_entry WHERE extract(isodow FROM date) > 5 OR date >= '2026-11-01'`)).toBe(
      0,
    );
    expect(
      await count(first.url, `SELECT count(*) FROM (SELECT 1 FROM psa.time_entry GROUP BY resource_id, date HAVING sum(hours) > 8) busy`),
    ).toBe(0);
  });

  it('should use several currencies and legal entities, with some invoices overdue at the reference date', async () => {
    expect(await count(first.url, `SELECT count(DISTINCT currency) FROM erp.contract`)).toBeGreaterThanOrEqual(2);
    expect(await count(first.url, `SELECT count(DISTINCT legal_entity_id) FROM psa.resource`)).toBe(3);
    expect(await count(first.url, `SELECT count(*) FROM erp.invoice WHERE amount_due = 0`)).toBeGreaterThan(0);
    expect(await count(first.url, `SELECT count(*) FROM erp.invoice WHERE amount_due > 0 AND due_date < '2026-11-01'`)).toBeGreaterThan(0);
    expect(await count(first.url, `SELECT count(DISTINCT stage) FROM crm.opportunity`)).toBe(6);
  });

  it('should number invoices gaplessly per legal entity and year, and leave the sequences where the ERP continues', async () => {
    const gaps = await count(
      first.url,
      `SELECT count(*) FROM erp.invoice_number_sequence sequence
         JOIN erp.legal_entity entity ON entity.id = sequence.legal_entity_id
        WHERE sequence.last_number <> (SELECT count(*) FROM erp.invoice invoice WHERE invoice.legal_entity_id = sequence.legal_entity_id
                                         AND extract(year FROM invoice.issue_date) = sequence.year
                                         AND invoice.number LIKE entity.code || '-' || sequence.year || '-%')`,
    );

    expect(gaps).toBe(0);
    expect(await count(first.url, `SELECT count(*) FROM erp.invoice WHERE number NOT SIMILAR TO 'CON-[A-Z]{2}-20[0-9]{2}-[0-9]{5}'`)).toBe(
      0,
    );
  });

  it('should give byte-identical rows, ids included, for the same scale and seed', async () => {
    await seedDatabase({ databaseUrl: second.url, scale: SCALE, seed: 42 });

    expect(await fingerprint(second.url)).toEqual(await fingerprint(first.url));
  });

  it('should give other data for another seed', async () => {
    const before = await fingerprint(second.url);

    await seedDatabase({ databaseUrl: second.url, scale: SCALE, seed: 7, reset: true });

    const after = await fingerprint(second.url);
    expect(after['crm.client'].digest).not.toBe(before['crm.client'].digest);
    expect(after['psa.time_entry'].digest).not.toBe(before['psa.time_entry'].digest);
    expect(await verifyDatabase(second.url)).toEqual([]);
  });

  it('should grow linearly with the scale', async () => {
    await seedDatabase({ databaseUrl: second.url, scale: SCALE * 4, seed: 42, reset: true });

    const small = await fingerprint(first.url);
    const large = await fingerprint(second.url);
    expect(large['crm.client'].rows).toBe(planFor(SCALE * 4, 42).clients);
    expect(large['psa.project'].rows).toBe(planFor(SCALE * 4, 42).projects);
    const perProject = (tables: typeof small) => tables['psa.time_entry'].rows / tables['psa.project'].rows;
    expect(perProject(small)).toBeGreaterThan(60);
    expect(perProject(large)).toBeGreaterThan(60);
    expect(perProject(large) / perProject(small)).toBeGreaterThan(0.5);
    expect(perProject(large) / perProject(small)).toBeLessThan(2);
  });

  it('should not seed a database that already has data, and should skip it with ifEmpty', async () => {
    const before = await fingerprint(first.url);

    await expect(seedDatabase({ databaseUrl: first.url, scale: SCALE })).rejects.toThrow(/already has data/);
    const skipped = await seedDatabase({ databaseUrl: first.url, scale: SCALE, ifEmpty: true });

    expect(skipped.skipped).toBe(true);
    expect(await fingerprint(first.url)).toEqual(before);
  });

  it('should not seed a database that is not migrated', async () => {
    const empty = await createTestDatabase();
    try {
      await expect(seedDatabase({ databaseUrl: empty.url, scale: SCALE })).rejects.toThrow(SeedError);
      await expect(seedDatabase({ databaseUrl: empty.url, scale: SCALE })).rejects.toThrow(/not migrated.*npm start/);
    } finally {
      await empty.drop();
    }
  });

  it('should detect an invoiced time entry whose amount no longer matches its invoice line', async () => {
    await withClient(second.url, (client) =>
      client.query(
        `UPDATE psa.time_entry SET bill_amount = bill_amount + 1 WHERE id = (SELECT min(id::text)::uuid FROM psa.time_entry WHERE status = 'INVOICED')`,
      ),
    );

    const violations = await verifyDatabase(second.url);

    expect(violations.map((violation) => violation.check)).toEqual([CHECKS[5].name, CHECKS[7].name]);
    expect(violations.every((violation) => violation.count === 1)).toBe(true);
  });

  it('should detect an ERP customer that is not a CRM client', async () => {
    await withClient(second.url, (client) =>
      client.query(
        `UPDATE erp.legal_customer SET client_id = '00000000-0000-7000-8000-000000000000' WHERE id = (SELECT min(id::text)::uuid FROM erp.legal_customer)`,
      ),
    );

    const violations = await verifyDatabase(second.url);

    expect(violations.map((violation) => violation.check)).toContain(CHECKS[0].name);
    expect(violations.map((violation) => violation.check)).toContain(CHECKS[1].name);
  });
});
