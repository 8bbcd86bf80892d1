import type { OwnerFigures, ProjectFigures } from './rollup';

/** What the reconciliation reads of every project through the gateway (needs a role that may read margin). */
export const PROJECT_FIGURES_QUERY = `query ReconcileProjects($first: Int, $after: String) {
  projects(first: $first, after: $after) {
    edges { node {
      id clientId legalEntityId currency
      costToDate { amount currency }
      revenueRecognized { amount currency }
      margin { amount currency }
    } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** Every legal entity's own revenue and margin per currency, as ERP answers them (margin @requires PSA's cost). */
export const LEGAL_ENTITY_FIGURES_QUERY = `query ReconcileLegalEntities($first: Int, $after: String) {
  legalEntities(first: $first, after: $after) {
    edges { node { id revenueRecognized { amount currency } margin { amount currency } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** Every client's own margin per currency, as ERP answers it (the client has no revenue figure of its own). */
export const CLIENT_FIGURES_QUERY = `query ReconcileClients($first: Int, $after: String) {
  clients(first: $first, after: $after) {
    edges { node { id margin { amount currency } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export class GraphError extends Error {}

interface Page<T> {
  edges: { node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * Every node of one root connection, 100 a page. Any GraphQL error (a field the caller may not read included) fails
 * the whole read: a partial answer would reconcile against nulls.
 */
async function fetchAll<T>(url: string, headers: Record<string, string>, query: string, root: string): Promise<T[]> {
  const nodes: T[] = [];
  let after: string | null = null;
  do {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify({ query, variables: { first: 100, after } }),
    });
    const text = await response.text();
    let body: { data?: Record<string, Page<T>> | null; errors?: { message: string; path?: unknown[]; extensions?: { code?: string } }[] };
    try {
      body = JSON.parse(text);
    } catch {
      throw new GraphError(`the gateway answered ${response.status} with no JSON: ${text.slice(0, 200)}`);
    }
    if (body.errors?.length || !body.data) {
      const first = body.errors?.[0];
      throw new GraphError(
        `the gateway answered ${response.status} with ${body.errors?.length ?? 0} error(s)` +
          (first ? `, first: ${first.extensions?.code ?? ''} ${first.message} at ${(first.path ?? []).join('.')}` : ''),
      );
    }
    const page = body.data[root];
    nodes.push(...page.edges.map((edge) => edge.node));
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  return nodes;
}

/** Every project's revenue, cost and margin as the graph answers them. */
export function fetchProjectFigures(url: string, headers: Record<string, string>): Promise<ProjectFigures[]> {
  return fetchAll<ProjectFigures>(url, headers, PROJECT_FIGURES_QUERY, 'projects');
}

/** Every legal entity's revenueRecognized and margin as the graph answers them. */
export function fetchLegalEntityFigures(url: string, headers: Record<string, string>): Promise<OwnerFigures[]> {
  return fetchAll<OwnerFigures>(url, headers, LEGAL_ENTITY_FIGURES_QUERY, 'legalEntities');
}

/** Every client's margin as the graph answers it (revenueRecognized stays undefined: the graph has none per client). */
export function fetchClientFigures(url: string, headers: Record<string, string>): Promise<OwnerFigures[]> {
  return fetchAll<OwnerFigures>(url, headers, CLIENT_FIGURES_QUERY, 'clients');
}
