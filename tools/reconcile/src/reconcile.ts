import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClientBase } from 'pg';
import { floatMoneyColumns, floatMoneyInSchemas } from './float-money';
import { fetchClientFigures, fetchLegalEntityFigures, fetchProjectFigures } from './graph';
import { LEDGER_CHECKS, type LedgerCheck } from './ledger-checks';
import { reportOf, type CheckResult, type ReconcileReport } from './report';
import { loadLedger, reconcileGraph } from './rollup';

export interface ReconcileOptions {
  /**
   * the gateway's /graphql and headers authenticating a caller who may read margin (finance, executive, auditor):
   * the graph's per-project figures are reconciled with the ledger and rolled up per client and legal entity, and
   * the graph's own client and legal-entity figures with those roll-ups
   */
  graph?: { url: string; headers: Record<string, string> };
  /** committed SDL per subgraph, scanned for Float money fields (see committedSchemas) */
  schemas?: Readonly<Record<string, string>>;
  /** called after each check, for progress */
  onCheck?: (result: CheckResult) => void;
}

/** The subgraphs whose committed schema.graphql the gateway composes, by name. */
const SCHEMA_FILES: Readonly<Record<string, string>> = {
  crm: 'subgraphs/crm/schema.graphql',
  erp: 'subgraphs/erp/schema.graphql',
  psa: 'subgraphs/psa/schema.graphql',
  governance: 'governance/schema.graphql',
};

/** Every subgraph's committed schema.graphql under the repository root (those that exist). */
export function committedSchemas(root: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(SCHEMA_FILES)
      .filter(([, path]) => existsSync(join(root, path)))
      .map(([name, path]) => [name, readFileSync(join(root, path), 'utf8')]),
  );
}

export async function runLedgerCheck(client: ClientBase, check: LedgerCheck): Promise<CheckResult> {
  const { rows } = await client.query<{ count: string; examples: string[] | null }>(
    `SELECT count(*)::text AS count,
            (array_agg(offending.id::text || coalesce(': ' || offending.detail, '') ORDER BY offending.id::text))[1:5] AS examples
       FROM (${check.sql}) offending (id, detail)`,
  );
  // a count of rows, not money
  return { name: check.name, count: Number.parseInt(rows[0].count, 10), examples: rows[0].examples ?? [] };
}

/**
 * Every reconciliation check against one database: the ledger invariants, no float money column, and with the
 * options no Float money field in the schemas and the graph's project figures against the ledger's roll-ups.
 */
export async function reconcile(client: ClientBase, options: ReconcileOptions = {}): Promise<ReconcileReport> {
  const checks: CheckResult[] = [];
  const record = (result: CheckResult) => {
    checks.push(result);
    options.onCheck?.(result);
  };
  for (const check of LEDGER_CHECKS) {
    record(await runLedgerCheck(client, check));
  }
  record(await floatMoneyColumns(client));
  if (options.schemas) {
    record(floatMoneyInSchemas(options.schemas));
  }
  if (options.graph) {
    const { url, headers } = options.graph;
    const [ledger, projects, clients, legalEntities] = await Promise.all([
      loadLedger(client),
      fetchProjectFigures(url, headers),
      fetchClientFigures(url, headers),
      fetchLegalEntityFigures(url, headers),
    ]);
    reconcileGraph(ledger, { projects, clients, legalEntities }).forEach(record);
  }
  return reportOf(checks);
}
