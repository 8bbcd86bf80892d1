import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import type { AuditAction, AuditActor } from '@concord/common';

/** One ledger entry: an AuditEvent as ingested, its position in the chain and its hash. Never updated. */
@Entity({ name: 'audit_event', schema: 'governance' })
@Unique('uq_audit_event_event_id', ['eventId'])
@Index('ix_audit_event_entity_entity_id', ['entity', 'entityId', 'position'])
@Index('ix_audit_event_correlation_id', ['correlationId'])
@Index('ix_audit_event_occurred_at', ['occurredAt'])
// the auditors' filters, each in position order (migration 1763901000000)
@Index('ix_audit_event_entity_position', ['entity', 'position'])
@Index('ix_audit_event_action_position', ['action', 'position'])
@Index('ix_audit_event_service_position', ['service', 'position'])
// an expression index ((actor ->> 'sub'), position) that entities cannot describe: the migration owns it
@Index('ix_audit_event_actor_sub', { synchronize: false })
export class AuditEventEntity {
  /** 1, 2, 3, … assigned by the single writer; gapless */
  @PrimaryColumn('bigint')
  position: string;

  @Column('uuid')
  eventId: string;

  @Column({ type: 'timestamptz', precision: 3 })
  occurredAt: Date;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  recordedAt: Date;

  @Column('text')
  service: string;

  @Column('jsonb', { nullable: true })
  actor: AuditActor | null;

  @Column('text')
  action: AuditAction;

  @Column('text')
  entity: string;

  @Column('text')
  entityId: string;

  @Column('jsonb', { nullable: true })
  before: Record<string, unknown> | null;

  @Column('jsonb', { nullable: true })
  after: Record<string, unknown> | null;

  @Column('text', { array: true })
  changedFields: string[];

  @Column('text', { nullable: true })
  reason: string | null;

  @Column('text', { nullable: true })
  correlationId: string | null;

  @Column('text', { nullable: true })
  policyVersion: string | null;

  @Column('text')
  prevHash: string;

  /** sha256_hex(prev_hash ‖ canonicalJson(event)) */
  @Column('text')
  hash: string;
}
