import { CONTEXT_TOKEN_HEADER } from '@concord/policy';
import { testContextToken } from './test-identity';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/**
 * POSTs one GraphQL operation and returns the status with the parsed body. It sends a context token for TEST_CALLER,
 * so subgraphs answer it as if the gateway called; `asCaller(...)` in `headers` speaks for another caller,
 * NO_CONTEXT_TOKEN sends none (a header given as '' is left out).
 */
export async function postGraphQL<T = Record<string, any>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const sent: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json',
    [CONTEXT_TOKEN_HEADER]: headers[CONTEXT_TOKEN_HEADER] ?? testContextToken(),
  };
  for (const [name, value] of Object.entries(headers)) {
    if (value === '') {
      delete sent[name];
    } else {
      sent[name] = value;
    }
  }
  const response = await fetch(url, { method: 'POST', headers: sent, body: JSON.stringify({ query, variables }) });
  const text = await response.text();
  let body: Omit<GraphQLResponse<T>, 'status' | 'headers'>;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`non-JSON response ${response.status}: ${text.slice(0, 200)}`);
  }
  return { status: response.status, headers: response.headers, ...body };
}

/** Like postGraphQL but fails the test on any GraphQL error and returns data. */
export async function queryData<T = Record<string, any>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers?: Record<string, string>,
): Promise<T> {
  const result = await postGraphQL<T>(url, query, variables, headers);
  if (result.errors?.length || !result.data) {
    throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
  }
  return result.data;
}
