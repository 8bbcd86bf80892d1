import type { ProjectFigures } from './rollup';

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

export class GraphError extends Error {}

interface ProjectsPage {
  projects: { edges: { node: ProjectFigures }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

/**
 * Every project's revenue, cost and margin as the graph answers them, 100 a page. Any GraphQL error (a field the
 * caller may not read included) fails the whole read: a partial answer would reconcile against nulls.
 */
export async function fetchProjectFigures(url: string, headers: Record<string, string>): Promise<ProjectFigures[]> {
  const projects: ProjectFigures[] = [];
  let after: string | null = null;
  do {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify({ query: PROJECT_FIGURES_QUERY, variables: { first: 100, after } }),
    });
    const text = await response.text();
    let body: { data?: ProjectsPage | null; errors?: { message: string; path?: unknown[]; extensions?: { code?: string } }[] };
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
    projects.push(...body.data.projects.edges.map((edge) => edge.node));
    after = body.data.projects.pageInfo.hasNextPage ? body.data.projects.pageInfo.endCursor : null;
  } while (after);
  return projects;
}
