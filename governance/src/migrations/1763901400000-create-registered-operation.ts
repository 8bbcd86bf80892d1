import type { MigrationInterface, QueryRunner } from 'typeorm';
import { addLedgerActions, removeLedgerActions } from './ledger-actions';

const ACTION = 'operation.register';

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
    await addLedgerActions(queryRunner, [ACTION]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // fails while the ledger holds registrations: the ledger is never rewritten, not even by a rollback
    await removeLedgerActions(queryRunner, [ACTION]);
    await queryRunner.query(`DROP TABLE governance.registered_operation`);
  }
}
