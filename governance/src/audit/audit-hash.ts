import { createHash } from 'node:crypto';
import { canonicalJson, type AuditEvent } from '@concord/common';

/** prev_hash of the first ledger entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** hash = sha256_hex(prev_hash ‖ canonicalJson(event)): the link that makes the ledger a chain. */
export function chainHash(prevHash: string, event: AuditEvent): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(event)).digest('hex');
}

/** A ledger row as pg returns it (bigint as string, timestamptz as Date, jsonb parsed). */
export interface AuditEventRow {
  position: string;
  event_id: string;
  occurred_at: Date;
  service: string;
  actor: AuditEvent['actor'];
  action: AuditEvent['action'];
  entity: string;
  entity_id: string;
  before: AuditEvent['before'];
  after: AuditEvent['after'];
  changed_fields: string[];
  reason: string | null;
  correlation_id: string | null;
  policy_version: string | null;
  prev_hash: string;
  hash: string;
}

/** The AuditEvent exactly as it was ingested (and hashed), rebuilt from its stored columns. */
export function eventOfRow(row: AuditEventRow): AuditEvent {
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

/** What a checkpoint signs; an auditor rebuilds it from (position, hash) to check the signature offline. */
export function checkpointMessage(position: string, hash: string): Buffer {
  return Buffer.from(`concord-audit-checkpoint:v1:${position}:${hash}`, 'utf8');
}
