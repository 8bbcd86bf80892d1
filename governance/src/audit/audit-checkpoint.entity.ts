import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A signed statement "the ledger up to `position` ends in `hash`" (Ed25519); append-only like the ledger. */
@Entity({ name: 'audit_checkpoint', schema: 'governance' })
export class AuditCheckpointEntity {
  @PrimaryColumn('bigint')
  position: string;

  @Column('text')
  hash: string;

  /** base64 Ed25519 signature of checkpointMessage(position, hash) */
  @Column('text')
  signature: string;

  /** first 16 hex digits of sha256 of the public key (SPKI DER) */
  @Column('text')
  keyId: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
