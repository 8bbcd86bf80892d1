/**
 * One audited change or decision, as a subgraph's outbox stores it and governance's ledger ingests it
 * (ARCHITECTURE.md §6). `eventId` (UUIDv7) makes delivery idempotent: the ledger stores each id once.
 */
export type AuditAction = 'create' | 'update' | 'delete' | 'transition' | 'denied' | 'read' | GovernanceAuditAction;

/**
 * Changes governance records about its own policy, schema registry, SLOs and incidents: only governance writes them,
 * never a relay.
 */
export type GovernanceAuditAction =
  | 'policy.publish'
  | 'ownership.change'
  | 'schema.publish'
  | 'schema.approve'
  | 'schema.rollback'
  | 'operation.register'
  | 'slo.create'
  | 'slo.update'
  | 'incident.open'
  | 'incident.update'
  | 'incident.resolve'
  | 'incident.note'
  | 'workflow.exception'
  | 'workflow.replay'
  | 'workflow.dismiss'
  | 'audit.export';

export interface AuditActor {
  sub: string;
  roles: string[];
}

export interface AuditEvent {
  eventId: string;
  /** ISO-8601 UTC instant of the change (the writing transaction's time) */
  occurredAt: string;
  /** the service that recorded it: crm | erp | psa | governance | gateway */
  service: string;
  /** null for system work without a caller */
  actor: AuditActor | null;
  action: AuditAction;
  /** entity type name (its GraphQL type), e.g. "Client" */
  entity: string;
  entityId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  changedFields: string[];
  reason: string | null;
  correlationId: string | null;
  policyVersion: string | null;
}

/** An audit event's stored columns (outbox and ledger share them), as pg returns them. */
export interface AuditEventColumns {
  event_id: string;
  occurred_at: Date;
  service: string;
  actor: AuditActor | null;
  action: AuditAction;
  entity: string;
  entity_id: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  changed_fields: string[];
  reason: string | null;
  correlation_id: string | null;
  policy_version: string | null;
}

/** The AuditEvent a stored row holds (what the relay sends and the ledger hashes). */
export function auditEventOfRow(row: AuditEventColumns): AuditEvent {
  return {
    eventId: row.event_id,
    occurredAt: row.occurred_at.toISOString(),
    service: row.service,
    actor: row.actor,
    action: row.action,
    entity: row.entity,
    entityId: row.entity_id,
    before: row.before,
    after: row.after,
    changedFields: row.changed_fields,
    reason: row.reason,
    correlationId: row.correlation_id,
    policyVersion: row.policy_version,
  };
}

/** Body of `POST /audit/events` on governance. */
export interface AuditIngestRequest {
  events: AuditEvent[];
}

/** Answer of `POST /audit/events`: how many were new, how many the ledger already had. */
export interface AuditIngestResponse {
  accepted: number;
  duplicates: number;
}

/**
 * Canonical JSON for hashing: object keys sorted, no insignificant whitespace, so the same event always hashes
 * the same way whatever the key order it was built or stored with.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value ?? null);
  }
  if (value instanceof Date) {
    return JSON.stringify(value.toISOString());
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}
