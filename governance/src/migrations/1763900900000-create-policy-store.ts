import type { MigrationInterface, QueryRunner } from 'typeorm';

const LEDGER_ACTIONS = `'create', 'update', 'delete', 'transition', 'denied', 'read'`;

/**
 * The policy store (ARCHITECTURE.md §1, §6): `policy_bundle` holds every published version, append-only like the
 * ledger (a version, once served, never changes); `ownership_change` holds data stewards' requests to change a
 * system of record, decided once (PENDING → APPLIED | REJECTED) and then frozen. The ledger learns governance's
 * own actions.
 */
export class CreatePolicyStore1763900900000 implements MigrationInterface {
  name = 'CreatePolicyStore1763900900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE governance.policy_bundle (
        version integer NOT NULL,
        bundle jsonb NOT NULL,
        sha256 text NOT NULL,
        actor text NOT NULL,
        reason text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_policy_bundle PRIMARY KEY (version),
        CONSTRAINT ck_policy_bundle_version CHECK (version >= 1 AND (bundle ->> 'version')::integer = version),
        CONSTRAINT ck_policy_bundle_sha256 CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        CONSTRAINT ck_policy_bundle_reason CHECK (length(btrim(reason)) > 0)
      )`);
    await queryRunner.query(`
      CREATE FUNCTION governance.refuse_policy_bundle_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'governance.policy_bundle is append-only: % refused', TG_OP
          USING ERRCODE = 'insufficient_privilege', HINT = 'publish a new version instead';
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER tr_policy_bundle_append_only BEFORE UPDATE OR DELETE ON governance.policy_bundle
      FOR EACH ROW EXECUTE FUNCTION governance.refuse_policy_bundle_change()`);
    await queryRunner.query(`
      CREATE TRIGGER tr_policy_bundle_no_truncate BEFORE TRUNCATE ON governance.policy_bundle
      FOR EACH STATEMENT EXECUTE FUNCTION governance.refuse_policy_bundle_change()`);

    await queryRunner.query(`
      CREATE TABLE governance.ownership_change (
        id uuid NOT NULL,
        entity text NOT NULL,
        field text,
        owner_before text NOT NULL,
        owner_after text NOT NULL,
        reason text NOT NULL,
        requested_by text NOT NULL,
        requested_at timestamptz(3) NOT NULL DEFAULT now(),
        status text NOT NULL DEFAULT 'PENDING',
        approved_by text,
        rejected_by text,
        rejection_reason text,
        decided_at timestamptz(3),
        bundle_version integer,
        CONSTRAINT pk_ownership_change PRIMARY KEY (id),
        CONSTRAINT fk_ownership_change_bundle_version FOREIGN KEY (bundle_version) REFERENCES governance.policy_bundle (version),
        CONSTRAINT ck_ownership_change_status CHECK (status IN ('PENDING', 'APPLIED', 'REJECTED')),
        CONSTRAINT ck_ownership_change_owners CHECK (
          owner_before IN ('crm', 'erp', 'psa') AND owner_after IN ('crm', 'erp', 'psa') AND owner_before <> owner_after),
        CONSTRAINT ck_ownership_change_reason CHECK (length(btrim(reason)) > 0),
        CONSTRAINT ck_ownership_change_decision CHECK (
          (status = 'PENDING' AND decided_at IS NULL AND bundle_version IS NULL AND approved_by IS NULL AND rejected_by IS NULL)
          OR (status = 'APPLIED' AND decided_at IS NOT NULL AND bundle_version IS NOT NULL AND rejected_by IS NULL)
          OR (status = 'REJECTED' AND decided_at IS NOT NULL AND bundle_version IS NULL AND rejected_by IS NOT NULL
              AND length(btrim(rejection_reason)) > 0)),
        CONSTRAINT ck_ownership_change_approver CHECK (approved_by IS NULL OR approved_by <> requested_by)
      )`);
    await queryRunner.query(`CREATE INDEX ix_ownership_change_status_requested_at ON governance.ownership_change (status, requested_at)`);
    // one open request per rule (entity, or entity field) at a time
    await queryRunner.query(`
      CREATE UNIQUE INDEX uq_ownership_change_pending ON governance.ownership_change (entity, (coalesce(field, '')))
      WHERE status = 'PENDING'`);
    await queryRunner.query(`
      CREATE FUNCTION governance.guard_ownership_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD.status = 'PENDING'
           AND (NEW.id, NEW.entity, NEW.field, NEW.owner_before, NEW.owner_after, NEW.reason, NEW.requested_by, NEW.requested_at)
               IS NOT DISTINCT FROM
               (OLD.id, OLD.entity, OLD.field, OLD.owner_before, OLD.owner_after, OLD.reason, OLD.requested_by, OLD.requested_at) THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'governance.ownership_change: % refused (a request is decided once, then kept as it is)', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER tr_ownership_change_decide_once BEFORE UPDATE OR DELETE ON governance.ownership_change
      FOR EACH ROW EXECUTE FUNCTION governance.guard_ownership_change()`);
    await queryRunner.query(`
      CREATE TRIGGER tr_ownership_change_no_truncate BEFORE TRUNCATE ON governance.ownership_change
      FOR EACH STATEMENT EXECUTE FUNCTION governance.guard_ownership_change()`);

    await queryRunner.query(`
      ALTER TABLE governance.audit_event DROP CONSTRAINT ck_audit_event_action,
        ADD CONSTRAINT ck_audit_event_action CHECK (action IN (${LEDGER_ACTIONS}, 'policy.publish', 'ownership.change'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // fails while the ledger holds governance actions: the ledger is never rewritten, not even by a rollback
    await queryRunner.query(`
      ALTER TABLE governance.audit_event DROP CONSTRAINT ck_audit_event_action,
        ADD CONSTRAINT ck_audit_event_action CHECK (action IN (${LEDGER_ACTIONS}))`);
    await queryRunner.query(`DROP TABLE governance.ownership_change`);
    await queryRunner.query(`DROP FUNCTION governance.guard_ownership_change()`);
    await queryRunner.query(`DROP TABLE governance.policy_bundle`);
    await queryRunner.query(`DROP FUNCTION governance.refuse_policy_bundle_change()`);
  }
}
