import { createHash } from 'node:crypto';
import { auditEventOfRow, canonicalJson, type AuditEvent, type AuditEventColumns } from '@concord/common';

/** prev_hash of the first ledger entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** hash = sha256_hex(prev_hash ‖ canonicalJson(event)): the link that makes the ledger a chain. */
export function chainHash(prevHash: string, event: AuditEvent): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(event)).digest('hex');
}

/** A ledger row as pg returns it (bigint as string, timestamptz as Date, jsonb parsed). */
export interface AuditEventRow extends AuditEventColumns {
  position: string;
  prev_hash: string;
  hash: string;
}

/** The AuditEvent exactly as it was ingested (and hashed), rebuilt from its stored columns. */
export const eventOfRow: (row: AuditEventRow) => AuditEvent = auditEventOfRow;

/** What a checkpoint signs; an auditor rebuilds it from (position, hash) to check the signature offline. */
export function checkpointMessage(position: string, hash: string): Buffer {
  return Buffer.from(`concord-audit-checkpoint:v1:${position}:${hash}`, 'utf8');
}
