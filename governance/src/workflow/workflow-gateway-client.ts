import { CORRELATION_HEADER, ErrorCode } from '@concord/common';
import { loadPrivateKey, signCallerToken } from '@concord/policy';
import type { KeyObject } from 'node:crypto';
import { WorkflowStepError, type JsonObject } from './workflow-definition';

export interface WorkflowIdentity {
  /** the gateway's GraphQL endpoint */
  gatewayUrl: string;
  /** PEM text or path of the key that signs the engine's caller JWTs (the gateway trusts its public key) */
  signingKey: string;
  issuer: string;
  audience: string;
  /** the JWT subject the ledger records for every step (default `workflow-engine`) */
  subject: string;
  requestTimeoutMs: number;
}

/** Codes after which the same request cannot succeed until someone changes data, payload or policy. */
const PERMANENT_CODES = new Set<string>([
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.INVALID_TRANSITION,
  ErrorCode.FORBIDDEN,
  ErrorCode.FORBIDDEN_FIELD,
  ErrorCode.OWNERSHIP_VIOLATION,
  ErrorCode.UNAUTHENTICATED,
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
]);

interface GraphQLErrorShape {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

/**
 * The workflow engine's way into the graph: every read and write goes through the gateway as the `integration`
 * identity, with the run's correlation id, so the subgraphs' write points enforce ownership and CASL and the ledger
 * records each step under the flow's id (ARCHITECTURE.md §9). Errors become WorkflowStepErrors: transport failures,
 * 5xx and SERVICE_UNAVAILABLE are transient (retried), the codes above permanent (exception queue).
 */
export class WorkflowGatewayClient {
  private key: KeyObject | undefined;
  private token: { value: string; expiresAt: number } | undefined;

  constructor(
    private readonly identity: WorkflowIdentity,
    private readonly correlationId: string,
  ) {}

  /** A client for another run: same identity and token, another correlation id. */
  forRun(correlationId: string): WorkflowGatewayClient {
    const client = new WorkflowGatewayClient(this.identity, correlationId);
    client.key = this.key;
    client.token = this.token;
    return client;
  }

  /** The data of a query or mutation; any error fails the step (partial data is never acted on). */
  async request<T = JsonObject>(query: string, variables: JsonObject = {}): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.identity.gatewayUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${await this.bearer()}`,
          [CORRELATION_HEADER]: this.correlationId,
          'apollographql-client-name': 'concord-workflows',
        },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.identity.requestTimeoutMs),
      });
    } catch (error) {
      throw new WorkflowStepError(`gateway unreachable: ${error instanceof Error ? error.message : String(error)}`, {
        permanent: false,
        code: ErrorCode.SERVICE_UNAVAILABLE,
      });
    }
    const text = await response.text();
    let body: { data?: T | null; errors?: GraphQLErrorShape[] };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new WorkflowStepError(`gateway answered ${response.status} without JSON: ${text.slice(0, 200)}`, {
        permanent: false,
        code: ErrorCode.SERVICE_UNAVAILABLE,
      });
    }
    const errors = body.errors ?? [];
    if (errors.length > 0) {
      const codes = errors.map((error) => error.extensions?.code ?? ErrorCode.INTERNAL_SERVER_ERROR);
      const permanentIndex = codes.findIndex((code) => PERMANENT_CODES.has(code));
      const chosen = permanentIndex >= 0 ? permanentIndex : 0;
      const first = errors[chosen];
      throw new WorkflowStepError(`${codes[chosen]}: ${first.message}${first.path ? ` (at ${first.path.join('.')})` : ''}`, {
        permanent: permanentIndex >= 0,
        code: codes[chosen],
        details: {
          errors: errors
            .slice(0, 5)
            .map((error) => ({ message: error.message, path: error.path ?? null, code: error.extensions?.code ?? null })),
        },
      });
    }
    if (!response.ok || !body.data) {
      throw new WorkflowStepError(`gateway answered ${response.status}`, {
        permanent: response.status < 500,
        code: `HTTP_${response.status}`,
      });
    }
    return body.data;
  }

  private async bearer(): Promise<string> {
    const now = Date.now();
    if (this.token && this.token.expiresAt - now > 60_000) {
      return this.token.value;
    }
    this.key ??= loadPrivateKey(this.identity.signingKey, 'WORKFLOW_SIGNING_KEY');
    const ttlSeconds = 600;
    const value = await signCallerToken({
      privateKey: this.key,
      sub: this.identity.subject,
      roles: ['integration'],
      issuer: this.identity.issuer,
      audience: this.identity.audience,
      ttlSeconds,
    });
    this.token = { value, expiresAt: now + ttlSeconds * 1000 };
    return value;
  }
}
