import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The invoice run (issue 6): a GIN index on invoice_line.source_ids answers "is this time entry or expense already on a
 * live invoice?" for a whole run's sources in one query, and (contract_id, billing_period_end) finds the draft a run
 * made for a contract and period.
 */
export class AddInvoiceRunIndexes1763902400000 implements MigrationInterface {
  name = 'AddInvoiceRunIndexes1763902400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX ix_invoice_line_source_ids ON erp.invoice_line USING gin (source_ids)`);
    await queryRunner.query(`CREATE INDEX ix_invoice_contract_id_billing_period_end ON erp.invoice (contract_id, billing_period_end)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX erp.ix_invoice_contract_id_billing_period_end`);
    await queryRunner.query(`DROP INDEX erp.ix_invoice_line_source_ids`);
  }
}
