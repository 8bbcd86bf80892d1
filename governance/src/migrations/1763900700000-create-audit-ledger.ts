import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit ledger (ARCHITECTURE.md §6): append-only, hash-chained events and their signed checkpoints.
 * Triggers refuse UPDATE, DELETE and TRUNCATE, so not even a bug in governance can rewrite history.
 */
export class CreateAuditLedger1763900700000 implements MigrationInterface {
  name = 'CreateAuditLedger1763900700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE governance.audit_event (
        position bigint NOT NULL,
        event_id uuid NOT NULL,
        occurred_at timestamptz(3) NOT NULL,
        recorded_at timestamptz(3) NOT NULL DEFAULT now(),
        service text NOT NULL,
        actor jsonb,
        action text NOT NULL,
        entity text NOT NULL,
        entity_id text NOT NULL,
        before jsonb,
        after jsonb,
        changed_fields text[] NOT NULL,
        reason text,
        correlation_id text,
        policy_version text,
        prev_hash text NOT NULL,
        hash text NOT NULL,
        CONSTRAINT pk_audit_event PRIMARY KEY (position),
        CONSTRAINT uq_audit_event_event_id UNIQUE (event_id),
        CONSTRAINT ck_audit_event_position CHECK (position >= 1),
        CONSTRAINT ck_audit_event_action CHECK (action IN ('create', 'update', 'delete', 'transition', 'denied', 'read')),
        CONSTRAINT ck_audit_event_hash CHECK (hash ~ '^[0-9a-f]{64}$' AND prev_hash ~ '^[0-9a-f]{64}$')
      )`);
    await queryRunner.query(`CREATE INDEX ix_audit_event_entity_entity_id ON governance.audit_event (entity, entity_id, position)`);
    await queryRunner.query(`CREATE INDEX ix_audit_event_actor_sub ON governance.audit_event ((actor ->> 'sub'), position)`);
    await queryRunner.query(`CREATE INDEX ix_audit_event_correlation_id ON governance.audit_event (correlation_id)`);
    await queryRunner.query(`CREATE INDEX ix_audit_event_occurred_at ON governance.audit_event (occurred_at)`);
    await queryRunner.query(`
      CREATE TABLE governance.audit_checkpoint (
        position bigint NOT NULL,
        hash text NOT NULL,
        signature text NOT NULL,
        key_id text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_audit_checkpoint PRIMARY KEY (position)
      )`);
    await queryRunner.query(`
      CREATE FUNCTION governance.refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'governance.% is append-only: % refused', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'insufficient_privilege', HINT = 'the audit ledger can only be appended to';
      END
      $$`);
    for (const table of ['audit_event', 'audit_checkpoint']) {
      await queryRunner.query(`
        CREATE TRIGGER tr_${table}_append_only BEFORE UPDATE OR DELETE ON governance.${table}
        FOR EACH ROW EXECUTE FUNCTION governance.refuse_audit_change()`);
      await queryRunner.query(`
        CREATE TRIGGER tr_${table}_no_truncate BEFORE TRUNCATE ON governance.${table}
        FOR EACH STATEMENT EXECUTE FUNCTION governance.refuse_audit_change()`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE governance.audit_checkpoint`);
    await queryRunner.query(`DROP TABLE governance.audit_event`);
    await queryRunner.query(`DROP FUNCTION governance.refuse_audit_change()`);
  }
}
