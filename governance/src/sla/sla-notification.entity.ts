import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

export enum NotificationStatus {
  /** waiting for (another) delivery attempt */
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  /** gave up after SLA_WEBHOOK_MAX_ATTEMPTS */
  FAILED = 'FAILED',
  /** no SLA_WEBHOOK_URL when it was created */
  SKIPPED = 'SKIPPED',
}

export type NotificationType = 'incident.opened' | 'incident.updated' | 'incident.resolved';

/** The webhook outbox: one row per incident change, delivered in `seq` order per incident. */
@Entity({ name: 'sla_notification', schema: 'governance' })
@Unique('uq_sla_notification_seq', ['seq'])
// a partial index (pending rows only) that entities cannot describe: the migration owns it
@Index('ix_sla_notification_pending', { synchronize: false })
export class SlaNotificationEntity {
  /** sent as x-concord-event-id on every attempt: the receiver's idempotency key */
  @PrimaryColumn('uuid')
  id: string;

  @Column({ type: 'bigint', generated: 'identity', generatedIdentity: 'ALWAYS' })
  seq: string;

  @Column('uuid')
  incidentId: string;

  @Column('text')
  type: NotificationType;

  /** the JSON body, fixed at creation so every attempt sends the same bytes */
  @Column('jsonb')
  payload: Record<string, unknown>;

  @Column('text')
  status: NotificationStatus;

  @Column('integer', { default: 0 })
  attempts: number;

  @Column({ type: 'timestamptz', precision: 3 })
  nextAttemptAt: Date;

  @Column('text', { nullable: true })
  lastError: string | null;

  @Column({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  deliveredAt: Date | null;
}
