import { composeServices } from '@apollo/composition';
import { GraphQLError, Source, parse, type DocumentNode } from 'graphql';
import type { SubgraphEndpoint } from '../config';

/** One subgraph's schema as fetched from its `{ _service { sdl } }`. */
export interface SubgraphSdl extends SubgraphEndpoint {
  sdl: string;
}

/** One composition error, attributed to the subgraph(s) it names. */
export interface CompositionProblem {
  /** subgraph names the error concerns (empty when composition could not tell) */
  subgraphs: string[];
  code: string;
  message: string;
}

/**
 * Composition failed: the message lists, per subgraph, each error with its code, so whoever starts the gateway
 * sees at once which subgraph to fix.
 */
export class CompositionError extends Error {
  constructor(
    readonly problems: CompositionProblem[],
    endpoints: readonly SubgraphEndpoint[],
  ) {
    super(formatProblems(problems, endpoints));
    this.name = 'CompositionError';
  }
}

/** A subgraph could not give its SDL before the start timeout (down, or not a federation subgraph). */
export class SubgraphSdlError extends Error {
  constructor(
    readonly subgraph: string,
    readonly url: string,
    reason: string,
  ) {
    super(`Could not load the schema of subgraph "${subgraph}" (${url}): ${reason}`);
    this.name = 'SubgraphSdlError';
  }
}

/** Several subgraphs could not give their SDL. */
export class SubgraphsUnavailableError extends Error {
  constructor(readonly reasons: string[]) {
    super(`Could not load the schemas of ${reasons.length} subgraphs:\n  ${reasons.join('\n  ')}`);
    this.name = 'SubgraphsUnavailableError';
  }
}

export interface FetchSdlOptions {
  /** give up at this epoch millisecond (retrying with backoff until then) */
  deadline: number;
  /** extra request headers (e.g. a context token subgraphs require) */
  headers?: Record<string, string>;
  /** called before each retry, for logs */
  onRetry?: (endpoint: SubgraphEndpoint, attempt: number, reason: string) => void;
}

export interface ComposeOptions {
  subgraphs: readonly SubgraphEndpoint[];
  /** how long to wait for every subgraph to answer (default 60 s) */
  timeoutMs?: number;
  headers?: Record<string, string>;
  onRetry?: FetchSdlOptions['onRetry'];
}

export interface ComposedSupergraph {
  supergraphSdl: string;
  subgraphs: SubgraphSdl[];
}

const SDL_QUERY = JSON.stringify({ query: 'query __ApolloGetServiceDefinition__ { _service { sdl } }' });
const MAX_ATTEMPT_MS = 5_000;
const MAX_BACKOFF_MS = 2_000;
const MIN_ATTEMPT_MS = 50;

class PermanentFailure extends Error {}

async function fetchSdlOnce(endpoint: SubgraphEndpoint, timeoutMs: number, headers: Record<string, string>): Promise<string> {
  const response = await fetch(endpoint.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
    body: SDL_QUERY,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  if (response.status >= 500) {
    throw new Error(`HTTP ${response.status}`);
  }
  let body: { data?: { _service?: { sdl?: unknown } | null } | null; errors?: { message?: string }[] };
  try {
    body = JSON.parse(text);
  } catch {
    throw new PermanentFailure(`HTTP ${response.status} with a non-JSON body`);
  }
  const sdl = body.data?._service?.sdl;
  if (typeof sdl === 'string') {
    return sdl;
  }
  const messages = (body.errors ?? []).map((error) => error.message).filter(Boolean);
  throw new PermanentFailure(
    `HTTP ${response.status}, no _service.sdl in the answer${messages.length ? `: ${messages.join('; ')}` : ' (is it a federation subgraph?)'}`,
  );
}

function describe(error: unknown): string {
  // Duck-typed: fetch's errors come from undici's realm (a DOMException on timeout), not always `instanceof Error`.
  const failure = error as { name?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } } | null;
  if (failure?.name === 'TimeoutError') {
    return 'timed out';
  }
  const detail = failure?.cause?.code ?? failure?.cause?.message ?? failure?.message;
  return typeof detail === 'string' ? detail : String(error);
}

/** Fetches one subgraph's SDL, retrying with exponential backoff until the deadline. */
export async function fetchSubgraphSdl(endpoint: SubgraphEndpoint, options: FetchSdlOptions): Promise<SubgraphSdl> {
  let backoff = 100;
  let lastReason = 'no attempt made';
  for (let attempt = 1; ; attempt++) {
    const budget = Math.min(MAX_ATTEMPT_MS, options.deadline - Date.now());
    try {
      const sdl = await fetchSdlOnce(endpoint, Math.max(1, budget), options.headers ?? {});
      return { ...endpoint, sdl };
    } catch (error) {
      const reason = describe(error);
      if (error instanceof PermanentFailure) {
        throw new SubgraphSdlError(endpoint.name, endpoint.url, reason);
      }
      // An attempt cut short by the deadline says less than the failure before it.
      if (!(reason === 'timed out' && budget < MAX_ATTEMPT_MS && attempt > 1)) {
        lastReason = reason;
      }
      const wait = Math.min(backoff, options.deadline - Date.now());
      if (options.deadline - Date.now() - wait < MIN_ATTEMPT_MS) {
        throw new SubgraphSdlError(endpoint.name, endpoint.url, `still unreachable after ${attempt} attempts (last: ${lastReason})`);
      }
      options.onRetry?.(endpoint, attempt, reason);
      await new Promise((resolve) => setTimeout(resolve, wait));
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  }
}

function subgraphsNamedBy(error: GraphQLError, names: ReadonlySet<string>): string[] {
  const found = new Set<string>();
  const prefix = /^\[([^\]]+)\]/.exec(error.message);
  if (prefix && names.has(prefix[1])) {
    found.add(prefix[1]);
  }
  for (const node of error.nodes ?? []) {
    const source = node.loc?.source.name;
    if (source && names.has(source)) {
      found.add(source);
    }
  }
  // Merge errors name the subgraphs in prose: `in subgraph "orders"`, `from subgraphs "orders" and "users"`.
  for (const match of error.message.matchAll(/subgraphs? ((?:"[^"]+"(?:, | and | or )?)+)/g)) {
    for (const quoted of match[1].matchAll(/"([^"]+)"/g)) {
      if (names.has(quoted[1])) {
        found.add(quoted[1]);
      }
    }
  }
  return [...found].sort();
}

function formatProblems(problems: readonly CompositionProblem[], endpoints: readonly SubgraphEndpoint[]): string {
  const lines = [`Supergraph composition failed with ${problems.length} error${problems.length === 1 ? '' : 's'}:`];
  const groups = new Map<string, CompositionProblem[]>();
  for (const problem of problems) {
    for (const name of problem.subgraphs.length ? problem.subgraphs : ['']) {
      groups.set(name, [...(groups.get(name) ?? []), problem]);
    }
  }
  const urls = new Map(endpoints.map((endpoint) => [endpoint.name, endpoint.url]));
  for (const [name, list] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(name ? `  subgraph "${name}" (${urls.get(name) ?? 'unknown url'}):` : '  supergraph (no single subgraph):');
    for (const problem of list) {
      lines.push(`    - ${problem.code}: ${problem.message}`);
    }
  }
  return lines.join('\n');
}

/** Composes fetched SDLs into a supergraph SDL, or throws a CompositionError naming subgraph and errors. */
export function composeSupergraph(subgraphs: readonly SubgraphSdl[]): string {
  const names = new Set(subgraphs.map((subgraph) => subgraph.name));
  const problems: CompositionProblem[] = [];
  const services: { name: string; url: string; typeDefs: DocumentNode }[] = [];
  for (const subgraph of subgraphs) {
    try {
      // Naming the source after the subgraph lets errors point back at it.
      services.push({ name: subgraph.name, url: subgraph.url, typeDefs: parse(new Source(subgraph.sdl, subgraph.name)) });
    } catch (error) {
      problems.push({
        subgraphs: [subgraph.name],
        code: 'INVALID_GRAPHQL',
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
  if (problems.length) {
    throw new CompositionError(problems, subgraphs);
  }
  const result = composeServices(services);
  if (result.errors) {
    throw new CompositionError(
      result.errors.map((error) => ({
        subgraphs: subgraphsNamedBy(error, names),
        code: typeof error.extensions.code === 'string' ? error.extensions.code : 'COMPOSITION_ERROR',
        message: error.message,
      })),
      subgraphs,
    );
  }
  return result.supergraphSdl;
}

/**
 * Fetches every subgraph's SDL (in parallel, each retried with backoff until the timeout) and composes them.
 * Unlike IntrospectAndCompose it never exits the process: failures are thrown as errors that name the subgraph.
 */
export async function composeFromSubgraphs(options: ComposeOptions): Promise<ComposedSupergraph> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const settled = await Promise.allSettled(
    options.subgraphs.map((endpoint) => fetchSubgraphSdl(endpoint, { deadline, headers: options.headers, onRetry: options.onRetry })),
  );
  const failures = settled.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
  if (failures.length === 1) {
    throw failures[0];
  }
  if (failures.length > 1) {
    throw new SubgraphsUnavailableError(failures.map((failure) => (failure instanceof Error ? failure.message : String(failure))));
  }
  const subgraphs = settled.map((result) => (result as PromiseFulfilledResult<SubgraphSdl>).value);
  return { supergraphSdl: composeSupergraph(subgraphs), subgraphs };
}
