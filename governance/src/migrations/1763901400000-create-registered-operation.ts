import type { MigrationInterface, QueryRunner } from 'typeorm';

const ACTION = 'operation.register';

/** The actions `ck_audit_event_action` allows now, read from the database rather than restated here. */
async function ledgerActions(queryRunner: QueryRunner): Promise<string[]> {
  const [row]: { definition: string }[] = await queryRunner.query(
    `SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint
     WHERE conname = 'ck_audit_event_action' AND conrelid = 'governance.audit_event'::regclass`,
  );
  const actions = [...(row?.definition ?? '').matchAll(/'((?:[^']|'')*)'/g)].map((match) => match[1].replace(/''/g, "'"));
  if (actions.length === 0) {
    throw new Error(`cannot read the actions of ck_audit_event_action (${row?.definition ?? 'no such constraint'})`);
  }
  return actions;
}

async function allowLedgerActions(queryRunner: QueryRunner, actions: readonly string[]): Promise<void> {
  const list = actions.map((action) => `'${action.replace(/'/g, "''")}'`).join(', ');
  await queryRunner.query(`
    ALTER TABLE governance.audit_event DROP CONSTRAINT ck_audit_event_action,
      ADD CONSTRAINT ck_audit_event_action CHECK (action IN (${list}))`);
}

/**
 * The operation safelist (issue 5, "Clients and usage"): `registered_operation` holds the operation documents each
 * client version registered, keyed by client name, client version and operation id (sha256 hex of the printed
 * document), so registering again is a no-op. The ledger learns `operation.register`. The ledger's action list is
 * extended as it stands, not restated, so migrations that extend it on other branches apply in either order.
 */
export class CreateRegisteredOperation1763901400000 implements MigrationInterface {
  name = 'CreateRegisteredOperation1763901400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE governance.registered_operation (
        client_name text NOT NULL,
        client_version text NOT NULL,
        operation_id text NOT NULL,
        operation_name text,
        document text NOT NULL,
        registered_by text NOT NULL,
        registered_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_registered_operation PRIMARY KEY (client_name, client_version, operation_id),
        CONSTRAINT ck_registered_operation_client_name CHECK (length(btrim(client_name)) > 0),
        CONSTRAINT ck_registered_operation_client_version CHECK (length(btrim(client_version)) > 0),
        CONSTRAINT ck_registered_operation_operation_id CHECK (operation_id ~ '^[0-9a-f]{64}$'),
        CONSTRAINT ck_registered_operation_registered_by CHECK (length(btrim(registered_by)) > 0)
      )`);
    const actions = await ledgerActions(queryRunner);
    if (!actions.includes(ACTION)) {
      await allowLedgerActions(queryRunner, [...actions, ACTION]);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // fails while the ledger holds registrations: the ledger is never rewritten, not even by a rollback
    await allowLedgerActions(
      queryRunner,
      (await ledgerActions(queryRunner)).filter((action) => action !== ACTION),
    );
    await queryRunner.query(`DROP TABLE governance.registered_operation`);
  }
}
