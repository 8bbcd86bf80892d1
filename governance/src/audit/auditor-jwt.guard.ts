import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Logger } from '@concord/common';
import { isTokenError, type JwtVerifier } from '@concord/policy';
import { GOVERNANCE_LOGGER } from '../common/governance-core.module';
import { PolicyDecisionService } from '../policy/policy-decision.service';
import { AuditException, AuditExceptionCode } from './audit.exception';

/** How governance verifies callers' JWTs for the export; `verifier` undefined: not configured. */
export interface AuditCallerVerification {
  verifier: JwtVerifier | undefined;
}
export const AUDIT_CALLER_VERIFICATION = Symbol('AUDIT_CALLER_VERIFICATION');

const BEARER = /^Bearer\s+(\S+)\s*$/i;

interface HttpRequest {
  headers: Record<string, string | string[] | undefined>;
  /** the verified caller, for the handler (the export records who exported) */
  auditCaller?: AuditCaller;
}

export interface AuditCaller {
  sub: string;
  roles: string[];
}

/** The caller AuditorJwtGuard verified on this request. */
export function auditCallerOf(request: { auditCaller?: AuditCaller }): AuditCaller {
  if (!request.auditCaller) {
    throw new AuditException(AuditExceptionCode.UNAUTHENTICATED, 'A valid bearer token is required');
  }
  return request.auditCaller;
}

/**
 * The export is fetched directly (a file download, not GraphQL through the gateway), so it authenticates the caller's
 * own JWT the way the gateway does (jose: keys, issuer, audience, expiry; 401 for any refusal, the reason logged) and
 * then asks the policy bundle in force, like the GraphQL API: `read` on `AuditEvent`, else 403.
 */
@Injectable()
export class AuditorJwtGuard implements CanActivate {
  constructor(
    @Inject(AUDIT_CALLER_VERIFICATION) private readonly verification: AuditCallerVerification,
    private readonly decisions: PolicyDecisionService,
    @Inject(GOVERNANCE_LOGGER) private readonly logger: Logger,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const { verifier } = this.verification;
    if (!verifier) {
      throw new AuditException(
        AuditExceptionCode.EXPORT_NOT_CONFIGURED,
        "the export is not configured: set JWT_JWKS_URL or JWT_PUBLIC_KEY (the identity provider's keys)",
      );
    }
    const request = context.switchToHttp().getRequest<HttpRequest>();
    const authorization = request.headers.authorization;
    const token = typeof authorization === 'string' ? BEARER.exec(authorization)?.[1] : undefined;
    let caller;
    try {
      caller = await verifier.verify(token);
    } catch (error) {
      if (!isTokenError(error)) {
        throw error;
      }
      this.logger.info({ reason: error.reason, detail: error.message }, 'audit export refused: no valid caller token');
      throw new AuditException(AuditExceptionCode.UNAUTHENTICATED, 'A valid bearer token is required');
    }
    if (!(await this.decisions.allows(caller, { action: 'read', subject: 'AuditEvent' }))) {
      this.logger.info({ sub: caller.sub, roles: caller.roles }, 'audit export refused: not an auditor');
      throw new AuditException(AuditExceptionCode.NOT_AN_AUDITOR, 'Not authorized: only auditors may export the audit ledger');
    }
    request.auditCaller = { sub: caller.sub, roles: [...caller.roles] };
    return true;
  }
}
