import type { MigrationInterface, QueryRunner } from 'typeorm';
import { addLedgerActions, removeLedgerActions } from './ledger-actions';

const ACTIONS = ['schema.approve', 'schema.rollback'];

/**
 * Supergraph history (ARCHITECTURE.md §7, issue 5): every supergraph gateways were told to serve is a row of
 * `supergraph_version` — composed from a set of subgraph versions, with why it came to be (a passing publish, a
 * steward's approval of a failed check, or a rollback to an earlier version) — so a rollback is one new row and the
 * next check diffs against what is actually served. `schema_approval` holds stewards' approvals of failed checks
 * (never by the publisher). Subgraph versions learn their routing URL. Both tables are append-only.
 */
export class CreateSupergraphHistory1763901500000 implements MigrationInterface {
  name = 'CreateSupergraphHistory1763901500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE governance.schema_version
        ADD COLUMN routing_url text,
        ADD CONSTRAINT ck_schema_version_routing_url CHECK (routing_url IS NULL OR routing_url ~ '^https?://')`);
    await queryRunner.query(`
      CREATE TABLE governance.supergraph_version (
        id uuid NOT NULL,
        version integer NOT NULL,
        sdl text NOT NULL,
        sha256 text NOT NULL,
        subgraphs jsonb NOT NULL,
        cause text NOT NULL,
        author text NOT NULL,
        reason text NOT NULL,
        rollback_of integer,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_supergraph_version PRIMARY KEY (id),
        CONSTRAINT uq_supergraph_version_version UNIQUE (version),
        CONSTRAINT ck_supergraph_version_version CHECK (version >= 1),
        CONSTRAINT ck_supergraph_version_sha256 CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        CONSTRAINT ck_supergraph_version_subgraphs CHECK (jsonb_typeof(subgraphs) = 'array'),
        CONSTRAINT ck_supergraph_version_cause CHECK (cause IN ('publish', 'approval', 'rollback')),
        CONSTRAINT ck_supergraph_version_rollback CHECK ((cause = 'rollback') = (rollback_of IS NOT NULL)),
        CONSTRAINT ck_supergraph_version_author CHECK (length(btrim(author)) > 0)
      )`);
    await queryRunner.query(`
      CREATE TABLE governance.schema_approval (
        id uuid NOT NULL,
        schema_version_id uuid NOT NULL,
        approved_by text NOT NULL,
        approver_roles text[] NOT NULL,
        reason text NOT NULL,
        check_result jsonb NOT NULL,
        supergraph_version integer NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_schema_approval PRIMARY KEY (id),
        CONSTRAINT uq_schema_approval_schema_version UNIQUE (schema_version_id),
        CONSTRAINT fk_schema_approval_schema_version FOREIGN KEY (schema_version_id) REFERENCES governance.schema_version (id),
        CONSTRAINT ck_schema_approval_reason CHECK (length(btrim(reason)) > 0),
        CONSTRAINT ck_schema_approval_approved_by CHECK (length(btrim(approved_by)) > 0)
      )`);
    await queryRunner.query(`
      CREATE FUNCTION governance.refuse_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'governance.% is append-only: % refused', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'insufficient_privilege', HINT = 'history is evidence: add a row instead';
      END
      $$`);
    for (const table of ['supergraph_version', 'schema_approval']) {
      await queryRunner.query(`
        CREATE TRIGGER tr_${table}_append_only BEFORE UPDATE OR DELETE ON governance.${table}
        FOR EACH ROW EXECUTE FUNCTION governance.refuse_history_change()`);
      await queryRunner.query(`
        CREATE TRIGGER tr_${table}_no_truncate BEFORE TRUNCATE ON governance.${table}
        FOR EACH STATEMENT EXECUTE FUNCTION governance.refuse_history_change()`);
    }
    await addLedgerActions(queryRunner, ACTIONS);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // fails while the ledger holds approvals or rollbacks: the ledger is never rewritten, not even by a rollback
    await removeLedgerActions(queryRunner, ACTIONS);
    await queryRunner.query(`DROP TABLE governance.schema_approval`);
    await queryRunner.query(`DROP TABLE governance.supergraph_version`);
    await queryRunner.query(`DROP FUNCTION governance.refuse_history_change()`);
    await queryRunner.query(`ALTER TABLE governance.schema_version DROP COLUMN routing_url`);
  }
}
