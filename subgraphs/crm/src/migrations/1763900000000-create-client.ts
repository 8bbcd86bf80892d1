import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateClient1763900000000 implements MigrationInterface {
  name = 'CreateClient1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE crm.client (
        id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        name text NOT NULL,
        domain text NOT NULL,
        industry text,
        employees integer,
        owner_id text NOT NULL,
        parent_client_id uuid,
        tier text NOT NULL DEFAULT 'MID_MARKET',
        arr numeric(18,2),
        currency character(3) NOT NULL,
        CONSTRAINT pk_client PRIMARY KEY (id),
        CONSTRAINT fk_client_parent_client FOREIGN KEY (parent_client_id) REFERENCES crm.client (id),
        CONSTRAINT ck_client_tier CHECK (tier IN ('STRATEGIC', 'ENTERPRISE', 'MID_MARKET', 'SMALL')),
        CONSTRAINT ck_client_employees CHECK (employees >= 0),
        CONSTRAINT ck_client_arr CHECK (arr >= 0),
        CONSTRAINT ck_client_currency CHECK (currency ~ '^[A-Z]{3}$')
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX ux_client_domain ON crm.client (domain)`);
    await queryRunner.query(`CREATE INDEX ix_client_name_id ON crm.client (name, id)`);
    await queryRunner.query(`CREATE INDEX ix_client_created_at_id ON crm.client (created_at, id)`);
    await queryRunner.query(`CREATE INDEX ix_client_owner_id ON crm.client (owner_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE crm.client`);
  }
}
