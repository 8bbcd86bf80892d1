import { Client } from 'pg';
import { BulkLoader, type TableStats } from './bulk-writer';
import { HISTORY_START_DAY, instant } from './calendar';
import { type Counters, type GenerationContext, generateClient, writeResources, writeUtilization } from './client';
import { uuidV7 } from './ids';
import { Random } from './random';
import { openTables, SEEDED_SCHEMAS, TABLES } from './tables';
import { verifyInvariants, type Violation } from './verify';
import { buildWorld, ROLES } from './world';

export interface SeedOptions {
  databaseUrl: string;
  /** 1 ≈ 50 clients, 150 projects, 20k time entries; linear; ≥ 0.02. */
  scale: number;
  seed?: number;
  /** Skip when the database already has data. */
  ifEmpty?: boolean;
  /** Delete existing CRM/ERP/PSA rows first. */
  reset?: boolean;
  chunkSize?: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export interface SeedPlan {
  clients: number;
  projects: number;
  resources: number;
  projectsPerClient: number[];
}

export interface SeedResult {
  skipped: boolean;
  plan: SeedPlan;
  tables: TableStats[];
  rows: number;
  seconds: number;
}

export class SeedError extends Error {}

export class InvariantError extends SeedError {
  constructor(readonly violations: Violation[]) {
    super(`cross-system invariants violated:\n${formatViolations(violations)}`);
  }
}

export function formatViolations(violations: Violation[]): string {
  return violations
    .map((violation) => `  ✗ ${violation.check}: ${violation.count} row(s), e.g. ${violation.examples.join(', ')}`)
    .join('\n');
}

/**
 * Counts from the scale, linear in it: clients = 50 × scale (at least 3), projects = 150 × scale spread over the
 * clients (some prospects have none), resources = 60 × scale (at least one per role).
 */
export function planFor(scale: number, seed: number): SeedPlan {
  const clients = Math.max(3, Math.round(50 * scale));
  const projects = Math.max(2, Math.round(150 * scale));
  const resources = Math.max(ROLES.length, Math.round(60 * scale));
  const random = Random.of(seed, 'plan');
  const weights = Array.from({ length: clients }, (_, i): number =>
    i >= 2 && random.chance(0.12)
      ? 0
      : random.weighted([
          [1, 2],
          [2, 3],
          [3, 3],
          [4, 2],
          [6, 1],
        ] as const),
  );
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const exact = weights.map((weight) => (projects * weight) / total);
  const projectsPerClient = exact.map(Math.floor);
  const order = exact.map((value, i) => [value - Math.floor(value), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const remainder = projects - projectsPerClient.reduce((sum, n) => sum + n, 0);
  for (let k = 0; k < remainder; k++) {
    projectsPerClient[order[k][1]]++;
  }
  return { clients, projects, resources, projectsPerClient };
}

/** "a, b, c and 5 more": error messages name a few tables, not thirty. */
function someTables(tables: string[]): string {
  return tables.length > 4 ? `${tables.slice(0, 3).join(', ')} and ${tables.length - 3} more` : tables.join(', ');
}

async function seededTablesWithRows(client: Client): Promise<string[]> {
  const tables = Object.values(TABLES);
  const { rows } = await client.query<{ table_name: string }>(
    tables.map((table, i) => `SELECT $${i + 1}::text AS table_name WHERE EXISTS (SELECT 1 FROM ${table})`).join(' UNION ALL '),
    tables,
  );
  return rows.map((row) => row.table_name);
}

async function missingTables(client: Client): Promise<string[]> {
  const { rows } = await client.query<{ table_name: string }>(
    `SELECT wanted.name AS table_name FROM unnest($1::text[]) AS wanted(name) WHERE to_regclass(wanted.name) IS NULL`,
    [Object.values(TABLES)],
  );
  return rows.map((row) => row.table_name);
}

/**
 * Loads a deterministic dataset of the given scale into an empty, migrated database, in ONE transaction:
 * bulk `INSERT … SELECT FROM unnest(…)` per table chunk, foreign keys and checks on; the cross-system
 * invariants are verified before COMMIT, so a failure of any kind leaves the database as it was.
 */
export async function seedDatabase(options: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  const seed = options.seed ?? 42;
  const log = options.log ?? (() => undefined);
  const plan = planFor(options.scale, seed);
  const client = new Client({ connectionString: options.databaseUrl, application_name: 'concord-seed' });
  await client.connect();
  try {
    const missing = await missingTables(client);
    if (missing.length) {
      throw new SeedError(
        `the database is not migrated (missing ${someTables(missing)}): run \`npm start\` (or start the crm, erp and psa subgraphs once) to migrate first`,
      );
    }
    const filled = await seededTablesWithRows(client);
    if (filled.length && options.ifEmpty) {
      log(`database already has data (${someTables(filled)}): nothing to do (--if-empty)`);
      return { skipped: true, plan, tables: [], rows: 0, seconds: (performance.now() - started) / 1000 };
    }
    if (filled.length && !options.reset) {
      throw new SeedError(`the database already has data in ${someTables(filled)}: use --reset to replace it, or --if-empty to keep it`);
    }

    await client.query('BEGIN');
    if (filled.length) {
      log(`--reset: deleting the rows of ${Object.values(TABLES).length} tables`);
      await client.query(`TRUNCATE ${Object.values(TABLES).join(', ')} CASCADE`);
    }
    log(`scale ${options.scale}, seed ${seed}: ${plan.clients} clients, ${plan.projects} projects, ${plan.resources} resources`);

    const loader = await BulkLoader.open(client, SEEDED_SCHEMAS, options.chunkSize ?? 5000);
    const tables = openTables(loader);
    const counters: Counters = { quote: 0, contract: 0, project: 0, invoices: new Map() };
    const context: GenerationContext = {
      seed,
      world: buildWorld(seed, plan.resources, tables),
      tables,
      counters,
      domains: new Set(),
      utilization: new Map(),
      clientIds: [],
    };
    writeResources(context);

    let lastReport = performance.now();
    let lastDecile = 0;
    let entries = 0;
    let inFlight: Promise<void> = Promise.resolve();
    for (let i = 0; i < plan.clients; i++) {
      entries += generateClient(context, i, plan.projectsPerClient[i]).entries;
      // Generate the next client while PostgreSQL inserts this batch; at most one batch waits.
      const batch = loader.flushFull();
      await inFlight;
      inFlight = batch;
      const now = performance.now();
      // A line per 10 % of the clients, or every 15 s when that takes longer.
      const decile = Math.floor(((i + 1) * 10) / plan.clients);
      if (decile > lastDecile || now - lastReport > 15_000) {
        lastReport = now;
        lastDecile = decile;
        const written = loader.stats().reduce((sum, table) => sum + table.rows, 0);
        log(
          `clients ${i + 1}/${plan.clients} (${Math.round(((i + 1) * 100) / plan.clients)} %): ${entries.toLocaleString('en-US')} time entries generated, ` +
            `${written.toLocaleString('en-US')} rows written, ${((now - started) / 1000).toFixed(1)} s`,
        );
      }
    }
    await inFlight;
    const weeks = writeUtilization(context);
    log(`utilization: ${weeks.toLocaleString('en-US')} resource-weeks`);
    const sequenceIds = Random.of(seed, 'sequence-ids');
    for (const [legalEntityId, years] of [...counters.invoices].sort(([a], [b]) => a.localeCompare(b))) {
      for (const [year, last] of [...years].sort(([a], [b]) => a - b)) {
        const at = instant(HISTORY_START_DAY, 1);
        tables.invoiceNumberSequence.push({
          id: uuidV7(sequenceIds, at),
          created_at: at,
          updated_at: at,
          legal_entity_id: legalEntityId,
          year,
          last_number: last,
        });
      }
    }
    await loader.flushAll();

    log('finishing: invoice numbers, assignment ↔ request links, quote number sequence');
    // Gapless numbers per legal entity and year in issue-date order, as the ERP allocates them on POST.
    await client.query(`
      UPDATE erp.invoice invoice SET number = numbered.number
        FROM (SELECT invoice.id, entity.code || '-' || extract(year FROM invoice.issue_date)::int || '-' ||
                     lpad((row_number() OVER (PARTITION BY invoice.legal_entity_id, extract(year FROM invoice.issue_date) ORDER BY invoice.issue_date, invoice.id))::text, 5, '0') AS number
                FROM erp.invoice invoice JOIN erp.legal_entity entity ON entity.id = invoice.legal_entity_id
               WHERE invoice.number LIKE 'PENDING-%') numbered
       WHERE numbered.id = invoice.id`);
    await client.query(`
      UPDATE psa.assignment assignment SET resource_request_id = request.id
        FROM psa.resource_request request WHERE request.assignment_id = assignment.id AND assignment.resource_request_id IS NULL`);
    if (counters.quote > 0) {
      await client.query(`SELECT setval('crm.quote_number_seq', $1)`, [counters.quote]);
    }

    log('verifying the cross-system invariants');
    const violations = await verifyInvariants(client);
    if (violations.length) {
      throw new InvariantError(violations);
    }
    await client.query('COMMIT');
    // Fresh statistics, so the first queries after a large load get good plans.
    await client.query(`ANALYZE ${Object.values(TABLES).join(', ')}`);

    const stats = loader.stats();
    return {
      skipped: false,
      plan,
      tables: stats,
      rows: stats.reduce((sum, table) => sum + table.rows, 0),
      seconds: (performance.now() - started) / 1000,
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

/** Checks the invariants of whatever is in the database (`--verify`). */
export async function verifyDatabase(databaseUrl: string, onCheck?: (check: string, count: number) => void): Promise<Violation[]> {
  const client = new Client({ connectionString: databaseUrl, application_name: 'concord-seed-verify' });
  await client.connect();
  try {
    const missing = await missingTables(client);
    if (missing.length) {
      throw new SeedError(`the database is not migrated (missing ${someTables(missing)}): run \`npm start\` to migrate first`);
    }
    return await verifyInvariants(client, onCheck);
  } finally {
    await client.end();
  }
}
