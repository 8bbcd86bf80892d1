import type { MigrationInterface, QueryRunner } from 'typeorm';
import { addLedgerActions, removeLedgerActions } from './ledger-actions';
import { SLA_LATENCY_BUCKETS_MS, newId } from '@concord/common';

const SLA_ACTIONS = ['slo.create', 'slo.update', 'incident.open', 'incident.update', 'incident.resolve', 'incident.note'];
const KINDS = `'subgraph', 'operation', 'workflow'`;
const BUCKET_COUNT = SLA_LATENCY_BUCKETS_MS.length + 1;

/** The default SLOs (issue 5): availability 99.5 % and 99 % of requests under 1 s per subgraph, and every operation's availability. */
const DEFAULT_SLOS: [name: string, kind: string, target: string, indicator: string, objective: string, thresholdMs: number | null][] = [
  ...['crm', 'erp', 'psa', 'governance'].flatMap((subgraph): [string, string, string, string, string, number | null][] => [
    [`${subgraph}-availability`, 'subgraph', subgraph, 'availability', '0.995', null],
    [`${subgraph}-latency`, 'subgraph', subgraph, 'latency', '0.99', 1_000],
  ]),
  ['operations-availability', 'operation', '*', 'availability', '0.995', null],
];

/**
 * SLA monitoring (ARCHITECTURE.md §8, issue 5):
 * - `sla_sample`: the gateways' per-minute samples (libs/common SlaSample), one row per kind, target, minute and
 *   gateway; counters only grow (a resent sample keeps the greatest), so ingest is idempotent. The key leads with
 *   kind and target, which is how evaluation and reports read; `(kind, minute)` serves `*` targets and retention.
 * - `service_level_objective`: SLOs as data, seeded with the defaults.
 * - `sla_incident` (at most one OPEN per SLO) and its timeline `sla_incident_event`.
 * - `sla_notification`: the webhook outbox, delivered in `seq` order per incident.
 * The ledger learns the SLO and incident actions.
 */
export class CreateSlaStore1763901300000 implements MigrationInterface {
  name = 'CreateSlaStore1763901300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE governance.sla_sample (
        kind text NOT NULL,
        target text NOT NULL,
        minute timestamptz(3) NOT NULL,
        source text NOT NULL,
        total bigint NOT NULL,
        errors bigint NOT NULL,
        timeouts bigint NOT NULL,
        rejected bigint NOT NULL,
        error_codes jsonb NOT NULL,
        latency bigint[] NOT NULL,
        CONSTRAINT pk_sla_sample PRIMARY KEY (kind, target, minute, source),
        CONSTRAINT ck_sla_sample_kind CHECK (kind IN (${KINDS})),
        CONSTRAINT ck_sla_sample_minute CHECK (date_trunc('minute', minute AT TIME ZONE 'UTC') = minute AT TIME ZONE 'UTC'),
        CONSTRAINT ck_sla_sample_counts CHECK (rejected >= 0 AND timeouts >= 0 AND errors >= timeouts AND total >= errors),
        CONSTRAINT ck_sla_sample_latency CHECK (cardinality(latency) = ${BUCKET_COUNT})
      )`);
    await queryRunner.query(`CREATE INDEX ix_sla_sample_kind_minute ON governance.sla_sample (kind, minute)`);

    await queryRunner.query(`
      CREATE TABLE governance.service_level_objective (
        id uuid NOT NULL,
        name text NOT NULL,
        kind text NOT NULL,
        target text NOT NULL,
        indicator text NOT NULL,
        objective numeric(8,6) NOT NULL,
        latency_threshold_ms integer,
        window_days integer NOT NULL DEFAULT 28,
        enabled boolean NOT NULL DEFAULT true,
        created_by text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_by text NOT NULL,
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_service_level_objective PRIMARY KEY (id),
        CONSTRAINT uq_service_level_objective_name UNIQUE (name),
        CONSTRAINT ck_service_level_objective_name CHECK (length(btrim(name)) > 0),
        CONSTRAINT ck_service_level_objective_kind CHECK (kind IN (${KINDS})),
        CONSTRAINT ck_service_level_objective_target CHECK (length(btrim(target)) > 0),
        CONSTRAINT ck_service_level_objective_indicator CHECK (indicator IN ('availability', 'latency')),
        CONSTRAINT ck_service_level_objective_objective CHECK (objective > 0 AND objective < 1),
        CONSTRAINT ck_service_level_objective_latency_threshold CHECK (
          (indicator = 'latency') = (latency_threshold_ms IS NOT NULL)
          AND (latency_threshold_ms IS NULL OR latency_threshold_ms IN (${SLA_LATENCY_BUCKETS_MS.join(', ')}))),
        CONSTRAINT ck_service_level_objective_window_days CHECK (window_days BETWEEN 1 AND 90)
      )`);
    for (const [name, kind, target, indicator, objective, thresholdMs] of DEFAULT_SLOS) {
      await queryRunner.query(
        `INSERT INTO governance.service_level_objective
           (id, name, kind, target, indicator, objective, latency_threshold_ms, created_by, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'system', 'system')`,
        [newId(), name, kind, target, indicator, objective, thresholdMs],
      );
    }

    await queryRunner.query(`
      CREATE TABLE governance.sla_incident (
        id uuid NOT NULL,
        slo_id uuid NOT NULL,
        status text NOT NULL,
        severity text NOT NULL,
        burn_factor double precision NOT NULL,
        burn_rate double precision NOT NULL,
        peak_burn_rate double precision NOT NULL,
        summary text NOT NULL,
        opened_at timestamptz(3) NOT NULL,
        updated_at timestamptz(3) NOT NULL,
        resolved_at timestamptz(3),
        CONSTRAINT pk_sla_incident PRIMARY KEY (id),
        CONSTRAINT fk_sla_incident_slo FOREIGN KEY (slo_id) REFERENCES governance.service_level_objective (id),
        CONSTRAINT ck_sla_incident_status CHECK (status IN ('OPEN', 'RESOLVED')),
        CONSTRAINT ck_sla_incident_severity CHECK (severity IN ('PAGE', 'TICKET')),
        CONSTRAINT ck_sla_incident_resolved CHECK ((status = 'RESOLVED') = (resolved_at IS NOT NULL))
      )`);
    // at most one open incident per SLO, whatever replica evaluates
    await queryRunner.query(`CREATE UNIQUE INDEX uq_sla_incident_open ON governance.sla_incident (slo_id) WHERE status = 'OPEN'`);
    await queryRunner.query(`CREATE INDEX ix_sla_incident_opened_at ON governance.sla_incident (opened_at, id)`);
    await queryRunner.query(`CREATE INDEX ix_sla_incident_slo_opened_at ON governance.sla_incident (slo_id, opened_at)`);

    await queryRunner.query(`
      CREATE TABLE governance.sla_incident_event (
        id bigint GENERATED ALWAYS AS IDENTITY,
        incident_id uuid NOT NULL,
        at timestamptz(3) NOT NULL,
        kind text NOT NULL,
        severity text,
        burn_rate double precision,
        message text NOT NULL,
        actor text NOT NULL,
        CONSTRAINT pk_sla_incident_event PRIMARY KEY (id),
        CONSTRAINT fk_sla_incident_event_incident FOREIGN KEY (incident_id) REFERENCES governance.sla_incident (id),
        CONSTRAINT ck_sla_incident_event_kind CHECK (kind IN ('OPENED', 'UPDATED', 'RESOLVED', 'NOTE')),
        CONSTRAINT ck_sla_incident_event_message CHECK (length(btrim(message)) > 0)
      )`);
    await queryRunner.query(`CREATE INDEX ix_sla_incident_event_incident_id ON governance.sla_incident_event (incident_id, id)`);

    await queryRunner.query(`
      CREATE TABLE governance.sla_notification (
        id uuid NOT NULL,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        incident_id uuid NOT NULL,
        type text NOT NULL,
        payload jsonb NOT NULL,
        status text NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz(3) NOT NULL,
        last_error text,
        created_at timestamptz(3) NOT NULL,
        delivered_at timestamptz(3),
        CONSTRAINT pk_sla_notification PRIMARY KEY (id),
        CONSTRAINT uq_sla_notification_seq UNIQUE (seq),
        CONSTRAINT fk_sla_notification_incident FOREIGN KEY (incident_id) REFERENCES governance.sla_incident (id),
        CONSTRAINT ck_sla_notification_type CHECK (type IN ('incident.opened', 'incident.updated', 'incident.resolved')),
        CONSTRAINT ck_sla_notification_status CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED', 'SKIPPED')),
        CONSTRAINT ck_sla_notification_attempts CHECK (attempts >= 0)
      )`);
    // the delivery job's read: the oldest pending notification of each incident
    await queryRunner.query(
      `CREATE INDEX ix_sla_notification_pending ON governance.sla_notification (incident_id, seq) WHERE status = 'PENDING'`,
    );

    await addLedgerActions(queryRunner, SLA_ACTIONS);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // fails while the ledger holds SLO or incident events: the ledger is never rewritten, not even by a rollback
    await removeLedgerActions(queryRunner, SLA_ACTIONS);
    await queryRunner.query(`DROP TABLE governance.sla_notification`);
    await queryRunner.query(`DROP TABLE governance.sla_incident_event`);
    await queryRunner.query(`DROP TABLE governance.sla_incident`);
    await queryRunner.query(`DROP TABLE governance.service_level_objective`);
    await queryRunner.query(`DROP TABLE governance.sla_sample`);
  }
}
