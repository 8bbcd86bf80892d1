import { createHash } from 'node:crypto';
import type { GatewayExecutor, GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import {
  GraphQLError,
  Kind,
  getVariableValues,
  parse,
  print,
  validate,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { ErrorCode, type Logger } from '@concord/common';
import { GatewayErrorCode, GatewayRequestError, asRequestError, type RequestErrorDetail } from '../http/request-error';
import { GenerationalCache } from './generational-cache';
import type { GatewayRequestContext, GatewayResult, OperationStep, OperationStepResult, OperationType } from './pipeline.types';
import { queryDepth } from './query-depth';

/** A GraphQL request as read from the HTTP body or query string. */
export interface GraphQLParams {
  query: string;
  operationName: string | null;
  variables: Record<string, unknown> | null;
  extensions: Record<string, unknown> | null;
}

export interface OperationPipelineOptions {
  maxDepth: number;
  maxTokens: number;
  steps: readonly OperationStep[];
  logger: Logger;
  /** distinct documents kept parsed and validated, per generation */
  documentCacheSize?: number;
  /**
   * Identical queries in flight at the same time (same document after the steps, same variables, same caller)
   * run once and every waiter gets the answer: what a burst of the same dashboard query costs is one execution.
   */
  coalesceQueries?: boolean;
}

type Execution = Awaited<ReturnType<GatewayExecutor>>;

/** A parsed, size-checked and validated document, shared by every request that sends the same text. */
interface PreparedDocument {
  document: DocumentNode;
  hash: string;
  operations: OperationDefinitionNode[];
}

export interface ExecutedOperation {
  result: GatewayResult;
  /** the operation's type and name once resolved (for metrics and logs) */
  operationType: OperationType;
  operationName: string | null;
}

// graphql-js spells it "more that N tokens"; accept the corrected spelling too.
const TOKEN_LIMIT = /Document contains more tha[nt] \d+ tokens/;
const NO_LOCATION_ERROR_FIELDS = new Set(['stacktrace', 'exception']);

/** The errors are immutable GraphQLErrors and stay shared; the data is copied. */
function copyOf(execution: Execution): Execution {
  return { ...execution, data: execution.data ? structuredClone(execution.data) : execution.data };
}

/** Who the result is for: coalescing never hands one caller's answer to another. */
/**
 * True when an error's path ends at a key its (existing) parent object in the response does not have: a field the
 * operation did not select. A selected field that failed is always there, as null.
 */
function isAtUnselectedPath(data: Record<string, unknown> | null | undefined, path: readonly (string | number)[] | undefined): boolean {
  if (!data || !path || path.length < 2) {
    return false;
  }
  let parent: unknown = data;
  for (const key of path.slice(0, -1)) {
    if (parent === null || typeof parent !== 'object') {
      return false;
    }
    parent = (parent as Record<string | number, unknown>)[key];
  }
  const last = path[path.length - 1]!;
  return parent !== null && typeof parent === 'object' && !Array.isArray(parent) && !Object.hasOwn(parent, last);
}

function callerKey(context: GatewayRequestContext): string {
  const caller = context.caller;
  return caller ? `${caller.sub}\u0000${[...caller.roles].sort().join(',')}` : 'anonymous';
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function detail(error: GraphQLError, code: string): RequestErrorDetail {
  return { message: error.message, ...(error.locations ? { locations: error.locations } : {}), extensions: { ...error.extensions, code } };
}

/** Formats one execution error for the client: GraphQL errors keep message, path and code; others are masked. */
export function formatExecutionError(error: unknown, logger: Logger, correlationId: string): GraphQLFormattedError {
  if (error instanceof GraphQLError) {
    const formatted = error.toJSON();
    const extensions = formatted.extensions;
    if (extensions && Object.keys(extensions).some((key) => NO_LOCATION_ERROR_FIELDS.has(key))) {
      const { stacktrace: _stacktrace, exception: _exception, ...safe } = extensions as Record<string, unknown>;
      return { ...formatted, extensions: safe };
    }
    return formatted;
  }
  logger.error({ correlationId, err: error }, 'unexpected error while executing an operation');
  return { message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}

/**
 * Everything between an HTTP request and the federated executor: parse (token limit), depth limit, validation
 * (all cached per document text), operation resolution, variable checks, then the OperationSteps, then the
 * @apollo/gateway executor (which caches query plans by the hash given here).
 */
export class OperationPipeline {
  private schema: GraphQLSchema | undefined;
  private executor: GatewayExecutor | undefined;
  private readonly documents: GenerationalCache<string, PreparedDocument | GatewayRequestError>;
  private readonly inFlight = new Map<string, { promise: Promise<Execution>; shared: boolean }>();
  private readonly apolloLogger;

  constructor(private readonly options: OperationPipelineOptions) {
    this.documents = new GenerationalCache(options.documentCacheSize ?? 1_000);
    const logger = options.logger;
    this.apolloLogger = {
      debug: (message: unknown) => logger.debug(String(message)),
      info: (message: unknown) => logger.info(String(message)),
      warn: (message: unknown) => logger.warn(String(message)),
      error: (message: unknown) => logger.error(String(message)),
    };
  }

  get ready(): boolean {
    return this.executor !== undefined;
  }

  /** A new supergraph: documents validated against the old API schema are forgotten. */
  useSchema(schema: GraphQLSchema, executor: GatewayExecutor): void {
    this.schema = schema;
    this.executor = executor;
    this.documents.clear();
  }

  /**
   * Runs one GraphQL request. Throws GatewayRequestError when it cannot be executed (the HTTP layer maps it to a
   * status); returns the result, possibly partial, otherwise.
   */
  async execute(params: GraphQLParams, context: GatewayRequestContext, allowMutation: boolean): Promise<ExecutedOperation> {
    const schema = this.schema;
    const executor = this.executor;
    if (!schema || !executor) {
      throw GatewayRequestError.transport(503, ErrorCode.SERVICE_UNAVAILABLE, 'The gateway has not loaded a supergraph yet');
    }
    const prepared = this.prepare(params.query, schema);
    let operation = this.resolveOperation(prepared.operations, params.operationName);
    const operationType = operation.operation as OperationType;
    context.operationType = operationType;
    context.operationName = operation.name?.value ?? null;
    if (operationType === 'mutation' && !allowMutation) {
      throw GatewayRequestError.transport(405, GatewayErrorCode.METHOD_NOT_ALLOWED, 'Mutations are only accepted over POST', {
        allow: 'POST',
      });
    }
    if (operationType === 'subscription') {
      throw GatewayRequestError.graphql(GatewayErrorCode.BAD_REQUEST, [{ message: 'Subscriptions are not supported by the gateway' }]);
    }
    const variables = params.variables ?? {};
    if (operation.variableDefinitions?.length) {
      let coerced: ReturnType<typeof getVariableValues>;
      try {
        coerced = getVariableValues(schema, operation.variableDefinitions, variables, { maxErrors: 20 });
      } catch {
        // e.g. a stack overflow on absurdly nested input values: still the caller's input, not a server error
        throw GatewayRequestError.graphql(ErrorCode.BAD_USER_INPUT, [
          { message: 'The variables could not be read', extensions: { code: ErrorCode.BAD_USER_INPUT } },
        ]);
      }
      if (coerced.errors) {
        throw GatewayRequestError.graphql(
          ErrorCode.BAD_USER_INPUT,
          coerced.errors.map((error) => detail(error, ErrorCode.BAD_USER_INPUT)),
        );
      }
    }

    let document = prepared.document;
    let hash = prepared.hash;
    let stepErrors: GraphQLFormattedError[] | undefined;
    let finalizers: NonNullable<OperationStepResult['onResult']>[] | undefined;
    let observers: NonNullable<OperationStepResult['observeResult']>[] | undefined;
    for (const step of this.options.steps) {
      let outcome: OperationStepResult | void;
      try {
        outcome = await step.run({ schema, document, operation, variables, context });
      } catch (error) {
        const refusal = asRequestError(error);
        if (refusal.status >= 500) {
          this.options.logger.error({ correlationId: context.correlationId, step: step.name, err: error }, 'operation step failed');
        }
        throw refusal;
      }
      if (!outcome) {
        continue;
      }
      if (outcome.document && outcome.document !== document) {
        document = outcome.document;
        hash = outcome.documentKey !== undefined ? `${hash}:${outcome.documentKey}` : sha256(print(document));
        operation = this.resolveOperation(this.operationsOf(document), context.operationName);
      }
      if (outcome.errors?.length) {
        (stepErrors ??= []).push(...outcome.errors);
      }
      if (outcome.onResult) {
        (finalizers ??= []).push(outcome.onResult);
      }
      if (outcome.observeResult) {
        (observers ??= []).push(outcome.observeResult);
      }
    }
    context.operationHash = hash;

    const requestContext = {
      request: {
        query: params.query,
        operationName: context.operationName ?? undefined,
        variables,
        extensions: params.extensions ?? undefined,
      },
      logger: this.apolloLogger,
      schema,
      schemaHash: '',
      context,
      cache: undefined,
      queryHash: hash,
      document,
      source: params.query,
      operationName: context.operationName,
      operation,
      metrics: {},
      overallCachePolicy: undefined,
    } as unknown as GatewayGraphQLRequestContext;

    let execution;
    try {
      execution =
        operationType === 'query' && this.options.coalesceQueries !== false
          ? await this.coalesced(`${hash}\u0000${callerKey(context)}\u0000${JSON.stringify(variables)}`, finalizers !== undefined, () =>
              executor(requestContext),
            )
          : await executor(requestContext);
    } catch (error) {
      if (error instanceof GraphQLError) {
        // The planner refuses some valid-looking operations (e.g. selection explosions): a request error, not a crash.
        throw GatewayRequestError.graphql(GatewayErrorCode.GRAPHQL_VALIDATION_FAILED, [
          detail(error, GatewayErrorCode.GRAPHQL_VALIDATION_FAILED),
        ]);
      }
      this.options.logger.error({ correlationId: context.correlationId, err: error }, 'query planning or execution failed');
      throw new GatewayRequestError('refused', 500, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
    }

    let result: GatewayResult = { data: execution.data };
    if (execution.errors?.length || stepErrors) {
      const errors: GraphQLFormattedError[] = stepErrors ?? [];
      for (const error of execution.errors ?? []) {
        if (isAtUnselectedPath(execution.data, error.path)) {
          // a field the planner fetched for itself (a @requires dependency such as costToDate for margin) and the
          // subgraph refused: the client did not ask for it, and its own field carries its own error
          continue;
        }
        errors.push(formatExecutionError(error, this.options.logger, context.correlationId));
      }
      if (errors.length) {
        result.errors = errors;
      }
    }
    if (execution.extensions && Object.keys(execution.extensions).length) {
      result.extensions = execution.extensions;
    }
    for (const finalize of finalizers ?? []) {
      result = finalize(result) ?? result;
    }
    for (const observe of observers ?? []) {
      try {
        observe(result);
      } catch (error) {
        // an observer's failure must not cost the caller their answer
        this.options.logger.error({ correlationId: context.correlationId, err: error }, 'result observer failed');
      }
    }
    return { result, operationType, operationName: context.operationName };
  }

  /**
   * Runs `execute` unless the same key is already running; then it shares the leader's execution (and so its subgraph
   * fetches, which carry the leader's correlation id). A request whose steps rewrite the result (`mutates`) gets its
   * own copy of the data, and once an execution is shared the leader does too, so the shared data is never changed.
   */
  private async coalesced(key: string, mutates: boolean, execute: () => Promise<Execution>): Promise<Execution> {
    const running = this.inFlight.get(key);
    if (running) {
      running.shared = true;
      const shared = await running.promise;
      return mutates ? copyOf(shared) : shared;
    }
    const entry = { promise: execute(), shared: false };
    this.inFlight.set(key, entry);
    try {
      const execution = await entry.promise;
      return entry.shared && mutates ? copyOf(execution) : execution;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private prepare(query: string, schema: GraphQLSchema): PreparedDocument {
    const cached = this.documents.get(query);
    if (cached instanceof GatewayRequestError) {
      throw cached;
    }
    if (cached) {
      return cached;
    }
    let prepared: PreparedDocument | GatewayRequestError;
    try {
      prepared = this.prepareUncached(query, schema);
    } catch (error) {
      if (!(error instanceof GatewayRequestError)) {
        throw error;
      }
      prepared = error;
    }
    this.documents.set(query, prepared);
    if (prepared instanceof GatewayRequestError) {
      throw prepared;
    }
    return prepared;
  }

  private prepareUncached(query: string, schema: GraphQLSchema): PreparedDocument {
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: this.options.maxTokens });
    } catch (error) {
      if (!(error instanceof GraphQLError)) {
        throw error;
      }
      if (TOKEN_LIMIT.test(error.message)) {
        throw GatewayRequestError.graphql(GatewayErrorCode.QUERY_TOO_LARGE, [
          {
            message: `The operation is too large: more than ${this.options.maxTokens} tokens`,
            extensions: { code: GatewayErrorCode.QUERY_TOO_LARGE, maxTokens: this.options.maxTokens },
          },
        ]);
      }
      throw GatewayRequestError.graphql(GatewayErrorCode.GRAPHQL_PARSE_FAILED, [detail(error, GatewayErrorCode.GRAPHQL_PARSE_FAILED)]);
    }
    const depth = queryDepth(document);
    if (depth > this.options.maxDepth) {
      throw GatewayRequestError.graphql(GatewayErrorCode.QUERY_TOO_DEEP, [
        {
          message: `The operation is too deep: depth ${depth} exceeds the limit of ${this.options.maxDepth}`,
          extensions: { code: GatewayErrorCode.QUERY_TOO_DEEP, depth, maxDepth: this.options.maxDepth },
        },
      ]);
    }
    const errors = validate(schema, document, undefined, { maxErrors: 20 });
    if (errors.length) {
      throw GatewayRequestError.graphql(
        GatewayErrorCode.GRAPHQL_VALIDATION_FAILED,
        errors.map((error) => detail(error, GatewayErrorCode.GRAPHQL_VALIDATION_FAILED)),
      );
    }
    return { document, hash: sha256(query), operations: this.operationsOf(document) };
  }

  private operationsOf(document: DocumentNode): OperationDefinitionNode[] {
    return document.definitions.filter(
      (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
    );
  }

  private resolveOperation(operations: readonly OperationDefinitionNode[], operationName: string | null): OperationDefinitionNode {
    if (operationName) {
      const named = operations.find((operation) => operation.name?.value === operationName);
      if (named) {
        return named;
      }
      throw GatewayRequestError.graphql(GatewayErrorCode.OPERATION_RESOLUTION_FAILURE, [
        { message: `Unknown operation named "${operationName}"`, extensions: { code: GatewayErrorCode.OPERATION_RESOLUTION_FAILURE } },
      ]);
    }
    if (operations.length === 1) {
      return operations[0];
    }
    throw GatewayRequestError.graphql(GatewayErrorCode.OPERATION_RESOLUTION_FAILURE, [
      {
        message: 'The document has several operations: operationName is required',
        extensions: { code: GatewayErrorCode.OPERATION_RESOLUTION_FAILURE },
      },
    ]);
  }
}
