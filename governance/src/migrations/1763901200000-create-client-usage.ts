import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Client usage (issue 5, "Clients and usage"): what the gateways report, per client name and version, operation and
 * field coordinate, summed per UTC day. The registry's usage-aware checks and "who uses `Project.margin`?" read it;
 * the primary key leads with the coordinate, which is how both look rows up.
 */
export class CreateClientUsage1763901200000 implements MigrationInterface {
  name = 'CreateClientUsage1763901200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE governance.client_usage (
        coordinate text NOT NULL,
        day date NOT NULL,
        client_name text NOT NULL,
        client_version text NOT NULL,
        operation_hash text NOT NULL,
        operation_name text,
        count bigint NOT NULL,
        last_seen timestamptz(3) NOT NULL,
        CONSTRAINT pk_client_usage PRIMARY KEY (coordinate, day, client_name, client_version, operation_hash),
        CONSTRAINT ck_client_usage_coordinate CHECK (coordinate ~ '^[_A-Za-z][_0-9A-Za-z]*\\.[_A-Za-z][_0-9A-Za-z]*$'),
        CONSTRAINT ck_client_usage_client_name CHECK (length(btrim(client_name)) > 0),
        CONSTRAINT ck_client_usage_operation_hash CHECK (length(operation_hash) > 0),
        CONSTRAINT ck_client_usage_count CHECK (count > 0)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE governance.client_usage`);
  }
}
