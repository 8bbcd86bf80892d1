import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GraphQLFormattedError } from 'graphql';
import { CORRELATION_HEADER, ErrorCode, type Logger } from '@concord/common';
import { SubgraphFailureCode, serviceFaultCode } from '../metrics/fault-codes';
import type { GatewayMetrics, SubgraphOutcome } from '../metrics/gateway-metrics';
import type { SlaRecorder } from '../metrics/sla-recorder';
import type { GatewayRequestContext, SubgraphFetchHook, SubgraphFetchResult, SubgraphRequest } from '../pipeline/pipeline.types';
import { MAX_FAILURE_PATHS, failurePaths } from './failure-paths';

export interface SubgraphDataSourceOptions {
  name: string;
  url: string;
  /** total time for one fetch, from sending to the last byte of the answer */
  timeoutMs: number;
  /** keep-alive sockets per subgraph */
  maxSockets: number;
  hooks: readonly SubgraphFetchHook[];
  metrics: GatewayMetrics;
  /** SLA samples (SLA_REPORTING), when on */
  sla?: SlaRecorder;
  logger: Logger;
  /** share identical in-flight query fetches */
  dedupe: boolean;
}

interface RawAnswer {
  status: number;
  body: string;
}

type FailureReason = 'timeout' | 'unreachable' | 'bad_response';

class SubgraphFetchError extends Error {
  constructor(
    readonly reason: FailureReason,
    message: string,
  ) {
    super(message);
  }
}

export interface ProbeResult {
  up: boolean;
  latencyMs: number;
  error?: string;
}

const MUTATION = /^\s*mutation\b/;
const ACCEPT = 'application/graphql-response+json, application/json';
const PROBE_BODY = '{"query":"query __ConcordHealthProbe__ { __typename }"}';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The gateway's connection to one subgraph: node:http over a keep-alive agent (a small pool of warm sockets,
 * LIFO so idle ones expire), a per-subgraph timeout, the fetch hooks around every request, metrics, sharing of
 * identical in-flight queries, and — when the subgraph is down, slow or answers garbage — an error at each
 * path the fetch would have filled instead of failing the whole operation.
 */
export class SubgraphDataSource implements GraphQLDataSource {
  readonly name: string;
  readonly url: string;
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;
  private readonly requestOptions: http.RequestOptions;
  private readonly inFlight = new Map<string, Promise<RawAnswer>>();
  /** fetches running now (a retired source closes its sockets once this reaches 0) */
  private active = 0;
  private onIdle: (() => void) | undefined;

  constructor(private readonly options: SubgraphDataSourceOptions) {
    this.name = options.name;
    this.url = options.url;
    const target = new URL(options.url);
    const secure = target.protocol === 'https:';
    this.transport = secure ? https : http;
    const agentOptions = {
      keepAlive: true,
      keepAliveMsecs: 1_000,
      maxSockets: options.maxSockets,
      maxFreeSockets: options.maxSockets,
      scheduling: 'lifo' as const,
    };
    this.agent = secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
    this.requestOptions = {
      protocol: target.protocol,
      hostname: target.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: target.port || (secure ? 443 : 80),
      path: `${target.pathname}${target.search}`,
      method: 'POST',
      agent: this.agent,
    };
  }

  async process(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    this.active++;
    try {
      return await this.fetch(options);
    } finally {
      if (--this.active === 0) {
        this.onIdle?.();
      }
    }
  }

  private async fetch(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    // Only fetches made for an incoming operation carry its context (the enum naming the kinds is not exported).
    const context = 'incomingRequestContext' in options ? (options.incomingRequestContext.context as GatewayRequestContext) : undefined;
    const { query = '', operationName, variables } = options.request;
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: ACCEPT };
    if (context) {
      headers[CORRELATION_HEADER] = context.correlationId;
    }
    const request: SubgraphRequest = {
      subgraph: this.name,
      url: this.url,
      query,
      operationName,
      variables,
      kind: MUTATION.test(query) ? 'mutation' : 'query',
      headers,
      varyKey: '',
      context,
    };
    await this.runBeforeHooks(request);

    const started = performance.now();
    let shared = false;
    let answer: RawAnswer | undefined;
    let failure: SubgraphFetchError | undefined;
    try {
      const body = JSON.stringify({ query, operationName, variables });
      if (this.options.dedupe && request.kind === 'query') {
        const key = this.dedupeKey(request, body);
        const pending = this.inFlight.get(key);
        if (pending) {
          shared = true;
          answer = await pending;
        } else {
          const sending = this.send(body, headers, true);
          this.inFlight.set(key, sending);
          try {
            answer = await sending;
          } finally {
            this.inFlight.delete(key);
          }
        }
      } else {
        answer = await this.send(body, headers, request.kind === 'query');
      }
    } catch (error) {
      failure = error instanceof SubgraphFetchError ? error : new SubgraphFetchError('unreachable', String(error));
    }

    let response: GatewayGraphQLResponse | undefined;
    if (answer && !failure) {
      // Each consumer parses its own copy: the gateway merges into (mutates) the data it receives.
      response = this.parseAnswer(answer);
      if (!response) {
        failure = new SubgraphFetchError('bad_response', `answered HTTP ${answer.status} without a GraphQL response`);
      }
    }
    const durationMs = performance.now() - started;
    const errorCode = failureCode(failure, answer, response);
    const outcome: SubgraphOutcome = errorCode === undefined ? 'ok' : errorCode === SubgraphFailureCode.TIMEOUT ? 'timeout' : 'error';
    this.measure(shared, context !== undefined, outcome, durationMs, errorCode, response);
    if (this.options.hooks.length) {
      const result: SubgraphFetchResult = { durationMs, outcome, status: answer?.status, error: failure?.message, shared };
      for (const hook of this.options.hooks) {
        hook.afterFetch?.(request, result);
      }
    }
    if (failure || !response) {
      const reason = failure?.reason ?? 'bad_response';
      this.options.logger.warn(
        { correlationId: context?.correlationId, subgraph: this.name, reason, durationMs: Math.round(durationMs), error: failure?.message },
        'subgraph fetch failed',
      );
      return this.failureResponse(request, reason, failure?.message ?? 'no answer');
    }
    return response;
  }

  /**
   * Metrics and SLA samples count the fetches that reached the subgraph: one shared by identical in-flight fetches
   * counts once, for the fetch that went out (its waiters' operations carry the outcome in their own samples).
   */
  private measure(
    shared: boolean,
    forRequest: boolean,
    outcome: SubgraphOutcome,
    durationMs: number,
    errorCode: string | undefined,
    response: GatewayGraphQLResponse | undefined,
  ): void {
    const metrics = this.options.metrics;
    if (shared) {
      metrics.countSharedSubgraphFetch(this.name);
      return;
    }
    metrics.observeSubgraphFetch(this.name, outcome, durationMs / 1000, errorCode);
    if (response?.errors?.length) {
      metrics.countSubgraphGraphQLErrors(this.name, response.errors);
    }
    if (forRequest) {
      this.options.sla?.recordSubgraphFetch(this.name, durationMs, errorCode);
    }
  }

  /** A cheap reachability check for /health: any HTTP answer below 500 means the subgraph is up. */
  async probe(timeoutMs: number): Promise<ProbeResult> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: ACCEPT };
    const request: SubgraphRequest = {
      subgraph: this.name,
      url: this.url,
      query: 'query __ConcordHealthProbe__ { __typename }',
      operationName: '__ConcordHealthProbe__',
      variables: undefined,
      kind: 'query',
      headers,
      varyKey: '',
      context: undefined,
    };
    const started = performance.now();
    try {
      await this.runBeforeHooks(request);
      const answer = await this.send(PROBE_BODY, headers, true, timeoutMs);
      const latencyMs = Math.round((performance.now() - started) * 10) / 10;
      return answer.status < 500 ? { up: true, latencyMs } : { up: false, latencyMs, error: `HTTP ${answer.status}` };
    } catch (error) {
      return {
        up: false,
        latencyMs: Math.round((performance.now() - started) * 10) / 10,
        error: error instanceof Error ? error.message : String(error),
      };
    }
  }

  close(): void {
    this.agent.destroy();
  }

  /**
   * Closes once the fetches running now are done (a supergraph update replaced or dropped this source: operations
   * planned against the previous supergraph still finish through it), or after `graceMs` at the latest.
   */
  retire(graceMs: number): Promise<void> {
    if (this.active === 0) {
      this.close();
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.onIdle = undefined;
        this.close();
        resolve();
      };
      const timer = setTimeout(done, graceMs);
      timer.unref();
      this.onIdle = done;
    });
  }

  private async runBeforeHooks(request: SubgraphRequest): Promise<void> {
    for (const hook of this.options.hooks) {
      const pending = hook.beforeFetch?.(request);
      if (pending) {
        await pending;
      }
    }
  }

  private dedupeKey(request: SubgraphRequest, body: string): string {
    const caller = request.context?.caller;
    const callerKey = caller ? `${caller.sub}\u0000${caller.roles.join(',')}` : '';
    return `${callerKey}\u0001${request.varyKey}\u0001${body}`;
  }

  private parseAnswer(answer: RawAnswer): GatewayGraphQLResponse | undefined {
    let body: unknown;
    try {
      body = JSON.parse(answer.body);
    } catch {
      return undefined;
    }
    if (!isObject(body) || (!('data' in body) && !Array.isArray(body.errors))) {
      return undefined;
    }
    if (answer.status >= 300 && !Array.isArray(body.errors)) {
      return undefined;
    }
    return body as GatewayGraphQLResponse;
  }

  private failureResponse(request: SubgraphRequest, reason: FailureReason, detail: string): GatewayGraphQLResponse {
    const message =
      reason === 'timeout'
        ? `Subgraph "${this.name}" did not answer within ${this.options.timeoutMs} ms`
        : `Subgraph "${this.name}" is unavailable${reason === 'bad_response' ? ` (${detail})` : ''}`;
    const extensions = { code: ErrorCode.SERVICE_UNAVAILABLE, reason };
    const paths = failurePaths(request.query, request.variables);
    if (!paths.length) {
      return { data: null, errors: [{ message, extensions }] };
    }
    const errors: GraphQLFormattedError[] = paths.slice(0, MAX_FAILURE_PATHS).map((path) => ({ message, path, extensions }));
    if (paths.length > MAX_FAILURE_PATHS) {
      errors.push({ message: `${message} (${paths.length - MAX_FAILURE_PATHS} more paths affected)`, extensions });
    }
    return { data: null, errors };
  }

  /** POSTs one body; retries once when a reused keep-alive socket was closed under us (only for queries). */
  private send(body: string, headers: Record<string, string>, idempotent: boolean, timeoutMs = this.options.timeoutMs): Promise<RawAnswer> {
    return this.sendOnce(body, headers, timeoutMs).catch((error: unknown) => {
      if (idempotent && error instanceof StaleSocketError) {
        return this.sendOnce(body, headers, timeoutMs);
      }
      throw error instanceof StaleSocketError ? new SubgraphFetchError('unreachable', error.message) : error;
    });
  }

  private sendOnce(body: string, headers: Record<string, string>, timeoutMs: number): Promise<RawAnswer> {
    return new Promise<RawAnswer>((resolve, reject) => {
      let settled = false;
      const finish = (error: Error | undefined, answer?: RawAnswer) => {
        if (settled) {
          return;
        }
        settled = true;
        clearTimeout(timer);
        if (error) {
          reject(error);
        } else {
          resolve(answer!);
        }
      };
      const request = this.transport.request({
        ...this.requestOptions,
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
      });
      const timer = setTimeout(() => {
        finish(new SubgraphFetchError('timeout', `no answer within ${timeoutMs} ms`));
        request.destroy();
      }, timeoutMs);
      request.on('response', (response) => {
        response.setEncoding('utf8');
        let text = '';
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => finish(undefined, { status: response.statusCode ?? 0, body: text }));
        response.on('error', (error) => finish(new SubgraphFetchError('unreachable', error.message)));
      });
      request.on('error', (error: NodeJS.ErrnoException) => {
        if (request.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE')) {
          finish(new StaleSocketError(error.code));
        } else {
          finish(new SubgraphFetchError('unreachable', error.code ?? error.message));
        }
      });
      request.end(body);
    });
  }
}

class StaleSocketError extends Error {}

/**
 * Why a fetch failed, as a code (fault-codes.ts), or undefined when it succeeded: no answer (TIMEOUT, NETWORK), a
 * non-GraphQL answer (HTTP_5XX, BAD_RESPONSE), an HTTP error status (HTTP_5XX, HTTP_4XX), or a GraphQL answer with an
 * error that is the subgraph's fault (its code, e.g. INTERNAL_SERVER_ERROR; FORBIDDEN_FIELD or NOT_FOUND are not).
 */
function failureCode(
  failure: SubgraphFetchError | undefined,
  answer: RawAnswer | undefined,
  response: GatewayGraphQLResponse | undefined,
): string | undefined {
  const status = answer?.status ?? 0;
  if (failure) {
    switch (failure.reason) {
      case 'timeout':
        return SubgraphFailureCode.TIMEOUT;
      case 'unreachable':
        return SubgraphFailureCode.NETWORK;
      case 'bad_response':
        return status >= 500 ? SubgraphFailureCode.HTTP_5XX : SubgraphFailureCode.BAD_RESPONSE;
    }
  }
  if (status >= 500) {
    return SubgraphFailureCode.HTTP_5XX;
  }
  if (status >= 300) {
    return SubgraphFailureCode.HTTP_4XX;
  }
  return response?.errors?.length ? serviceFaultCode(response.errors) : undefined;
}
