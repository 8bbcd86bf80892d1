import { sign } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AuditEvent, AuditIngestResponse, Logger } from '@concord/common';
import { GOVERNANCE_LOGGER } from '../common/governance-core.module';
import { AuditException, AuditExceptionCode } from './audit.exception';
import { GENESIS_HASH, chainHash, checkpointMessage } from './audit-hash';
import { loadSigningKey, type AuditSigningKey } from './audit-signing-key';
import { verifyLedger, type VerifyResult } from './audit-verifier';

export interface AuditOptions {
  /** a checkpoint every this many events (AUDIT_CHECKPOINT_EVERY) */
  checkpointEvery: number;
  /** Ed25519 private key, PKCS8 PEM (AUDIT_SIGNING_KEY); without it a dev key is kept in keyDir */
  signingKey?: string;
  keyDir: string;
}

export const AUDIT_OPTIONS = Symbol('AUDIT_OPTIONS');

/** Key of the transaction-scoped advisory lock that makes ingest the ledger's single writer ("audi"). */
export const AUDIT_LEDGER_LOCK = 0x61756469;

/**
 * Reacts to events as they join the ledger, inside the appending transaction: what it writes commits with the events
 * or not at all (the workflow triggers start runs this way, exactly once per event).
 */
export interface LedgerSubscriber {
  appended(manager: EntityManager, events: readonly AuditEvent[]): Promise<void>;
}

export interface AuditCheckpoint {
  position: string;
  hash: string;
  signature: string;
  keyId: string;
  createdAt: string;
}

/** The events in order, each event id once (the first occurrence). */
function uniqueEvents(events: AuditEvent[]): AuditEvent[] {
  const seen = new Set<string>();
  return events.filter((event) => !seen.has(event.eventId) && Boolean(seen.add(event.eventId)));
}

@Injectable()
export class AuditLedgerService implements OnModuleInit {
  private key: AuditSigningKey;
  private readonly subscribers: LedgerSubscriber[] = [];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AUDIT_OPTIONS) private readonly options: AuditOptions,
    @Inject(GOVERNANCE_LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    const key = await loadSigningKey({ pem: this.options.signingKey, keyDir: this.options.keyDir });
    if (key.dev) {
      this.logger.warn(
        { keyId: key.keyId, keyDir: this.options.keyDir, created: key.created },
        'audit checkpoints are signed with a dev key: set AUDIT_SIGNING_KEY in production',
      );
    }
    this.key = key;
  }

  subscribe(subscriber: LedgerSubscriber): void {
    this.subscribers.push(subscriber);
  }

  get publicKeyPem(): string {
    return this.key.publicKeyPem;
  }

  get keyId(): string {
    return this.key.keyId;
  }

  /**
   * Appends the events that the ledger does not have yet (by eventId, also within the batch), in order, in one
   * transaction under the writer lock, and signs a checkpoint when the batch crosses a multiple of checkpointEvery.
   */
  async ingest(events: AuditEvent[]): Promise<AuditIngestResponse> {
    if (uniqueEvents(events).length === 0) {
      return { accepted: 0, duplicates: events.length };
    }
    return this.dataSource.transaction((manager) => this.ingestWithin(manager, events));
  }

  /**
   * ingest() inside the caller's transaction: governance records its own changes (a policy version, an ownership
   * change) in the same commit as the change, so neither exists without the other.
   */
  async ingestWithin(manager: EntityManager, events: AuditEvent[]): Promise<AuditIngestResponse> {
    const unique = uniqueEvents(events);
    if (unique.length === 0) {
      return { accepted: 0, duplicates: events.length };
    }
    await manager.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LEDGER_LOCK]);
    const known: { event_id: string }[] = await manager.query(
      'SELECT event_id FROM governance.audit_event WHERE event_id = ANY($1::uuid[])',
      [unique.map((event) => event.eventId)],
    );
    const knownIds = new Set(known.map((row) => row.event_id));
    const fresh = unique.filter((event) => !knownIds.has(event.eventId));
    if (fresh.length === 0) {
      return { accepted: 0, duplicates: events.length };
    }
    const head = await this.head(manager);
    let previousHash = head.hash;
    const positions: string[] = [];
    const prevHashes: string[] = [];
    const hashes: string[] = [];
    fresh.forEach((event, index) => {
      positions.push((head.position + BigInt(index + 1)).toString());
      prevHashes.push(previousHash);
      previousHash = chainHash(previousHash, event);
      hashes.push(previousHash);
    });
    const json = (value: unknown) => (value === null ? null : JSON.stringify(value));
    await manager.query(
      `INSERT INTO governance.audit_event (position, event_id, occurred_at, service, actor, action, entity, entity_id,
         before, after, changed_fields, reason, correlation_id, policy_version, prev_hash, hash)
       SELECT position, event_id, occurred_at, service, actor, action, entity, entity_id, before, after,
         ARRAY(SELECT field FROM jsonb_array_elements_text(changed_fields) WITH ORDINALITY AS f (field, n) ORDER BY n), reason, correlation_id, policy_version, prev_hash, hash
       FROM unnest($1::bigint[], $2::uuid[], $3::timestamptz[], $4::text[], $5::jsonb[], $6::text[], $7::text[], $8::text[],
         $9::jsonb[], $10::jsonb[], $11::jsonb[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[])
         AS event (position, event_id, occurred_at, service, actor, action, entity, entity_id, before, after,
           changed_fields, reason, correlation_id, policy_version, prev_hash, hash)`,
      [
        positions,
        fresh.map((event) => event.eventId),
        fresh.map((event) => event.occurredAt),
        fresh.map((event) => event.service),
        fresh.map((event) => json(event.actor)),
        fresh.map((event) => event.action),
        fresh.map((event) => event.entity),
        fresh.map((event) => event.entityId),
        fresh.map((event) => json(event.before)),
        fresh.map((event) => json(event.after)),
        fresh.map((event) => JSON.stringify(event.changedFields)),
        fresh.map((event) => event.reason),
        fresh.map((event) => event.correlationId),
        fresh.map((event) => event.policyVersion),
        prevHashes,
        hashes,
      ],
    );
    const every = BigInt(this.options.checkpointEvery);
    const last = head.position + BigInt(fresh.length);
    if (head.position / every < last / every) {
      await this.insertCheckpoint(manager, last.toString(), previousHash);
    }
    for (const subscriber of this.subscribers) {
      await subscriber.appended(manager, fresh);
    }
    return { accepted: fresh.length, duplicates: events.length - fresh.length };
  }

  /** Signs the ledger's current end unless a checkpoint already covers it; returns the checkpoint or null (empty ledger). */
  async checkpoint(): Promise<AuditCheckpoint | null> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LEDGER_LOCK]);
      const head = await this.head(manager);
      if (head.position === 0n) {
        return null;
      }
      await this.insertCheckpoint(manager, head.position.toString(), head.hash);
      return this.latestCheckpoint(manager);
    });
  }

  async latestCheckpoint(manager: EntityManager = this.dataSource.manager): Promise<AuditCheckpoint> {
    const [row]: { position: string; hash: string; signature: string; key_id: string; created_at: Date }[] = await manager.query(
      'SELECT position, hash, signature, key_id, created_at FROM governance.audit_checkpoint ORDER BY position DESC LIMIT 1',
    );
    if (!row) {
      throw new AuditException(AuditExceptionCode.NO_CHECKPOINT, 'no checkpoint has been signed yet');
    }
    return { position: row.position, hash: row.hash, signature: row.signature, keyId: row.key_id, createdAt: row.created_at.toISOString() };
  }

  verify(): Promise<VerifyResult> {
    return verifyLedger((sql, parameters) => this.dataSource.query(sql, parameters), {
      publicKeys: new Map([[this.key.keyId, this.key.publicKey]]),
    });
  }

  /** verify() over positions from…to (inclusive). */
  verifyRange(fromPosition: string, toPosition: string): Promise<VerifyResult> {
    return verifyLedger((sql, parameters) => this.dataSource.query(sql, parameters), {
      publicKeys: new Map([[this.key.keyId, this.key.publicKey]]),
      fromPosition,
      toPosition,
    });
  }

  /** Signs a statement with the ledger's key (an export's trailer): `{ signature (base64), keyId }`. */
  signStatement(message: Buffer): { signature: string; keyId: string } {
    return { signature: sign(null, message, this.key.privateKey).toString('base64'), keyId: this.key.keyId };
  }

  private async head(manager: EntityManager): Promise<{ position: bigint; hash: string }> {
    const [last]: { position: string; hash: string }[] = await manager.query(
      'SELECT position, hash FROM governance.audit_event ORDER BY position DESC LIMIT 1',
    );
    return last ? { position: BigInt(last.position), hash: last.hash } : { position: 0n, hash: GENESIS_HASH };
  }

  private async insertCheckpoint(manager: EntityManager, position: string, hash: string): Promise<void> {
    const signature = sign(null, checkpointMessage(position, hash), this.key.privateKey).toString('base64');
    await manager.query(
      `INSERT INTO governance.audit_checkpoint (position, hash, signature, key_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (position) DO NOTHING`,
      [position, hash, signature, this.key.keyId],
    );
  }
}
