import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { PolicyBundle } from '@concord/policy';

/** One published version of the policy bundle. Never updated: a change is a new version. */
@Entity({ name: 'policy_bundle', schema: 'governance' })
export class PolicyBundleEntity {
  /** 1, 2, 3, … assigned by the single writer; equals `bundle.version` */
  @PrimaryColumn('integer')
  version: number;

  @Column('jsonb')
  bundle: PolicyBundle;

  /** sha256_hex(canonicalJson(bundle)) */
  @Column('text')
  sha256: string;

  /** who published it (`system` for the default version 1) */
  @Column('text')
  actor: string;

  @Column('text')
  reason: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
