import { currentContext, newId, type AuditActor, type AuditEvent, type GovernanceAuditAction } from '@concord/common';

/** A ledger event for one of governance's own changes, stamped now and with the request's correlation id. */
export function governanceAuditEvent(event: {
  action: GovernanceAuditAction;
  actor: AuditActor;
  entity: string;
  entityId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  changedFields: string[];
  reason: string;
  policyVersion: number;
}): AuditEvent {
  return {
    eventId: newId(),
    occurredAt: new Date().toISOString(),
    service: 'governance',
    ...event,
    actor: { sub: event.actor.sub, roles: [...event.actor.roles] },
    correlationId: currentContext()?.correlationId ?? null,
    policyVersion: String(event.policyVersion),
  };
}
