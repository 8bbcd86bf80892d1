/** One GraphQL error as the gateway answers it. */
export interface GraphQLErrorShape {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; reason?: string; coordinate?: string; [key: string]: unknown };
}

/** Data and the errors beside it: a field the policy withholds is null with a FORBIDDEN_FIELD error at its path. */
export interface GraphQLResult<T> {
  data: T;
  errors: GraphQLErrorShape[];
}

/** A request that produced no data: the whole operation failed (bad token, refused, unreachable). */
export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
    readonly errors: GraphQLErrorShape[] = [],
  ) {
    super(message);
    this.name = 'GraphQLRequestError';
  }
}

export const CLIENT_NAME = 'concord-console';
export const CLIENT_VERSION = '0.1.0';

export interface RequestOptions {
  url: string;
  token: string;
  signal?: AbortSignal;
  fetcher?: typeof fetch;
}

/** POSTs one operation to the gateway with the user's token, as the console client. */
export async function requestGraphQL<T>(
  query: string,
  variables: Record<string, unknown> | undefined,
  { url, token, signal, fetcher = fetch }: RequestOptions,
): Promise<GraphQLResult<T>> {
  let response: Response;
  try {
    response = await fetcher(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        authorization: `Bearer ${token}`,
        'apollographql-client-name': CLIENT_NAME,
        'apollographql-client-version': CLIENT_VERSION,
      },
      body: JSON.stringify({ query, variables }),
      signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') {
      throw error;
    }
    throw new GraphQLRequestError(`the gateway is unreachable (${url})`, 'NETWORK', 0);
  }
  let body: { data?: T | null; errors?: GraphQLErrorShape[] };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new GraphQLRequestError(`the gateway answered HTTP ${response.status} without JSON`, 'BAD_RESPONSE', response.status);
  }
  const errors = body.errors ?? [];
  if (body.data === undefined || body.data === null) {
    const first = errors[0];
    const code = first?.extensions?.code ?? (response.status === 401 ? 'UNAUTHENTICATED' : `HTTP_${response.status}`);
    throw new GraphQLRequestError(first?.message ?? `the gateway answered HTTP ${response.status}`, code, response.status, errors);
  }
  return { data: body.data, errors };
}

/** The paths ("client.projects.0.margin") the policy withheld from this caller. */
export function forbiddenPaths(errors: readonly GraphQLErrorShape[]): Set<string> {
  return new Set(
    errors.filter((error) => error.extensions?.code === 'FORBIDDEN_FIELD' && error.path).map((error) => error.path!.join('.')),
  );
}

/** Errors other than withheld fields: something the user should see. */
export const otherErrors = (errors: readonly GraphQLErrorShape[]): GraphQLErrorShape[] =>
  errors.filter((error) => error.extensions?.code !== 'FORBIDDEN_FIELD');
