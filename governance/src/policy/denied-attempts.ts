import { Injectable } from '@nestjs/common';
import { createLogger, currentContext, newId, type AuditEvent } from '@concord/common';
import { AuditLedgerService } from '../audit/audit-ledger.service';

const logger = createLogger('governance');

/**
 * Governance's own denied attempts (ARCHITECTURE.md §6: denied attempts are audited too): a caller refused by the
 * GraphQL API's policy guard, or a steward approving their own change, leaves a `denied` event in the ledger.
 * Recorded in a transaction of its own (the refused work wrote nothing); a failure to record is logged, and the
 * caller still gets the refusal.
 */
@Injectable()
export class DeniedAttempts {
  constructor(private readonly ledger: AuditLedgerService) {}

  async record(attempt: {
    entity: string;
    entityId?: string;
    operation: string;
    code: string;
    message: string;
    policyVersion?: number;
  }): Promise<void> {
    const context = currentContext();
    const event: AuditEvent = {
      eventId: newId(),
      occurredAt: new Date().toISOString(),
      service: 'governance',
      actor: context?.actor ? { sub: context.actor.sub, roles: [...context.actor.roles] } : null,
      action: 'denied',
      entity: attempt.entity,
      entityId: attempt.entityId ?? '*',
      before: null,
      after: { operation: attempt.operation },
      changedFields: [],
      reason: `${attempt.code}: ${attempt.message}`,
      correlationId: context?.correlationId ?? null,
      policyVersion: attempt.policyVersion !== undefined ? String(attempt.policyVersion) : null,
    };
    try {
      await this.ledger.ingest([event]);
    } catch (error) {
      logger.error({ err: error, attempt }, 'could not record a denied attempt');
    }
  }
}
