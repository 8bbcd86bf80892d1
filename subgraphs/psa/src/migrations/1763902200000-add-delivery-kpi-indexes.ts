import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Revenue leakage reads APPROVED billable time and expenses not yet invoiced by date: partial indexes keep that
 * read to the (few) rows waiting for an invoice, whatever the size of the invoiced history.
 */
export class AddDeliveryKpiIndexes1763902200000 implements MigrationInterface {
  name = 'AddDeliveryKpiIndexes1763902200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX ix_time_entry_approved_billable_date ON psa.time_entry (date) WHERE status = 'APPROVED' AND billable_hours > 0`,
    );
    await queryRunner.query(`CREATE INDEX ix_expense_approved_billable_date ON psa.expense (date) WHERE status = 'APPROVED' AND billable`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX psa.ix_expense_approved_billable_date`);
    await queryRunner.query(`DROP INDEX psa.ix_time_entry_approved_billable_date`);
  }
}
