import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { SystemOfRecord } from '@concord/policy';

export enum OwnershipChangeStatus {
  /** waiting for a second data steward (the rule requires approval) */
  PENDING = 'PENDING',
  /** in force from `bundleVersion` on */
  APPLIED = 'APPLIED',
  REJECTED = 'REJECTED',
}

/** A data steward's request to change the system of record of an entity or one of its fields. Decided once. */
@Entity({ name: 'ownership_change', schema: 'governance' })
@Index('ix_ownership_change_status_requested_at', ['status', 'requestedAt'])
// a partial unique expression index (one PENDING request per rule) that entities cannot describe: the migration owns it
@Index('uq_ownership_change_pending', { synchronize: false })
export class OwnershipChangeEntity {
  @PrimaryColumn('uuid')
  id: string;

  /** GraphQL type name, e.g. `TimeEntry` */
  @Column('text')
  entity: string;

  /** null: the entity's owner; else the field whose owner changes */
  @Column('text', { nullable: true })
  field: string | null;

  @Column('text')
  ownerBefore: SystemOfRecord;

  @Column('text')
  ownerAfter: SystemOfRecord;

  @Column('text')
  reason: string;

  @Column('text')
  requestedBy: string;

  /** the requester's teams when asking (four-eyes: none of them may approve it either) */
  @Column('text', { array: true, default: () => "'{}'" })
  requestedByTeams: string[];

  /** the team the request was made for; its members may not approve it */
  @Column('text', { nullable: true })
  onBehalfOfTeam: string | null;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  requestedAt: Date;

  @Column('text', { default: OwnershipChangeStatus.PENDING })
  status: OwnershipChangeStatus;

  /** the second steward; null when the rule needs no approval */
  @Column('text', { nullable: true })
  approvedBy: string | null;

  @Column('text', { nullable: true })
  rejectedBy: string | null;

  @Column('text', { nullable: true })
  rejectionReason: string | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  decidedAt: Date | null;

  /** the bundle version that applied it */
  @Column('integer', { nullable: true })
  bundleVersion: number | null;
}
