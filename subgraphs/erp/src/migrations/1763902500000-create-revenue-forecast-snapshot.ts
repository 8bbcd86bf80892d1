import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Revenue forecast snapshots (issue 6, forecast accuracy): a project's forecast for a month and currency, kept as it
 * was recorded (one per month, project and currency) to compare with the month's recognised revenue later.
 */
export class CreateRevenueForecastSnapshot1763902500000 implements MigrationInterface {
  name = 'CreateRevenueForecastSnapshot1763902500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE erp.revenue_forecast_snapshot (
        id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        month date NOT NULL,
        project_id uuid NOT NULL,
        contract_id uuid,
        currency character(3) NOT NULL,
        time_and_materials numeric(18,2) NOT NULL,
        fixed_fee numeric(18,2) NOT NULL,
        recorded_by text NOT NULL,
        CONSTRAINT pk_revenue_forecast_snapshot PRIMARY KEY (id),
        CONSTRAINT fk_revenue_forecast_snapshot_contract FOREIGN KEY (contract_id) REFERENCES erp.contract (id),
        CONSTRAINT ck_revenue_forecast_snapshot_month CHECK (extract(day FROM month) = 1),
        CONSTRAINT ck_revenue_forecast_snapshot_currency CHECK (currency ~ '^[A-Z]{3}$'),
        CONSTRAINT ck_revenue_forecast_snapshot_time_and_materials CHECK (time_and_materials >= 0),
        CONSTRAINT ck_revenue_forecast_snapshot_fixed_fee CHECK (fixed_fee >= 0)
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX ux_revenue_forecast_snapshot_month_project_id_currency ON erp.revenue_forecast_snapshot (month, project_id, currency)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE erp.revenue_forecast_snapshot`);
  }
}
