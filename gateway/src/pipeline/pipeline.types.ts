import type { IncomingHttpHeaders } from 'node:http';
import type { DocumentNode, GraphQLFormattedError, GraphQLSchema, OperationDefinitionNode } from 'graphql';

/**
 * The gateway's request pipeline, in order:
 *
 *   HTTP (method, media types, body limit) → authenticate → parse (token limit) → depth limit → validate →
 *   resolve operation → coerce variables → OperationSteps (before planning) → plan (cached) → execute, where each
 *   subgraph fetch passes through the SubgraphFetchHooks → OperationStep.onResult → HTTP response.
 *
 * Extension points are plain objects given to `startGateway` (`authenticate`, `operationSteps`, `subgraphFetchHooks`,
 * `healthChecks`), so the policy enforcement point plugs in without changing the gateway.
 */

/** Who is calling, as established by the Authenticator. */
export interface Caller {
  sub: string;
  roles: string[];
  /** the verified token claims, for steps that need more than sub and roles */
  claims?: Record<string, unknown>;
}

export type OperationType = 'query' | 'mutation' | 'subscription';

/**
 * Per-request facts, created once per HTTP request and handed to every step and hook (the gateway does not use
 * AsyncLocalStorage on its hot path; read the correlation id from here).
 */
export interface GatewayRequestContext {
  readonly correlationId: string;
  /** the incoming HTTP request headers (lower-case names) */
  readonly headers: IncomingHttpHeaders;
  caller: Caller | undefined;
  operationName: string | null;
  operationType: OperationType | undefined;
  /** the final query hash (after steps rewrote the document): stable id of the executed operation */
  operationHash: string | undefined;
  /** scratch space for extensions, keyed by the step's name */
  readonly state: Record<string, unknown>;
}

/**
 * Establishes the caller from the request headers. Throw `GatewayRequestError.refused(ErrorCode.UNAUTHENTICATED, …)`
 * (→ 401) to refuse; return undefined for an anonymous caller.
 */
export type Authenticator = (
  headers: IncomingHttpHeaders,
  context: GatewayRequestContext,
) => Caller | undefined | Promise<Caller | undefined>;

/** What an OperationStep sees: the validated operation, before query planning. */
export interface OperationStepInput {
  /** the API schema the document was validated against */
  readonly schema: GraphQLSchema;
  /** the parsed document (shared, cached: never mutate it; return a new one to rewrite) */
  readonly document: DocumentNode;
  /** the operation that will run (operationName resolved) */
  readonly operation: OperationDefinitionNode;
  /** raw variables from the request (already checked against the operation's variable definitions) */
  readonly variables: Readonly<Record<string, unknown>>;
  readonly context: GatewayRequestContext;
}

/** The response as it will be sent; `onResult` may change it (e.g. put null and an error at removed fields). */
export interface GatewayResult {
  data?: Record<string, unknown> | null;
  errors?: GraphQLFormattedError[];
  extensions?: Record<string, unknown>;
}

export interface OperationStepResult {
  /** a rewritten document (e.g. without the fields the caller may not read); it is planned instead of the original */
  document?: DocumentNode;
  /**
   * a short key that identifies the rewrite (e.g. the removed coordinates): the plan cache key becomes
   * `hash(original) + key`, which spares printing and hashing the new document on every request
   */
  documentKey?: string;
  /** errors to add to the response (e.g. one FORBIDDEN_FIELD per removed path) */
  errors?: GraphQLFormattedError[];
  /** called with the response before it is sent; may return a replacement */
  onResult?: (result: GatewayResult) => GatewayResult | void;
  /**
   * called with the final response (after every onResult) to look at it, never to change it (e.g. recording which
   * ids of classified fields were read); unlike onResult it does not make a shared execution copy its data
   */
  observeResult?: (result: Readonly<GatewayResult>) => void;
}

/**
 * A named step that runs after validation and before query planning. Return a rewrite, or nothing to let the
 * operation through unchanged; throw `GatewayRequestError.refused(...)` (or a ConcordError) to refuse it.
 * Steps run in the order given; each sees the document the previous one produced.
 */
export interface OperationStep {
  readonly name: string;
  run(input: OperationStepInput): OperationStepResult | void | Promise<OperationStepResult | void>;
}

/** One fetch from the gateway to a subgraph, as seen by the SubgraphFetchHooks. */
export interface SubgraphRequest {
  readonly subgraph: string;
  readonly url: string;
  readonly query: string;
  readonly operationName: string | undefined;
  readonly variables: Readonly<Record<string, unknown>> | undefined;
  readonly kind: 'query' | 'mutation';
  /** headers sent to the subgraph; hooks add theirs (e.g. a signed context token) */
  readonly headers: Record<string, string>;
  /**
   * Identical concurrent query fetches are shared when they have the same subgraph, query, variables, caller and
   * varyKey. A hook that makes the subgraph's answer depend on anything else sets varyKey.
   */
  varyKey: string;
  /** the incoming request's context; undefined for fetches the gateway makes on its own (health probes) */
  readonly context: GatewayRequestContext | undefined;
}

export interface SubgraphFetchResult {
  readonly durationMs: number;
  readonly outcome: 'ok' | 'error' | 'timeout';
  /** HTTP status of the subgraph's answer, if there was one */
  readonly status: number | undefined;
  /** why the fetch failed, for logs */
  readonly error: string | undefined;
  /** true when this fetch shared another identical in-flight fetch instead of going to the subgraph */
  readonly shared: boolean;
}

/** Runs around every subgraph fetch: sign the request before, time and record it after. */
export interface SubgraphFetchHook {
  beforeFetch?(request: SubgraphRequest): void | Promise<void>;
  afterFetch?(request: SubgraphRequest, result: SubgraphFetchResult): void;
}

/** Contributes to /health: e.g. the policy bundle's state. The gateway is ready only when every check is ready. */
export interface HealthCheck {
  readonly name: string;
  check(): HealthCheckResult | Promise<HealthCheckResult>;
}

export interface HealthCheckResult {
  /** false → /health answers 503 */
  ready: boolean;
  /** true → status "degraded" (still 200) */
  degraded?: boolean;
  details?: Record<string, unknown>;
}
