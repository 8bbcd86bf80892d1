import { Column, Entity, PrimaryColumn, Unique } from 'typeorm';

/** Why a supergraph version exists. */
export enum SupergraphCause {
  /** a subgraph version passed its check */
  PUBLISH = 'publish',
  /** a data steward approved a subgraph version that failed its check */
  APPROVAL = 'approval',
  /** an operator went back to the subgraph versions of an earlier supergraph */
  ROLLBACK = 'rollback',
}

/** One subgraph version a supergraph is composed of, and where gateways reach it. */
export interface SupergraphMember {
  name: string;
  version: number;
  sha256: string;
  /** null: published without one; gateways use their own URL for the subgraph */
  routingUrl: string | null;
}

/**
 * A supergraph gateways were told to serve (GET /registry/supergraph answers the latest). Never updated: a publish,
 * an approval or a rollback adds the next version.
 */
@Entity({ name: 'supergraph_version', schema: 'governance' })
@Unique('uq_supergraph_version_version', ['version'])
export class SupergraphVersionEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('integer')
  version: number;

  @Column('text')
  sdl: string;

  /** sha256_hex of the supergraph SDL */
  @Column('text')
  sha256: string;

  @Column('jsonb')
  subgraphs: SupergraphMember[];

  @Column('text')
  cause: SupergraphCause;

  /** the publisher, approver or operator */
  @Column('text')
  author: string;

  @Column('text')
  reason: string;

  /** for a rollback: the version whose subgraphs it restores */
  @Column('integer', { nullable: true })
  rollbackOf: number | null;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;
}
