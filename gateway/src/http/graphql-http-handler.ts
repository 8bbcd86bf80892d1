import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { CORRELATION_HEADER, ErrorCode, correlationIdFrom, type Logger } from '@concord/common';
import type { HealthMonitor } from '../health/health-monitor';
import { codeLabel, hasTimeout, serviceFaultCode } from '../metrics/fault-codes';
import { INVALID_OPERATION, type GatewayMetrics, type OperationOutcome } from '../metrics/gateway-metrics';
import type { SlaRecorder } from '../metrics/sla-recorder';
import type { GraphQLParams, OperationPipeline } from '../pipeline/operation-pipeline';
import type { Authenticator, GatewayRequestContext, GatewayResult } from '../pipeline/pipeline.types';
import {
  APPLICATION_JSON,
  CONTENT_TYPE_HEADER,
  GRAPHQL_RESPONSE_JSON,
  isJsonContentType,
  negotiateResponseType,
  type ResponseMediaType,
} from './media-types';
import { CLIENT_NAME_HEADER, clientHeader } from './client-headers';
import { GatewayErrorCode, GatewayRequestError, asRequestError } from './request-error';

export interface GraphQLHttpHandlerOptions {
  pipeline: OperationPipeline;
  metrics: GatewayMetrics;
  /** SLA samples (SLA_REPORTING), when on */
  sla?: SlaRecorder;
  health: HealthMonitor;
  logger: Logger;
  maxBodyBytes: number;
  authenticate?: Authenticator;
  /** origins allowed to call from a browser (CORS); empty = no CORS headers; '*' = any */
  corsOrigins: readonly string[];
  graphqlPath?: string;
}

const CORS_ALLOWED_HEADERS =
  'content-type, accept, authorization, x-correlation-id, apollographql-client-name, apollographql-client-version';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * GraphQL over HTTP on a bare node:http server: `POST /graphql` (JSON), `GET /graphql` (queries only),
 * `/health`, `/metrics`. Status codes follow the GraphQL-over-HTTP spec per response media type; bad input is
 * answered with a coded error, never a 500 or a stack trace.
 */
export class GraphQLHttpHandler {
  private readonly graphqlPath: string;

  constructor(private readonly options: GraphQLHttpHandlerOptions) {
    this.graphqlPath = options.graphqlPath ?? '/graphql';
  }

  /** The node:http request listener. */
  readonly listener = (request: IncomingMessage, response: ServerResponse): void => {
    this.route(request, response).catch((error: unknown) => {
      this.options.logger.error({ err: error }, 'unhandled error in the HTTP handler');
      if (!response.headersSent) {
        response.writeHead(500, { 'content-type': CONTENT_TYPE_HEADER[APPLICATION_JSON] });
        response.end('{"errors":[{"message":"Internal server error","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}');
      } else {
        response.destroy();
      }
    });
  };

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = request.url ?? '/';
    const queryStart = url.indexOf('?');
    const path = queryStart === -1 ? url : url.slice(0, queryStart);
    if (path === this.graphqlPath) {
      return this.graphql(request, response, queryStart === -1 ? '' : url.slice(queryStart + 1));
    }
    if (path === '/health') {
      const { httpStatus, body } = await this.options.health.report();
      this.send(
        response,
        httpStatus,
        { 'content-type': CONTENT_TYPE_HEADER[APPLICATION_JSON], 'cache-control': 'no-store' },
        JSON.stringify(body),
      );
      return;
    }
    if (path === '/metrics') {
      this.send(response, 200, { 'content-type': this.options.metrics.contentType() }, await this.options.metrics.render());
      return;
    }
    this.send(
      response,
      404,
      { 'content-type': CONTENT_TYPE_HEADER[APPLICATION_JSON] },
      JSON.stringify({ errors: [{ message: `Not found: ${path.slice(0, 200)}`, extensions: { code: GatewayErrorCode.NOT_FOUND } }] }),
    );
  }

  private async graphql(request: IncomingMessage, response: ServerResponse, search: string): Promise<void> {
    const started = performance.now();
    const headers = request.headers;
    const correlationId = correlationIdFrom(headers[CORRELATION_HEADER]);
    const responseHeaders: Record<string, string> = { [CORRELATION_HEADER]: correlationId };
    this.applyCors(headers.origin, responseHeaders);
    const method = request.method;

    if (method === 'OPTIONS' && this.options.corsOrigins.length) {
      responseHeaders['access-control-allow-methods'] = 'GET, POST, OPTIONS';
      responseHeaders['access-control-allow-headers'] = CORS_ALLOWED_HEADERS;
      responseHeaders['access-control-max-age'] = '600';
      this.send(response, 204, responseHeaders, '');
      return;
    }

    // Until negotiated, errors about the request itself go out as application/json.
    let mediaType: ResponseMediaType = APPLICATION_JSON;
    const context: GatewayRequestContext = {
      correlationId,
      headers,
      caller: undefined,
      operationName: null,
      operationType: undefined,
      operationHash: undefined,
      state: {},
    };
    try {
      if (method !== 'GET' && method !== 'POST') {
        request.resume();
        throw GatewayRequestError.transport(
          405,
          GatewayErrorCode.METHOD_NOT_ALLOWED,
          `Method ${method} is not allowed; use POST, or GET for queries`,
          {
            allow: 'GET, POST',
          },
        );
      }
      const negotiated = negotiateResponseType(headers.accept);
      if (!negotiated) {
        request.resume();
        throw GatewayRequestError.transport(
          406,
          GatewayErrorCode.NOT_ACCEPTABLE,
          `Cannot answer with any type in Accept "${String(headers.accept).slice(0, 200)}"; accept ${GRAPHQL_RESPONSE_JSON} or ${APPLICATION_JSON}`,
        );
      }
      mediaType = negotiated;
      const params = method === 'POST' ? await this.readPostParams(request) : this.readGetParams(search);
      if (this.options.authenticate) {
        context.caller = await this.authenticateCaller(headers, context);
      }
      const { result } = await this.options.pipeline.execute(params, context, method === 'POST');
      const outcome: OperationOutcome = !result.errors?.length ? 'ok' : result.data ? 'partial' : 'error';
      this.countErrors(result);
      // graphql-response+json: 200 once execution started; a response without data is a request error.
      const status = result.data === undefined && mediaType === GRAPHQL_RESPONSE_JSON ? 400 : 200;
      responseHeaders['content-type'] = CONTENT_TYPE_HEADER[mediaType];
      this.send(response, status, responseHeaders, serializeResult(result));
      const faultCode = outcome === 'ok' ? undefined : serviceFaultCode(result.errors!);
      this.observe(context, outcome, started, status, faultCode, faultCode !== undefined && hasTimeout(result.errors!));
    } catch (error) {
      const failure = asRequestError(error);
      const status = failure.kind === 'graphql' && mediaType === APPLICATION_JSON ? 200 : failure.status;
      for (const detail of failure.errors) {
        this.options.metrics.countError(detail.extensions?.code ?? failure.code);
      }
      responseHeaders['content-type'] = CONTENT_TYPE_HEADER[mediaType];
      Object.assign(responseHeaders, failure.headers);
      if (failure.status === 413) {
        // The rest of an oversized body is not read: close the connection rather than drain it.
        responseHeaders.connection = 'close';
      }
      this.send(response, status, responseHeaders, JSON.stringify({ errors: failure.errors }));
      // refused for the caller's fault (4xx) vs. the gateway failing to serve it (no supergraph or bundle yet, a crash)
      const serverFault = failure.status >= 500;
      this.observe(context, serverFault ? 'error' : 'rejected', started, status, serverFault ? codeLabel(failure.code) : undefined, false);
    }
  }

  private async authenticateCaller(headers: IncomingMessage['headers'], context: GatewayRequestContext) {
    try {
      return await this.options.authenticate!(headers, context);
    } catch (error) {
      const refusal = asRequestError(error);
      if (refusal.status >= 500) {
        this.options.logger.error({ correlationId: context.correlationId, err: error }, 'authentication failed unexpectedly');
      }
      throw refusal;
    }
  }

  private readGetParams(search: string): GraphQLParams {
    const query = new URLSearchParams(search);
    const text = query.get('query');
    if (text === null || text === '') {
      throw GatewayRequestError.transport(400, GatewayErrorCode.BAD_REQUEST, 'Missing "query" parameter');
    }
    return {
      query: text,
      operationName: query.get('operationName') || null,
      variables: this.jsonParameter(query.get('variables'), 'variables'),
      extensions: this.jsonParameter(query.get('extensions'), 'extensions'),
    };
  }

  private jsonParameter(raw: string | null, name: string): Record<string, unknown> | null {
    if (raw === null || raw === '') {
      return null;
    }
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      throw GatewayRequestError.transport(400, GatewayErrorCode.BAD_REQUEST, `"${name}" is not valid JSON`);
    }
    if (value !== null && !isPlainObject(value)) {
      throw GatewayRequestError.transport(400, GatewayErrorCode.BAD_REQUEST, `"${name}" must be a JSON object`);
    }
    return value;
  }

  private async readPostParams(request: IncomingMessage): Promise<GraphQLParams> {
    if (!isJsonContentType(request.headers['content-type'])) {
      request.resume();
      throw GatewayRequestError.transport(
        415,
        GatewayErrorCode.UNSUPPORTED_MEDIA_TYPE,
        `Content-Type must be application/json, got "${String(request.headers['content-type'] ?? '(none)').slice(0, 100)}"`,
      );
    }
    const text = await this.readBody(request);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw GatewayRequestError.transport(400, GatewayErrorCode.BAD_REQUEST, 'The request body is not valid JSON');
    }
    if (!isPlainObject(body)) {
      throw GatewayRequestError.transport(
        400,
        GatewayErrorCode.BAD_REQUEST,
        Array.isArray(body)
          ? 'Batched requests are not supported: send one operation per request'
          : 'The request body must be a JSON object',
      );
    }
    const { query, operationName, variables, extensions } = body;
    if (query === undefined || query === null || query === '') {
      if (isPlainObject(extensions) && extensions.persistedQuery) {
        throw GatewayRequestError.transport(400, GatewayErrorCode.BAD_REQUEST, 'Persisted queries are not supported: send the query text');
      }
      throw GatewayRequestError.transport(400, GatewayErrorCode.BAD_REQUEST, 'Missing "query" in the request body');
    }
    if (typeof query !== 'string') {
      throw GatewayRequestError.transport(400, GatewayErrorCode.BAD_REQUEST, '"query" must be a string');
    }
    if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') {
      throw GatewayRequestError.transport(400, GatewayErrorCode.BAD_REQUEST, '"operationName" must be a string');
    }
    if (variables !== undefined && variables !== null && !isPlainObject(variables)) {
      throw GatewayRequestError.transport(400, GatewayErrorCode.BAD_REQUEST, '"variables" must be a JSON object');
    }
    if (extensions !== undefined && extensions !== null && !isPlainObject(extensions)) {
      throw GatewayRequestError.transport(400, GatewayErrorCode.BAD_REQUEST, '"extensions" must be a JSON object');
    }
    return { query, operationName: operationName || null, variables: variables ?? null, extensions: extensions ?? null };
  }

  private readBody(request: IncomingMessage): Promise<string> {
    const limit = this.options.maxBodyBytes;
    const declared = Number(request.headers['content-length']);
    if (declared > limit) {
      return Promise.reject(this.tooLarge());
    }
    return new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let failed = false;
      request.on('data', (chunk: Buffer) => {
        if (failed) {
          return;
        }
        size += chunk.length;
        if (size > limit) {
          failed = true;
          chunks.length = 0;
          reject(this.tooLarge());
          return;
        }
        chunks.push(chunk);
      });
      request.on('end', () => {
        if (!failed) {
          resolve(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks, size).toString('utf8'));
        }
      });
      request.on('error', (error) => {
        if (!failed) {
          failed = true;
          reject(GatewayRequestError.transport(400, GatewayErrorCode.BAD_REQUEST, `Could not read the request body: ${error.message}`));
        }
      });
    });
  }

  private tooLarge(): GatewayRequestError {
    return GatewayRequestError.transport(
      413,
      GatewayErrorCode.PAYLOAD_TOO_LARGE,
      `The request body exceeds ${this.options.maxBodyBytes} bytes`,
    );
  }

  private applyCors(origin: string | undefined, headers: Record<string, string>): void {
    const allowed = this.options.corsOrigins;
    if (!allowed.length || !origin) {
      return;
    }
    if (allowed.includes('*')) {
      headers['access-control-allow-origin'] = '*';
    } else if (allowed.includes(origin)) {
      headers['access-control-allow-origin'] = origin;
      headers.vary = 'Origin';
    } else {
      return;
    }
    headers['access-control-expose-headers'] = CORRELATION_HEADER;
  }

  private countErrors(result: GatewayResult): void {
    for (const error of result.errors ?? []) {
      this.options.metrics.countError(error.extensions?.code ?? ErrorCode.INTERNAL_SERVER_ERROR);
    }
  }

  /**
   * Metrics and SLA samples of one answered request. `faultCode`: why it counts as failed for availability (a service
   * fault in its errors, or the code of a 5xx refusal); `timedOut`: a subgraph timed out in it.
   */
  private observe(
    context: GatewayRequestContext,
    outcome: OperationOutcome,
    started: number,
    status: number,
    faultCode: string | undefined,
    timedOut: boolean,
  ): void {
    const durationMs = performance.now() - started;
    const seconds = durationMs / 1000;
    const metrics = this.options.metrics;
    const label = context.operationType ? metrics.operationLabel(context.operationName) : INVALID_OPERATION;
    metrics.observeOperation(label, context.operationType ?? 'unknown', outcome, seconds);
    metrics.countClientOperation(metrics.clientLabel(clientHeader(context.headers[CLIENT_NAME_HEADER])), outcome);
    const sla = this.options.sla;
    if (sla) {
      if (outcome === 'rejected') {
        sla.recordRejected(label);
      } else {
        sla.recordOperation(label, durationMs, faultCode, timedOut);
      }
    }
    const logger = this.options.logger;
    if (status >= 500) {
      logger.warn(
        { correlationId: context.correlationId, operation: context.operationName, status, outcome, durationMs: Math.round(seconds * 1000) },
        'operation failed',
      );
    } else if (logger.isLevelEnabled('debug')) {
      logger.debug(
        { correlationId: context.correlationId, operation: context.operationName, status, outcome, durationMs: Math.round(seconds * 1000) },
        'operation',
      );
    }
  }

  private send(response: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
    if (response.headersSent) {
      return;
    }
    headers['content-length'] = String(Buffer.byteLength(body));
    response.writeHead(status, headers);
    response.end(body);
  }
}

/** The JSON of data-only results, by data object: coalesced requests that share one answer serialize it once. */
const serializedData = new WeakMap<object, string>();

function serializeResult(result: GatewayResult): string {
  const data = result.data;
  if (!data || typeof data !== 'object' || result.errors !== undefined || result.extensions !== undefined) {
    return JSON.stringify(result);
  }
  let json = serializedData.get(data);
  if (json === undefined) {
    json = JSON.stringify(result);
    serializedData.set(data, json);
  }
  return json;
}
