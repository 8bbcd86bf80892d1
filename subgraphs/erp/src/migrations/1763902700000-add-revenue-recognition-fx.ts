import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Revenue recognition (issue 6): each revenue entry keeps the legal entity's functional-currency amount with the
 * FX rate snapshotted at the period end (all three or none: entries recorded by hand before recognition kept no
 * rate), and a billing schedule line keeps when it became READY, so a milestone line counts in the month its
 * milestone was accepted. Lines already READY or INVOICED take their last change as that moment.
 */
export class AddRevenueRecognitionFx1763902700000 implements MigrationInterface {
  name = 'AddRevenueRecognitionFx1763902700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE erp.revenue_entry
        ADD COLUMN functional_currency character(3),
        ADD COLUMN fx_rate numeric(18,6),
        ADD COLUMN recognized_functional numeric(18,2),
        ADD CONSTRAINT ck_revenue_entry_functional CHECK (
          (functional_currency IS NULL AND fx_rate IS NULL AND recognized_functional IS NULL)
          OR (functional_currency IS NOT NULL AND fx_rate IS NOT NULL AND recognized_functional IS NOT NULL AND fx_rate > 0))`);
    await queryRunner.query(`ALTER TABLE erp.billing_schedule_line ADD COLUMN ready_at timestamptz(3)`);
    await queryRunner.query(`UPDATE erp.billing_schedule_line SET ready_at = updated_at WHERE status IN ('READY', 'INVOICED')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE erp.billing_schedule_line DROP COLUMN ready_at`);
    await queryRunner.query(`
      ALTER TABLE erp.revenue_entry DROP CONSTRAINT ck_revenue_entry_functional,
        DROP COLUMN recognized_functional, DROP COLUMN fx_rate, DROP COLUMN functional_currency`);
  }
}
