import { timingSafeEqual } from 'node:crypto';
import { HttpException, HttpStatus, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ErrorCode } from '@concord/common';

/** The shared secret of Concord's own services (GOVERNANCE_TOKEN); undefined: the internal endpoints are open. */
export const INTERNAL_TOKEN = Symbol('INTERNAL_TOKEN');

interface HttpRequest {
  headers: Record<string, string | string[] | undefined>;
}

/**
 * Guards governance's service-to-service endpoints — the ledger's ingest (POST /audit/events) and the policy bundle
 * (GET /policy/bundle…) — with `Authorization: Bearer <GOVERNANCE_TOKEN>`, compared in constant time, so nobody who
 * merely reaches governance's port can append forged events to the ledger or read the policy. 401 otherwise.
 */
@Injectable()
export class InternalTokenGuard implements CanActivate {
  private readonly expected: Buffer | undefined;

  constructor(@Inject(INTERNAL_TOKEN) token: string | undefined) {
    this.expected = token ? Buffer.from(token) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) {
      return true;
    }
    const header = context.switchToHttp().getRequest<HttpRequest>().headers.authorization;
    const presented = Buffer.from((Array.isArray(header) ? header[0] : header)?.replace(/^Bearer /i, '') ?? '');
    if (presented.length === this.expected.length && timingSafeEqual(presented, this.expected)) {
      return true;
    }
    throw new HttpException(
      {
        error: {
          code: ErrorCode.UNAUTHENTICATED,
          message: 'this endpoint is for Concord services: send Authorization: Bearer <GOVERNANCE_TOKEN>',
        },
      },
      HttpStatus.UNAUTHORIZED,
    );
  }
}
