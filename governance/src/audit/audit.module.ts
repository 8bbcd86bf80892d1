import { Module, type DynamicModule } from '@nestjs/common';
import { createJwtVerifier, readKeySetting } from '@concord/policy';
import { PolicyModule } from '../policy/policy.module';
import { AuditCheckpointCron } from './audit-checkpoint.cron';
import { AuditController } from './audit.controller';
import { AuditEventResolver } from './audit-event.resolver';
import { AuditExportService } from './audit-export.service';
import { AUDIT_OPTIONS, AuditLedgerService, type AuditOptions } from './audit-ledger.service';
import { AuditMarginAccessService } from './audit-margin-access.service';
import { AuditQueryService } from './audit-query.service';
import { AUDIT_CALLER_VERIFICATION, AuditorJwtGuard, type AuditCallerVerification } from './auditor-jwt.guard';

export type { AuditOptions } from './audit-ledger.service';

/** How callers' JWTs are verified for GET /audit/export: the gateway's variables (JWT_*), the same meaning. */
export interface AuditCallerOptions {
  /** JWT_JWKS_URL */
  jwksUrl?: string;
  /** JWT_PUBLIC_KEY: PEM text or path(s), comma separated */
  publicKey?: string;
  /** JWT_ISSUER */
  issuer: string;
  /** JWT_AUDIENCE */
  audience: string;
  /** JWT_ALGORITHMS */
  algorithms?: string[];
}

/** A verifier when keys are configured; without, the export answers 503 (fails closed). Bad keys fail the start. */
function callerVerification(callers: AuditCallerOptions | undefined): AuditCallerVerification {
  if (!callers || (!callers.jwksUrl && !callers.publicKey)) {
    return { verifier: undefined };
  }
  return {
    verifier: createJwtVerifier({
      jwksUrl: callers.jwksUrl,
      publicKeys: callers.publicKey ? readKeySetting(callers.publicKey, 'JWT_PUBLIC_KEY') : undefined,
      issuer: callers.issuer,
      audience: callers.audience,
      algorithms: callers.algorithms,
    }),
  };
}

@Module({})
export class AuditModule {
  static forRoot(options: AuditOptions, callers?: AuditCallerOptions): DynamicModule {
    return {
      module: AuditModule,
      // the ledger records governance's own changes too (policy versions, ownership changes)
      global: true,
      // the auditors' API decides with the policy bundle governance owns
      imports: [PolicyModule],
      controllers: [AuditController],
      providers: [
        { provide: AUDIT_OPTIONS, useValue: options },
        { provide: AUDIT_CALLER_VERIFICATION, useFactory: () => callerVerification(callers) },
        AuditLedgerService,
        AuditCheckpointCron,
        AuditQueryService,
        AuditMarginAccessService,
        AuditExportService,
        AuditorJwtGuard,
        AuditEventResolver,
      ],
      exports: [AuditLedgerService],
    };
  }
}
