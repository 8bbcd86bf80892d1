import { HttpStatus, Injectable, type NestMiddleware } from '@nestjs/common';
import { correlationIdFrom, currentContext, ErrorCode, runWithContext, type Logger } from '@concord/common';
import { CONTEXT_TOKEN_HEADER, ContextTokenVerifier, isTokenError } from '@concord/policy';

/**
 * The gateway's public key(s) for context tokens (PEM text or a path; several separated by commas during a key
 * rotation). A provider of its own so tests can give the service their key pair without rebuilding its module.
 */
export const CONTEXT_TOKEN_PUBLIC_KEY = Symbol('CONTEXT_TOKEN_PUBLIC_KEY');

interface HttpRequest {
  headers: Record<string, string | string[] | undefined>;
}
interface HttpResponse {
  status(code: number): HttpResponse;
  json(body: unknown): void;
}

const REFUSAL = {
  errors: [
    {
      message: 'This service only answers requests from the gateway (a valid context token is required)',
      extensions: { code: ErrorCode.UNAUTHENTICATED },
    },
  ],
};

/** Checks the context token of a request; the refusal reason goes to the log, never to the caller. */
export class ContextTokenAuthenticator {
  private readonly verifier: ContextTokenVerifier;

  constructor(
    publicKey: string | undefined,
    private readonly logger: Logger,
  ) {
    if (!publicKey) {
      throw new Error('contextTokenPublicKey is required (CONTEXT_VERIFY_KEY: the gateway context token public key, PEM or path)');
    }
    this.verifier = new ContextTokenVerifier(publicKey);
  }

  /**
   * Runs `next` as the caller the token names (actor, roles and policy version in the request context, where the
   * outbox and the row rules read them), or answers 401 UNAUTHENTICATED.
   */
  handle(request: HttpRequest, response: HttpResponse, next: () => void): void {
    const header = request.headers[CONTEXT_TOKEN_HEADER];
    let claims;
    try {
      claims = this.verifier.verify(typeof header === 'string' ? header : undefined);
    } catch (error) {
      if (!isTokenError(error)) {
        throw error;
      }
      this.logger.info({ reason: error.reason, detail: error.message }, 'request without a valid context token refused');
      response.status(HttpStatus.UNAUTHORIZED).json(REFUSAL);
      return;
    }
    const context = currentContext();
    runWithContext(
      {
        ...context,
        correlationId: context?.correlationId ?? correlationIdFrom(claims.correlationId),
        actor: { sub: claims.sub, roles: [...claims.roles], ...(claims.teams ? { teams: [...claims.teams] } : {}) },
        policyVersion: claims.policyVersion,
      },
      next,
    );
  }
}

/** Subgraphs answer only the gateway: every request to /graphql needs its context token (ARCHITECTURE.md §5.4). */
@Injectable()
export class ContextTokenMiddleware implements NestMiddleware {
  constructor(private readonly authenticator: ContextTokenAuthenticator) {}

  use(request: HttpRequest, response: HttpResponse, next: () => void): void {
    this.authenticator.handle(request, response, next);
  }
}
