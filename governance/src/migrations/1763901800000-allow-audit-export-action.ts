import type { MigrationInterface, QueryRunner } from 'typeorm';
import { addLedgerActions, removeLedgerActions } from './ledger-actions';

/** An auditor's export is itself a ledger entry (`audit.export`: who exported which filter, the head, the row count). */
export class AllowAuditExportAction1763901800000 implements MigrationInterface {
  name = 'AllowAuditExportAction1763901800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await addLedgerActions(queryRunner, ['audit.export']);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await removeLedgerActions(queryRunner, ['audit.export']);
  }
}
