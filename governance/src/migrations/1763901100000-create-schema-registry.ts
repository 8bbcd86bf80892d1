import type { MigrationInterface, QueryRunner } from 'typeorm';

const LEDGER_ACTIONS = `'create', 'update', 'delete', 'transition', 'denied', 'read', 'policy.publish', 'ownership.change'`;

/**
 * The schema registry (ARCHITECTURE.md §7): `schema_version` holds every SDL a subgraph tried to publish with its
 * check result, PUBLISHED or REJECTED, append-only like the policy bundle (history is evidence). Versions count
 * every attempt of a subgraph, so a rejected attempt keeps its number. The ledger learns `schema.publish`.
 */
export class CreateSchemaRegistry1763901100000 implements MigrationInterface {
  name = 'CreateSchemaRegistry1763901100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE governance.schema_version (
        id uuid NOT NULL,
        subgraph text NOT NULL,
        version integer NOT NULL,
        sdl text NOT NULL,
        sha256 text NOT NULL,
        author text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        check_result jsonb NOT NULL,
        status text NOT NULL,
        CONSTRAINT pk_schema_version PRIMARY KEY (id),
        CONSTRAINT uq_schema_version_subgraph_version UNIQUE (subgraph, version),
        CONSTRAINT ck_schema_version_version CHECK (version >= 1),
        CONSTRAINT ck_schema_version_subgraph CHECK (subgraph ~ '^[a-z][a-z0-9_-]{0,62}$'),
        CONSTRAINT ck_schema_version_sha256 CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        CONSTRAINT ck_schema_version_author CHECK (length(btrim(author)) > 0),
        CONSTRAINT ck_schema_version_status CHECK (status IN ('PUBLISHED', 'REJECTED'))
      )`);
    // the latest published version of a subgraph, and the supergraph (latest of each), are the hot reads
    await queryRunner.query(`
      CREATE INDEX ix_schema_version_published ON governance.schema_version (subgraph, version DESC) WHERE status = 'PUBLISHED'`);
    await queryRunner.query(`
      CREATE FUNCTION governance.refuse_schema_version_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'governance.schema_version is append-only: % refused', TG_OP
          USING ERRCODE = 'insufficient_privilege', HINT = 'publish a new version instead';
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER tr_schema_version_append_only BEFORE UPDATE OR DELETE ON governance.schema_version
      FOR EACH ROW EXECUTE FUNCTION governance.refuse_schema_version_change()`);
    await queryRunner.query(`
      CREATE TRIGGER tr_schema_version_no_truncate BEFORE TRUNCATE ON governance.schema_version
      FOR EACH STATEMENT EXECUTE FUNCTION governance.refuse_schema_version_change()`);

    await queryRunner.query(`
      ALTER TABLE governance.audit_event DROP CONSTRAINT ck_audit_event_action,
        ADD CONSTRAINT ck_audit_event_action CHECK (action IN (${LEDGER_ACTIONS}, 'schema.publish'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // fails while the ledger holds schema publishes: the ledger is never rewritten, not even by a rollback
    await queryRunner.query(`
      ALTER TABLE governance.audit_event DROP CONSTRAINT ck_audit_event_action,
        ADD CONSTRAINT ck_audit_event_action CHECK (action IN (${LEDGER_ACTIONS}))`);
    await queryRunner.query(`DROP TABLE governance.schema_version`);
    await queryRunner.query(`DROP FUNCTION governance.refuse_schema_version_change()`);
  }
}
