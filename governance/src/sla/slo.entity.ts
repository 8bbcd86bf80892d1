import { Column, Entity, PrimaryColumn, Unique } from 'typeorm';

/** What an SLO measures (the SlaSample kinds of libs/common). */
export enum SlaKind {
  SUBGRAPH = 'subgraph',
  OPERATION = 'operation',
  WORKFLOW = 'workflow',
}

export enum SloIndicator {
  /** good events: the ones without errors */
  AVAILABILITY = 'availability',
  /** good events: the ones at most latencyThresholdMs */
  LATENCY = 'latency',
}

/** A target of one kind that stands for all of them (`*` operations: the gateway's whole traffic). */
export const EVERY_TARGET = '*';

/** A service-level objective, data that operators edit (issue 5). */
@Entity({ name: 'service_level_objective', schema: 'governance' })
@Unique('uq_service_level_objective_name', ['name'])
export class ServiceLevelObjectiveEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @Column('text')
  kind: SlaKind;

  /** a subgraph, operation or workflow name; `*` for every one of the kind */
  @Column('text')
  target: string;

  @Column('text')
  indicator: SloIndicator;

  /** the share of good events promised, e.g. 0.999 (pg returns numeric as text) */
  @Column('numeric', { precision: 8, scale: 6 })
  objective: string;

  /** latency SLOs: one of SLA_LATENCY_BUCKETS_MS */
  @Column('integer', { nullable: true })
  latencyThresholdMs: number | null;

  /** the error budget's window */
  @Column('integer', { default: 28 })
  windowDays: number;

  @Column('boolean', { default: true })
  enabled: boolean;

  @Column('text')
  createdBy: string;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @Column('text')
  updatedBy: string;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt: Date;
}
