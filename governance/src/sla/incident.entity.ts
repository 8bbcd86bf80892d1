import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { IncidentSeverity } from './burn-rate';

export enum IncidentStatus {
  OPEN = 'OPEN',
  RESOLVED = 'RESOLVED',
}

export enum IncidentEventKind {
  OPENED = 'OPENED',
  /** the severity, the deciding burn-rate pair or the burn rate (by 2× or more) changed */
  UPDATED = 'UPDATED',
  RESOLVED = 'RESOLVED',
  /** an operator's note */
  NOTE = 'NOTE',
}

/** An SLO burning its error budget too fast; opened, updated and resolved by the evaluator. */
@Entity({ name: 'sla_incident', schema: 'governance' })
@Index('ix_sla_incident_opened_at', ['openedAt', 'id'])
@Index('ix_sla_incident_slo_opened_at', ['sloId', 'openedAt'])
// a partial unique index (one OPEN incident per SLO) that entities cannot describe: the migration owns it
@Index('uq_sla_incident_open', { synchronize: false })
export class IncidentEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  sloId: string;

  @Column('text')
  status: IncidentStatus;

  @Column('text')
  severity: IncidentSeverity;

  /** the factor of the burn-rate pair that decided the severity (14.4, 6 or 1) */
  @Column('double precision')
  burnFactor: number;

  /** the deciding pair's long-window burn rate when last recorded on the timeline */
  @Column('double precision')
  burnRate: number;

  @Column('double precision')
  peakBurnRate: number;

  @Column('text')
  summary: string;

  @Column({ type: 'timestamptz', precision: 3 })
  openedAt: Date;

  @Column({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  resolvedAt: Date | null;
}

/** One entry of an incident's timeline. */
@Entity({ name: 'sla_incident_event', schema: 'governance' })
@Index('ix_sla_incident_event_incident_id', ['incidentId', 'id'])
export class IncidentEventEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column('uuid')
  incidentId: string;

  @Column({ type: 'timestamptz', precision: 3 })
  at: Date;

  @Column('text')
  kind: IncidentEventKind;

  @Column('text', { nullable: true })
  severity: IncidentSeverity | null;

  @Column('double precision', { nullable: true })
  burnRate: number | null;

  @Column('text')
  message: string;

  /** the operator who wrote a note, or the evaluator */
  @Column('text')
  actor: string;
}
