import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSubgraph1763900600000 implements MigrationInterface {
  name = 'CreateSubgraph1763900600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE governance.subgraph (
        name text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        routing_url text NOT NULL,
        status text NOT NULL DEFAULT 'UNKNOWN',
        last_checked_at timestamptz(3),
        last_ok_at timestamptz(3),
        last_latency_ms integer,
        last_error text,
        CONSTRAINT pk_subgraph PRIMARY KEY (name),
        CONSTRAINT ck_subgraph_name CHECK (name ~ '^[a-z][a-z0-9_-]{0,62}$'),
        CONSTRAINT ck_subgraph_status CHECK (status IN ('UNKNOWN', 'UP', 'DOWN')),
        CONSTRAINT ck_subgraph_last_latency_ms CHECK (last_latency_ms >= 0)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE governance.subgraph`);
  }
}
