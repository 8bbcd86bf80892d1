import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Client usage names more than fields (issue 5): the gateways also report the arguments operations give
 * (`Type.field.argument`), and the input fields (`Input.field`) and enum values (`Enum.VALUE`) in their values, so a
 * check can tell whether removing an argument or an enum value breaks a client. Retention deletes rows by day: an index
 * on it keeps each batch from scanning the table.
 */
export class WidenClientUsage1763901600000 implements MigrationInterface {
  name = 'WidenClientUsage1763901600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE governance.client_usage
        DROP CONSTRAINT ck_client_usage_coordinate,
        ADD CONSTRAINT ck_client_usage_coordinate
          CHECK (coordinate ~ '^[_A-Za-z][_0-9A-Za-z]*\\.[_A-Za-z][_0-9A-Za-z]*(\\.[_A-Za-z][_0-9A-Za-z]*)?$')`);
    await queryRunner.query(`CREATE INDEX ix_client_usage_day ON governance.client_usage (day)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX governance.ix_client_usage_day`);
    // argument coordinates have no place in the narrower table
    await queryRunner.query(`DELETE FROM governance.client_usage WHERE coordinate ~ '\\..*\\.'`);
    await queryRunner.query(`
      ALTER TABLE governance.client_usage
        DROP CONSTRAINT ck_client_usage_coordinate,
        ADD CONSTRAINT ck_client_usage_coordinate CHECK (coordinate ~ '^[_A-Za-z][_0-9A-Za-z]*\\.[_A-Za-z][_0-9A-Za-z]*$')`);
  }
}
