import type { ClientBase } from 'pg';
import { decimal, type DecimalValue, type MoneyValue } from '@concord/common';
import { DELIVERED_TIME_STATUSES, INCURRED_EXPENSE_STATUSES } from './ledger-checks';
import type { CheckResult } from './report';
import { fxRateOn, roundHalfEven } from './sql';

/** A project's revenue, cost and margin as the ledger gives them, in the project's currency. */
export interface ProjectLedger {
  id: string;
  clientId: string;
  legalEntityId: string | null;
  currency: string;
  revenue: string;
  cost: string;
  margin: string;
}

/** Revenue and margin per owner (a client or a legal entity) and currency: `${ownerId} ${currency}` → amounts. */
export type Totals = Map<string, { revenue: DecimalValue; margin: DecimalValue }>;

export interface Ledger {
  projects: Map<string, ProjectLedger>;
  /** from the revenue entries of the clients' contracts and the cost of their projects, not from the projects' figures */
  clients: Totals;
  legalEntities: Totals;
}

/** What the graph answers for one project (Query.projects through the gateway). */
export interface ProjectFigures {
  id: string;
  clientId: string;
  legalEntityId: string | null;
  currency: string;
  costToDate: MoneyValue | null;
  revenueRecognized: MoneyValue | null;
  margin: MoneyValue | null;
}

/** What the graph answers for one client or legal entity: its own figures, per currency. */
export interface OwnerFigures {
  id: string;
  /** absent where the graph has no such figure of the owner (a client has a margin, no revenue of its own) */
  revenueRecognized?: MoneyValue[] | null;
  margin: MoneyValue[] | null;
}

/** Everything the reconciliation reads through the gateway. */
export interface GraphFigures {
  projects: readonly ProjectFigures[];
  clients: readonly OwnerFigures[];
  legalEntities: readonly OwnerFigures[];
}

const delivered = DELIVERED_TIME_STATUSES.map((status) => `'${status}'`).join(', ');
const incurred = INCURRED_EXPENSE_STATUSES.map((status) => `'${status}'`).join(', ');

/** Delivered cost per project: what psa's costToDate sums. */
const PROJECT_COST = `
  SELECT project_id, sum(amount) AS amount FROM (
    SELECT project_id, cost_amount AS amount FROM psa.time_entry WHERE status IN (${delivered})
    UNION ALL
    SELECT project_id, amount FROM psa.expense WHERE status IN (${incurred})
  ) cost GROUP BY project_id`;

/**
 * Per project, as the ERP computes Project.revenueRecognized and margin: revenue = Σ its revenue entries converted
 * to the project currency at today's rate (1 in the same currency), rounded once; margin = revenue − costToDate.
 */
const PROJECTS_SQL = `
  SELECT project.id, project.client_id AS "clientId", project.legal_entity_id AS "legalEntityId", project.currency,
         revenue.amount::text AS revenue, coalesce(cost.amount, 0)::text AS cost,
         ${roundHalfEven('revenue.amount - coalesce(cost.amount, 0)')}::numeric(18,2)::text AS margin
    FROM psa.project project
    LEFT JOIN (${PROJECT_COST}) cost ON cost.project_id = project.id
    CROSS JOIN LATERAL (
      SELECT ${roundHalfEven(`coalesce(sum(entry.recognized_amount * ${fxRateOn('entry.currency', 'project.currency', 'current_date')}), 0)`)}::numeric(18,2) AS amount
        FROM erp.revenue_entry entry WHERE entry.project_id = project.id
    ) revenue
   ORDER BY project.id`;

/**
 * Totals per owner and currency straight from the ledger: revenue entries by their contract's client (legal entity),
 * delivered cost by its project's client (legal entity); margin = revenue − cost in each currency.
 */
function ownerTotalsSql(owner: 'client_id' | 'legal_entity_id'): string {
  return `
    SELECT owner_id::text AS "ownerId", currency, sum(revenue)::text AS revenue, (sum(revenue) - sum(cost))::text AS margin FROM (
      SELECT contract.${owner} AS owner_id, entry.currency::text AS currency, entry.recognized_amount AS revenue, 0 AS cost
        FROM erp.revenue_entry entry JOIN erp.contract contract ON contract.id = entry.contract_id
      UNION ALL
      SELECT project.${owner}, project.currency::text, 0, cost.amount
        FROM (${PROJECT_COST}) cost JOIN psa.project project ON project.id = cost.project_id
    ) amounts
    WHERE owner_id IS NOT NULL
    GROUP BY owner_id, currency`;
}

async function ownerTotals(client: ClientBase, owner: 'client_id' | 'legal_entity_id'): Promise<Totals> {
  const { rows } = await client.query<{ ownerId: string; currency: string; revenue: string; margin: string }>(ownerTotalsSql(owner));
  return new Map(rows.map((row) => [`${row.ownerId} ${row.currency}`, { revenue: decimal(row.revenue), margin: decimal(row.margin) }]));
}

/** The ledger side of the roll-up: per project, and per client and legal entity computed on their own. */
export async function loadLedger(client: ClientBase): Promise<Ledger> {
  const { rows } = await client.query<ProjectLedger>(PROJECTS_SQL);
  return {
    projects: new Map(rows.map((row) => [row.id, row])),
    clients: await ownerTotals(client, 'client_id'),
    legalEntities: await ownerTotals(client, 'legal_entity_id'),
  };
}

/** Σ of the graph's per-project revenue and margin by owner and currency (exact decimals). */
export function sumProjectFigures(projects: readonly ProjectFigures[], ownerOf: (project: ProjectFigures) => string | null): Totals {
  const totals: Totals = new Map();
  const add = (owner: string, amount: MoneyValue | null, field: 'revenue' | 'margin') => {
    if (!amount) {
      return;
    }
    const key = `${owner} ${amount.currency}`;
    const total = totals.get(key) ?? { revenue: decimal(0), margin: decimal(0) };
    total[field] = total[field].plus(amount.amount);
    totals.set(key, total);
  };
  for (const project of projects) {
    const owner = ownerOf(project);
    if (owner) {
      add(owner, project.revenueRecognized, 'revenue');
      add(owner, project.margin, 'margin');
    }
  }
  return totals;
}

/** The graph's own figures of clients or legal entities by owner and currency, in the shape of Totals. */
export function ownerFigureTotals(owners: readonly OwnerFigures[]): Totals {
  const totals: Totals = new Map();
  const add = (owner: string, amounts: readonly MoneyValue[] | null | undefined, field: 'revenue' | 'margin') => {
    for (const amount of amounts ?? []) {
      const key = `${owner} ${amount.currency}`;
      const total = totals.get(key) ?? { revenue: decimal(0), margin: decimal(0) };
      total[field] = total[field].plus(amount.amount);
      totals.set(key, total);
    }
  };
  for (const owner of owners) {
    add(owner.id, owner.revenueRecognized, 'revenue');
    add(owner.id, owner.margin, 'margin');
  }
  return totals;
}

interface Comparison {
  name: string;
  expected: Totals;
  actual: Totals;
  /** how each side is named in the examples */
  labels: [expected: string, actual: string];
  fields?: readonly ('revenue' | 'margin')[];
}

function compareTotals({ name, expected, actual, labels, fields = ['revenue', 'margin'] }: Comparison): CheckResult {
  const examples: string[] = [];
  let count = 0;
  const zero = { revenue: decimal(0), margin: decimal(0) };
  for (const key of [...new Set([...expected.keys(), ...actual.keys()])].sort()) {
    const want = expected.get(key) ?? zero;
    const got = actual.get(key) ?? zero;
    for (const field of fields) {
      if (!want[field].equals(got[field])) {
        count++;
        examples.push(`${key} ${field}: ${labels[0]} ${want[field].toFixed(2)}, ${labels[1]} ${got[field].toFixed(2)}`);
      }
    }
  }
  return { name, count, examples: examples.slice(0, 5) };
}

const amountOf = (value: MoneyValue | null) => (value ? `${value.amount} ${value.currency}` : 'null');

/**
 * Compares what the graph says per project with the ledger, then the graph's per-project revenue and margin summed
 * per client and per legal entity with the ledger's own totals, and with the graph's own figures of each legal entity
 * (revenueRecognized, margin) and client (margin): all to the cent and per currency.
 */
export function reconcileGraph(ledger: Ledger, graph: GraphFigures): CheckResult[] {
  const { projects } = graph;
  const perProject: string[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  const same = (value: MoneyValue | null, amount: string, currency: string) =>
    (value ?? { amount: '0', currency }).currency === currency && decimal((value ?? { amount: '0' }).amount).equals(amount);
  for (const project of projects) {
    seen.add(project.id);
    const expected = ledger.projects.get(project.id);
    if (!expected) {
      missing.push(`${project.id}: in the graph, not in psa.project`);
      continue;
    }
    for (const [field, value, amount] of [
      ['revenueRecognized', project.revenueRecognized, expected.revenue],
      ['costToDate', project.costToDate, expected.cost],
      ['margin', project.margin, expected.margin],
    ] as const) {
      if (!same(value, amount, expected.currency)) {
        perProject.push(`${project.id} ${field}: ledger ${amount} ${expected.currency}, graph ${amountOf(value)}`);
      }
    }
  }
  for (const id of ledger.projects.keys()) {
    if (!seen.has(id)) {
      missing.push(`${id}: in psa.project, not answered by the graph`);
    }
  }
  const byClient = sumProjectFigures(projects, (project) => project.clientId);
  const byLegalEntity = sumProjectFigures(projects, (project) => project.legalEntityId);
  return [
    { name: 'the graph answers every project, once', count: missing.length, examples: missing.slice(0, 5) },
    {
      name: "each project's revenueRecognized, costToDate and margin in the graph = the ledger's, to the cent",
      count: perProject.length,
      examples: perProject.slice(0, 5),
    },
    compareTotals({
      name: "Σ projects' revenue and margin per client and currency (graph) = the client's revenue entries − its projects' cost (ledger)",
      expected: ledger.clients,
      actual: byClient,
      labels: ['ledger', 'graph Σ projects'],
    }),
    compareTotals({
      name: "Σ projects' revenue and margin per legal entity and currency (graph) = the legal entity's revenue entries − its projects' cost (ledger)",
      expected: ledger.legalEntities,
      actual: byLegalEntity,
      labels: ['ledger', 'graph Σ projects'],
    }),
    compareTotals({
      name: "each legal entity's revenueRecognized and margin per currency (graph) = Σ its projects' (graph)",
      expected: byLegalEntity,
      actual: ownerFigureTotals(graph.legalEntities),
      labels: ['graph Σ projects', 'LegalEntity'],
    }),
    compareTotals({
      name: "each client's margin per currency (graph) = Σ its projects' margin (graph)",
      expected: byClient,
      actual: ownerFigureTotals(graph.clients),
      labels: ['graph Σ projects', 'Client'],
      fields: ['margin'],
    }),
  ];
}
