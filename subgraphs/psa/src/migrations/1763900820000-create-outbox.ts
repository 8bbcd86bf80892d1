import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The audit outbox (ARCHITECTURE.md §6): one row per write, in the write's transaction; written with SQL, no entity. */
export class CreateOutbox1763900820000 implements MigrationInterface {
  name = 'CreateOutbox1763900820000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE psa.outbox (
        event_id uuid NOT NULL,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        service text NOT NULL,
        actor jsonb,
        action text NOT NULL,
        entity text NOT NULL,
        entity_id text NOT NULL,
        "before" jsonb,
        "after" jsonb,
        changed_fields text[] NOT NULL DEFAULT '{}',
        reason text,
        correlation_id text,
        policy_version text,
        delivered_at timestamptz,
        CONSTRAINT pk_outbox PRIMARY KEY (event_id),
        CONSTRAINT ck_outbox_action CHECK (action IN ('create', 'update', 'delete', 'transition', 'denied', 'read'))
      )`);
    // the relay reads undelivered rows oldest first; delivered rows drop out of the index
    await queryRunner.query(`CREATE INDEX ix_outbox_undelivered ON psa.outbox (occurred_at, event_id) WHERE delivered_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE psa.outbox`);
  }
}
