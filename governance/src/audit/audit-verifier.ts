import { verify, type KeyObject } from 'node:crypto';
import { GENESIS_HASH, chainHash, checkpointMessage, eventOfRow, type AuditEventRow } from './audit-hash';

export type BrokenLinkReason = 'hash_mismatch' | 'prev_hash_mismatch' | 'bad_checkpoint_signature' | 'gap';

export interface BrokenLink {
  position: string;
  eventId: string | null;
  reason: BrokenLinkReason;
  expected: string;
  actual: string;
}

export interface VerifyResult {
  ok: boolean;
  /** ledger entries checked before the walk ended */
  checked: number;
  firstBroken: BrokenLink | null;
}

interface CheckpointRow {
  position: string;
  hash: string;
  signature: string;
  key_id: string;
}

export type Query = (sql: string, parameters: unknown[]) => Promise<unknown[]>;

export interface VerifyOptions {
  /** public keys by key id; a checkpoint signed by another key fails */
  publicKeys: Map<string, KeyObject>;
  batchSize?: number;
  onProgress?: (checked: number) => void;
  /** check only positions from…to (inclusive); the entry before `from` anchors the first link */
  fromPosition?: string;
  toPosition?: string;
}

const EVENT_COLUMNS = `position, event_id, occurred_at, service, actor, action, entity, entity_id, before, after,
  changed_fields, reason, correlation_id, policy_version, prev_hash, hash`;

/**
 * Walks the ledger in position order, a batch at a time, recomputing every hash and prev_hash link and checking
 * every checkpoint (its signature, and that the ledger still ends in the hash it signed). Stops at the first break.
 */
export async function verifyLedger(query: Query, options: VerifyOptions): Promise<VerifyResult> {
  const batchSize = options.batchSize ?? 2_000;
  let checked = 0;
  let previousHash = GENESIS_HASH;
  let expectedPosition = options.fromPosition ? BigInt(options.fromPosition) : 1n;
  const last = options.toPosition ? BigInt(options.toPosition) : null;
  const broken = (link: BrokenLink): VerifyResult => ({ ok: false, checked, firstBroken: link });
  if (expectedPosition > 1n) {
    const [anchor] = (await query('SELECT hash FROM governance.audit_event WHERE position = $1', [(expectedPosition - 1n).toString()])) as {
      hash: string;
    }[];
    if (!anchor) {
      const before = (expectedPosition - 1n).toString();
      return broken({ position: before, eventId: null, reason: 'gap', expected: before, actual: 'missing' });
    }
    previousHash = anchor.hash;
  }
  for (;;) {
    const after = (expectedPosition - 1n).toString();
    const until = last === null ? '' : `AND position <= ${last.toString()}`;
    const rows = (await query(
      `SELECT ${EVENT_COLUMNS} FROM governance.audit_event WHERE position > $1 ${until} ORDER BY position LIMIT $2`,
      [after, batchSize],
    )) as AuditEventRow[];
    // the last batch also reads checkpoints beyond the ledger's end, which mean entries have gone
    const full = rows.length === batchSize;
    const bounded = full || last !== null;
    const checkpoints = (await query(
      `SELECT position, hash, signature, key_id FROM governance.audit_checkpoint
       WHERE position > $1 ${bounded ? 'AND position <= $2' : ''} ORDER BY position`,
      bounded ? [after, full ? rows[rows.length - 1].position : last!.toString()] : [after],
    )) as CheckpointRow[];
    const checkpointAt = new Map(checkpoints.map((checkpoint) => [checkpoint.position, checkpoint]));
    for (const row of rows) {
      if (BigInt(row.position) !== expectedPosition) {
        return broken({
          position: expectedPosition.toString(),
          eventId: null,
          reason: 'gap',
          expected: expectedPosition.toString(),
          actual: row.position,
        });
      }
      if (row.prev_hash !== previousHash) {
        return broken({
          position: row.position,
          eventId: row.event_id,
          reason: 'prev_hash_mismatch',
          expected: previousHash,
          actual: row.prev_hash,
        });
      }
      const hash = chainHash(previousHash, eventOfRow(row));
      if (row.hash !== hash) {
        return broken({ position: row.position, eventId: row.event_id, reason: 'hash_mismatch', expected: hash, actual: row.hash });
      }
      const checkpoint = checkpointAt.get(row.position);
      if (checkpoint) {
        if (!signatureHolds(checkpoint, options.publicKeys)) {
          return broken({
            position: row.position,
            eventId: row.event_id,
            reason: 'bad_checkpoint_signature',
            expected: `a valid signature by key ${checkpoint.key_id}`,
            actual: checkpoint.signature,
          });
        }
        if (checkpoint.hash !== row.hash) {
          // the chain is consistent but not the one that was signed: rewritten from here back
          return broken({
            position: row.position,
            eventId: row.event_id,
            reason: 'hash_mismatch',
            expected: checkpoint.hash,
            actual: row.hash,
          });
        }
      }
      previousHash = row.hash;
      expectedPosition += 1n;
      checked += 1;
    }
    options.onProgress?.(checked);
    if (!full && last !== null) {
      if (expectedPosition <= last) {
        // the range asked for ends beyond the entries found: missing ones
        return broken({
          position: expectedPosition.toString(),
          eventId: null,
          reason: 'gap',
          expected: last.toString(),
          actual: (expectedPosition - 1n).toString(),
        });
      }
      return { ok: true, checked, firstBroken: null };
    }
    if (!full) {
      const orphan = checkpoints.find((checkpoint) => BigInt(checkpoint.position) >= expectedPosition);
      if (orphan) {
        // a checkpoint beyond the ledger's end: entries it covered are gone
        return broken({
          position: expectedPosition.toString(),
          eventId: null,
          reason: 'gap',
          expected: orphan.position,
          actual: (expectedPosition - 1n).toString(),
        });
      }
      return { ok: true, checked, firstBroken: null };
    }
  }
}

function signatureHolds(checkpoint: CheckpointRow, publicKeys: Map<string, KeyObject>): boolean {
  const key = publicKeys.get(checkpoint.key_id);
  if (!key) {
    return false;
  }
  try {
    return verify(null, checkpointMessage(checkpoint.position, checkpoint.hash), key, Buffer.from(checkpoint.signature, 'base64'));
  } catch {
    return false;
  }
}
