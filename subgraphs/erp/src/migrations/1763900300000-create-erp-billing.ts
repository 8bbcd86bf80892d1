import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * ERP billing: invoices and their lines (with the per legal entity number sequence), payments and their
 * allocations, revenue entries. Cross-system ids (client, project, PSA sources) are plain uuid columns.
 */
export class CreateErpBilling1763900300000 implements MigrationInterface {
  name = 'CreateErpBilling1763900300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE erp.invoice (
        id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        number text,
        customer_id uuid NOT NULL,
        client_id uuid NOT NULL,
        legal_entity_id uuid NOT NULL,
        contract_id uuid,
        project_id uuid,
        issue_date date NOT NULL,
        due_date date,
        currency character(3) NOT NULL,
        fx_rate numeric(18,6),
        tax_rate numeric(7,4) NOT NULL DEFAULT 0,
        subtotal numeric(18,2) NOT NULL DEFAULT 0,
        tax numeric(18,2) NOT NULL DEFAULT 0,
        total numeric(18,2) NOT NULL DEFAULT 0,
        amount_due numeric(18,2) NOT NULL DEFAULT 0,
        base_currency character(3),
        base_total numeric(18,2),
        status text NOT NULL DEFAULT 'DRAFT',
        posted_at timestamptz(3),
        cancelled_at timestamptz(3),
        CONSTRAINT pk_invoice PRIMARY KEY (id),
        CONSTRAINT fk_invoice_customer FOREIGN KEY (customer_id) REFERENCES erp.legal_customer (id),
        CONSTRAINT fk_invoice_legal_entity FOREIGN KEY (legal_entity_id) REFERENCES erp.legal_entity (id),
        CONSTRAINT fk_invoice_contract FOREIGN KEY (contract_id) REFERENCES erp.contract (id),
        CONSTRAINT ck_invoice_status CHECK (status IN ('DRAFT', 'POSTED', 'CANCELLED')),
        CONSTRAINT ck_invoice_currency CHECK (currency ~ '^[A-Z]{3}$'),
        CONSTRAINT ck_invoice_base_currency CHECK (base_currency ~ '^[A-Z]{3}$'),
        CONSTRAINT ck_invoice_due_date CHECK (due_date IS NULL OR due_date >= issue_date),
        CONSTRAINT ck_invoice_tax_rate CHECK (tax_rate BETWEEN 0 AND 100),
        CONSTRAINT ck_invoice_fx_rate CHECK (fx_rate > 0),
        CONSTRAINT ck_invoice_amount_due CHECK (amount_due >= 0),
        CONSTRAINT ck_invoice_posted CHECK (posted_at IS NULL OR (number IS NOT NULL AND due_date IS NOT NULL AND fx_rate IS NOT NULL AND base_total IS NOT NULL)),
        CONSTRAINT ck_invoice_posted_at CHECK (status <> 'POSTED' OR posted_at IS NOT NULL)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX ux_invoice_number ON erp.invoice (number)`);
    await queryRunner.query(`CREATE INDEX ix_invoice_issue_date_id ON erp.invoice (issue_date, id)`);
    await queryRunner.query(`CREATE INDEX ix_invoice_created_at_id ON erp.invoice (created_at, id)`);
    await queryRunner.query(`CREATE INDEX ix_invoice_total_id ON erp.invoice (total, id)`);
    await queryRunner.query(`CREATE INDEX ix_invoice_customer_id ON erp.invoice (customer_id)`);
    await queryRunner.query(`CREATE INDEX ix_invoice_client_id_issue_date_id ON erp.invoice (client_id, issue_date, id)`);
    await queryRunner.query(`CREATE INDEX ix_invoice_project_id_issue_date_id ON erp.invoice (project_id, issue_date, id)`);
    await queryRunner.query(`CREATE INDEX ix_invoice_contract_id ON erp.invoice (contract_id)`);
    await queryRunner.query(`CREATE INDEX ix_invoice_legal_entity_id ON erp.invoice (legal_entity_id)`);

    await queryRunner.query(`
      CREATE TABLE erp.invoice_line (
        id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        invoice_id uuid NOT NULL,
        source_type text NOT NULL,
        source_ids uuid[] NOT NULL DEFAULT '{}',
        description text NOT NULL,
        qty numeric(12,2) NOT NULL,
        rate numeric(18,2) NOT NULL,
        amount numeric(18,2) NOT NULL,
        currency character(3) NOT NULL,
        contract_line_id uuid,
        billing_schedule_line_id uuid,
        CONSTRAINT pk_invoice_line PRIMARY KEY (id),
        CONSTRAINT fk_invoice_line_invoice FOREIGN KEY (invoice_id) REFERENCES erp.invoice (id) ON DELETE CASCADE,
        CONSTRAINT fk_invoice_line_contract_line FOREIGN KEY (contract_line_id) REFERENCES erp.contract_line (id),
        CONSTRAINT fk_invoice_line_billing_schedule_line FOREIGN KEY (billing_schedule_line_id) REFERENCES erp.billing_schedule_line (id),
        CONSTRAINT ck_invoice_line_source_type CHECK (source_type IN ('TIME', 'EXPENSE', 'MILESTONE', 'FIXED', 'ADJUSTMENT')),
        CONSTRAINT ck_invoice_line_qty CHECK (qty >= 0),
        CONSTRAINT ck_invoice_line_rate CHECK (rate >= 0 OR source_type = 'ADJUSTMENT'),
        CONSTRAINT ck_invoice_line_currency CHECK (currency ~ '^[A-Z]{3}$')
      )`);
    await queryRunner.query(`CREATE INDEX ix_invoice_line_invoice_id_id ON erp.invoice_line (invoice_id, id)`);
    await queryRunner.query(`CREATE INDEX ix_invoice_line_created_at_id ON erp.invoice_line (created_at, id)`);
    await queryRunner.query(`CREATE INDEX ix_invoice_line_amount_id ON erp.invoice_line (amount, id)`);
    await queryRunner.query(`CREATE INDEX ix_invoice_line_contract_line_id ON erp.invoice_line (contract_line_id)`);
    await queryRunner.query(`CREATE INDEX ix_invoice_line_billing_schedule_line_id ON erp.invoice_line (billing_schedule_line_id)`);

    await queryRunner.query(`
      CREATE TABLE erp.invoice_number_sequence (
        id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        legal_entity_id uuid NOT NULL,
        year integer NOT NULL,
        last_number integer NOT NULL,
        CONSTRAINT pk_invoice_number_sequence PRIMARY KEY (id),
        CONSTRAINT fk_invoice_number_sequence_legal_entity FOREIGN KEY (legal_entity_id) REFERENCES erp.legal_entity (id),
        CONSTRAINT ck_invoice_number_sequence_last_number CHECK (last_number > 0)
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX ux_invoice_number_sequence_legal_entity_id_year ON erp.invoice_number_sequence (legal_entity_id, year)`,
    );

    // The billing schedule line an invoice billed (ERP core table) now has its invoice to point at.
    await queryRunner.query(
      `ALTER TABLE erp.billing_schedule_line ADD CONSTRAINT fk_billing_schedule_line_invoice FOREIGN KEY (invoice_id) REFERENCES erp.invoice (id)`,
    );

    await queryRunner.query(`
      CREATE TABLE erp.payment (
        id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        customer_id uuid NOT NULL,
        legal_entity_id uuid NOT NULL,
        date date NOT NULL,
        amount numeric(18,2) NOT NULL,
        currency character(3) NOT NULL,
        fx_rate numeric(18,6),
        base_currency character(3),
        base_amount numeric(18,2),
        method text NOT NULL,
        reference text,
        unallocated_amount numeric(18,2) NOT NULL,
        status text NOT NULL DEFAULT 'DRAFT',
        posted_at timestamptz(3),
        cancelled_at timestamptz(3),
        CONSTRAINT pk_payment PRIMARY KEY (id),
        CONSTRAINT fk_payment_customer FOREIGN KEY (customer_id) REFERENCES erp.legal_customer (id),
        CONSTRAINT fk_payment_legal_entity FOREIGN KEY (legal_entity_id) REFERENCES erp.legal_entity (id),
        CONSTRAINT ck_payment_status CHECK (status IN ('DRAFT', 'POSTED', 'CANCELLED')),
        CONSTRAINT ck_payment_method CHECK (method IN ('BANK_TRANSFER', 'DIRECT_DEBIT', 'CARD', 'CHECK', 'CASH', 'OTHER')),
        CONSTRAINT ck_payment_amount CHECK (amount > 0),
        CONSTRAINT ck_payment_unallocated_amount CHECK (unallocated_amount >= 0 AND unallocated_amount <= amount),
        CONSTRAINT ck_payment_currency CHECK (currency ~ '^[A-Z]{3}$'),
        CONSTRAINT ck_payment_base_currency CHECK (base_currency ~ '^[A-Z]{3}$'),
        CONSTRAINT ck_payment_fx_rate CHECK (fx_rate > 0)
      )`);
    await queryRunner.query(`CREATE INDEX ix_payment_date_id ON erp.payment (date, id)`);
    await queryRunner.query(`CREATE INDEX ix_payment_created_at_id ON erp.payment (created_at, id)`);
    await queryRunner.query(`CREATE INDEX ix_payment_amount_id ON erp.payment (amount, id)`);
    await queryRunner.query(`CREATE INDEX ix_payment_customer_id ON erp.payment (customer_id)`);
    await queryRunner.query(`CREATE INDEX ix_payment_legal_entity_id ON erp.payment (legal_entity_id)`);

    await queryRunner.query(`
      CREATE TABLE erp.payment_allocation (
        id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        payment_id uuid NOT NULL,
        invoice_id uuid NOT NULL,
        allocated_amount numeric(18,2) NOT NULL,
        currency character(3) NOT NULL,
        CONSTRAINT pk_payment_allocation PRIMARY KEY (id),
        CONSTRAINT fk_payment_allocation_payment FOREIGN KEY (payment_id) REFERENCES erp.payment (id) ON DELETE CASCADE,
        CONSTRAINT fk_payment_allocation_invoice FOREIGN KEY (invoice_id) REFERENCES erp.invoice (id),
        CONSTRAINT ck_payment_allocation_allocated_amount CHECK (allocated_amount > 0),
        CONSTRAINT ck_payment_allocation_currency CHECK (currency ~ '^[A-Z]{3}$')
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX ux_payment_allocation_payment_id_invoice_id ON erp.payment_allocation (payment_id, invoice_id)`,
    );
    await queryRunner.query(`CREATE INDEX ix_payment_allocation_invoice_id ON erp.payment_allocation (invoice_id)`);
    await queryRunner.query(`CREATE INDEX ix_payment_allocation_created_at_id ON erp.payment_allocation (created_at, id)`);

    await queryRunner.query(`
      CREATE TABLE erp.revenue_entry (
        id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        contract_line_id uuid NOT NULL,
        contract_id uuid NOT NULL,
        project_id uuid,
        period date NOT NULL,
        method text NOT NULL,
        recognized_amount numeric(18,2) NOT NULL,
        cumulative_recognized numeric(18,2) NOT NULL,
        billed_to_date numeric(18,2) NOT NULL,
        unbilled numeric(18,2) NOT NULL,
        deferred numeric(18,2) NOT NULL,
        currency character(3) NOT NULL,
        CONSTRAINT pk_revenue_entry PRIMARY KEY (id),
        CONSTRAINT fk_revenue_entry_contract_line FOREIGN KEY (contract_line_id) REFERENCES erp.contract_line (id),
        CONSTRAINT fk_revenue_entry_contract FOREIGN KEY (contract_id) REFERENCES erp.contract (id),
        CONSTRAINT ck_revenue_entry_method CHECK (method IN ('TM_AS_DELIVERED', 'PCT_COMPLETE', 'MILESTONE', 'STRAIGHT_LINE')),
        CONSTRAINT ck_revenue_entry_period CHECK (extract(day FROM period) = 1),
        CONSTRAINT ck_revenue_entry_cumulative_recognized CHECK (cumulative_recognized >= 0),
        CONSTRAINT ck_revenue_entry_billed_to_date CHECK (billed_to_date >= 0),
        CONSTRAINT ck_revenue_entry_unbilled CHECK (unbilled >= 0),
        CONSTRAINT ck_revenue_entry_deferred CHECK (deferred >= 0),
        CONSTRAINT ck_revenue_entry_currency CHECK (currency ~ '^[A-Z]{3}$')
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX ux_revenue_entry_contract_line_id_period ON erp.revenue_entry (contract_line_id, period)`);
    await queryRunner.query(`CREATE INDEX ix_revenue_entry_contract_id ON erp.revenue_entry (contract_id)`);
    await queryRunner.query(`CREATE INDEX ix_revenue_entry_project_id_period_id ON erp.revenue_entry (project_id, period, id)`);
    await queryRunner.query(`CREATE INDEX ix_revenue_entry_period_id ON erp.revenue_entry (period, id)`);
    await queryRunner.query(`CREATE INDEX ix_revenue_entry_created_at_id ON erp.revenue_entry (created_at, id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE erp.revenue_entry`);
    await queryRunner.query(`DROP TABLE erp.payment_allocation`);
    await queryRunner.query(`DROP TABLE erp.payment`);
    await queryRunner.query(`ALTER TABLE erp.billing_schedule_line DROP CONSTRAINT fk_billing_schedule_line_invoice`);
    await queryRunner.query(`DROP TABLE erp.invoice_number_sequence`);
    await queryRunner.query(`DROP TABLE erp.invoice_line`);
    await queryRunner.query(`DROP TABLE erp.invoice`);
  }
}
