import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Intercompany charges (issue 6): the legal entity of a resource charges the legal entity of the project it worked
 * on, one charge per time entry or expense (unique source, so the workflow that records them can retry).
 */
export class CreateIntercompanyCharge1763902600000 implements MigrationInterface {
  name = 'CreateIntercompanyCharge1763902600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE erp.intercompany_charge (
        id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        source_type text NOT NULL,
        source_id uuid NOT NULL,
        from_legal_entity_id uuid NOT NULL,
        to_legal_entity_id uuid NOT NULL,
        project_id uuid NOT NULL,
        date date NOT NULL,
        hours numeric(10,2),
        currency character(3) NOT NULL,
        cost numeric(18,2) NOT NULL,
        markup_pct numeric(5,2) NOT NULL,
        amount numeric(18,2) NOT NULL,
        CONSTRAINT pk_intercompany_charge PRIMARY KEY (id),
        CONSTRAINT fk_intercompany_charge_from FOREIGN KEY (from_legal_entity_id) REFERENCES erp.legal_entity (id),
        CONSTRAINT fk_intercompany_charge_to FOREIGN KEY (to_legal_entity_id) REFERENCES erp.legal_entity (id),
        CONSTRAINT ck_intercompany_charge_source_type CHECK (source_type IN ('TIME', 'EXPENSE')),
        CONSTRAINT ck_intercompany_charge_entities CHECK (from_legal_entity_id <> to_legal_entity_id),
        CONSTRAINT ck_intercompany_charge_amounts CHECK (cost >= 0 AND amount >= 0 AND markup_pct >= 0 AND (hours IS NULL OR hours >= 0))
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX uq_intercompany_charge_source ON erp.intercompany_charge (source_type, source_id)`);
    await queryRunner.query(`CREATE INDEX ix_intercompany_charge_project_id ON erp.intercompany_charge (project_id, date, id)`);
    await queryRunner.query(`CREATE INDEX ix_intercompany_charge_from_date ON erp.intercompany_charge (from_legal_entity_id, date, id)`);
    await queryRunner.query(`CREATE INDEX ix_intercompany_charge_to_date ON erp.intercompany_charge (to_legal_entity_id, date, id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE erp.intercompany_charge`);
  }
}
