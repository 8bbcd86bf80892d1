import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export enum SubgraphStatus {
  /** registered, never probed */
  UNKNOWN = 'UNKNOWN',
  /** the last probe of /health answered 200 */
  UP = 'UP',
  /** the last probe failed: no answer, a timeout or a non-200 status */
  DOWN = 'DOWN',
}

/** A subgraph governance knows about, with the result of its last health probe. */
@Entity({ name: 'subgraph', schema: 'governance' })
export class SubgraphEntity {
  /** crm | erp | psa: the subgraph's name in the supergraph */
  @PrimaryColumn('text')
  name: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;

  /** where the gateway sends its GraphQL requests; /health is probed on the same origin */
  @Column('text')
  routingUrl: string;

  @Column('text', { default: SubgraphStatus.UNKNOWN })
  status: SubgraphStatus;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  lastCheckedAt: Date | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  lastOkAt: Date | null;

  @Column('integer', { nullable: true })
  lastLatencyMs: number | null;

  @Column('text', { nullable: true })
  lastError: string | null;
}
