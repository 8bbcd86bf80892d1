import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Billing exceptions (issue 6): credit notes against POSTED invoices, write-offs of amounts due, and contract
 * amendments with their reason and approver. Invoices keep running totals of what was credited and written off,
 * and may state the end of the period they bill (invoice cycle time). Indexes serve the finance KPIs.
 */
export class CreateBillingExceptions1763902100000 implements MigrationInterface {
  name = 'CreateBillingExceptions1763902100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE erp.invoice
        ADD COLUMN billing_period_end date,
        ADD COLUMN credited_total numeric(18,2) NOT NULL DEFAULT 0,
        ADD COLUMN written_off_total numeric(18,2) NOT NULL DEFAULT 0,
        ADD CONSTRAINT ck_invoice_credited_total CHECK (credited_total >= 0),
        ADD CONSTRAINT ck_invoice_written_off_total CHECK (written_off_total >= 0)`);
    // Open receivables (AR, ageing) and posting times (cycle time) of the finance KPIs.
    await queryRunner.query(`CREATE INDEX ix_invoice_posted_at ON erp.invoice (posted_at)`);

    await queryRunner.query(`
      CREATE TABLE erp.credit_note (
        id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        number text NOT NULL,
        invoice_id uuid NOT NULL,
        customer_id uuid NOT NULL,
        client_id uuid NOT NULL,
        legal_entity_id uuid NOT NULL,
        contract_id uuid,
        project_id uuid,
        issue_date date NOT NULL,
        currency character(3) NOT NULL,
        subtotal numeric(18,2) NOT NULL,
        tax numeric(18,2) NOT NULL,
        total numeric(18,2) NOT NULL,
        fx_rate numeric(18,6) NOT NULL,
        base_currency character(3) NOT NULL,
        base_total numeric(18,2) NOT NULL,
        reason text NOT NULL,
        approved_by text NOT NULL,
        CONSTRAINT pk_credit_note PRIMARY KEY (id),
        CONSTRAINT fk_credit_note_invoice FOREIGN KEY (invoice_id) REFERENCES erp.invoice (id),
        CONSTRAINT fk_credit_note_customer FOREIGN KEY (customer_id) REFERENCES erp.legal_customer (id),
        CONSTRAINT fk_credit_note_legal_entity FOREIGN KEY (legal_entity_id) REFERENCES erp.legal_entity (id),
        CONSTRAINT fk_credit_note_contract FOREIGN KEY (contract_id) REFERENCES erp.contract (id),
        CONSTRAINT ck_credit_note_subtotal CHECK (subtotal > 0),
        CONSTRAINT ck_credit_note_tax CHECK (tax >= 0),
        CONSTRAINT ck_credit_note_total CHECK (total = subtotal + tax),
        CONSTRAINT ck_credit_note_currency CHECK (currency ~ '^[A-Z]{3}$'),
        CONSTRAINT ck_credit_note_base_currency CHECK (base_currency ~ '^[A-Z]{3}$'),
        CONSTRAINT ck_credit_note_fx_rate CHECK (fx_rate > 0),
        CONSTRAINT ck_credit_note_reason CHECK (length(trim(reason)) > 0),
        CONSTRAINT ck_credit_note_approved_by CHECK (length(approved_by) > 0)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX ux_credit_note_number ON erp.credit_note (number)`);
    await queryRunner.query(`CREATE INDEX ix_credit_note_invoice_id ON erp.credit_note (invoice_id)`);
    await queryRunner.query(`CREATE INDEX ix_credit_note_issue_date_id ON erp.credit_note (issue_date, id)`);
    await queryRunner.query(`CREATE INDEX ix_credit_note_client_id ON erp.credit_note (client_id)`);
    await queryRunner.query(`CREATE INDEX ix_credit_note_created_at_id ON erp.credit_note (created_at, id)`);

    await queryRunner.query(`
      CREATE TABLE erp.write_off (
        id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        invoice_id uuid NOT NULL,
        client_id uuid NOT NULL,
        legal_entity_id uuid NOT NULL,
        contract_id uuid,
        project_id uuid,
        date date NOT NULL,
        currency character(3) NOT NULL,
        amount numeric(18,2) NOT NULL,
        reason text NOT NULL,
        approved_by text NOT NULL,
        CONSTRAINT pk_write_off PRIMARY KEY (id),
        CONSTRAINT fk_write_off_invoice FOREIGN KEY (invoice_id) REFERENCES erp.invoice (id),
        CONSTRAINT fk_write_off_legal_entity FOREIGN KEY (legal_entity_id) REFERENCES erp.legal_entity (id),
        CONSTRAINT ck_write_off_amount CHECK (amount > 0),
        CONSTRAINT ck_write_off_currency CHECK (currency ~ '^[A-Z]{3}$'),
        CONSTRAINT ck_write_off_reason CHECK (length(trim(reason)) > 0),
        CONSTRAINT ck_write_off_approved_by CHECK (length(approved_by) > 0)
      )`);
    await queryRunner.query(`CREATE INDEX ix_write_off_invoice_id ON erp.write_off (invoice_id)`);
    await queryRunner.query(`CREATE INDEX ix_write_off_date_id ON erp.write_off (date, id)`);
    await queryRunner.query(`CREATE INDEX ix_write_off_client_id ON erp.write_off (client_id)`);
    await queryRunner.query(`CREATE INDEX ix_write_off_created_at_id ON erp.write_off (created_at, id)`);

    await queryRunner.query(`
      CREATE TABLE erp.contract_amendment (
        id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        contract_id uuid NOT NULL,
        version integer NOT NULL,
        contract_line_id uuid NOT NULL,
        change_order_number text,
        reason text NOT NULL,
        approved_by text NOT NULL,
        currency character(3) NOT NULL,
        total_before numeric(18,2) NOT NULL,
        total_after numeric(18,2) NOT NULL,
        CONSTRAINT pk_contract_amendment PRIMARY KEY (id),
        CONSTRAINT fk_contract_amendment_contract FOREIGN KEY (contract_id) REFERENCES erp.contract (id),
        CONSTRAINT fk_contract_amendment_contract_line FOREIGN KEY (contract_line_id) REFERENCES erp.contract_line (id),
        CONSTRAINT ck_contract_amendment_version CHECK (version > 1),
        CONSTRAINT ck_contract_amendment_currency CHECK (currency ~ '^[A-Z]{3}$'),
        CONSTRAINT ck_contract_amendment_reason CHECK (length(trim(reason)) > 0),
        CONSTRAINT ck_contract_amendment_approved_by CHECK (length(approved_by) > 0)
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX ux_contract_amendment_contract_id_version ON erp.contract_amendment (contract_id, version)`,
    );
    await queryRunner.query(`CREATE INDEX ix_contract_amendment_contract_line_id ON erp.contract_amendment (contract_line_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE erp.contract_amendment`);
    await queryRunner.query(`DROP TABLE erp.write_off`);
    await queryRunner.query(`DROP TABLE erp.credit_note`);
    await queryRunner.query(`DROP INDEX erp.ix_invoice_posted_at`);
    await queryRunner.query(`
      ALTER TABLE erp.invoice
        DROP CONSTRAINT ck_invoice_written_off_total,
        DROP CONSTRAINT ck_invoice_credited_total,
        DROP COLUMN written_off_total,
        DROP COLUMN credited_total,
        DROP COLUMN billing_period_end`);
  }
}
