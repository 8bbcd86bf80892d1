import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Schema checks that did not publish (issue 7, the API owners' checks history): `POST /registry/check` stored with
 * its report, so a check's changes, and the client versions and operations they affect, can be read later next to
 * the publish attempts (whose reports schema_version keeps).
 */
export class CreateSchemaCheck1763901830000 implements MigrationInterface {
  name = 'CreateSchemaCheck1763901830000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE governance.schema_check (
        id uuid NOT NULL,
        subgraph text NOT NULL,
        sha256 text,
        ok boolean NOT NULL,
        report jsonb NOT NULL,
        checked_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_schema_check PRIMARY KEY (id)
      )`);
    await queryRunner.query(`CREATE INDEX ix_schema_check_subgraph_checked_at ON governance.schema_check (subgraph, checked_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE governance.schema_check`);
  }
}
