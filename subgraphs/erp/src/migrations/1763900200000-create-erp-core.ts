import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * ERP core: legal entities, currencies and FX rates, legal customers, rate cards, contracts and their lines,
 * billing schedules. Cross-system ids (client, opportunity, quote, milestone, invoice) are plain uuid columns.
 */
export class CreateErpCore1763900200000 implements MigrationInterface {
  name = 'CreateErpCore1763900200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE erp.legal_entity (
        id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        code text NOT NULL,
        name text NOT NULL,
        country character(2) NOT NULL,
        functional_currency character(3) NOT NULL,
        tax_id text,
        CONSTRAINT pk_legal_entity PRIMARY KEY (id),
        CONSTRAINT ck_legal_entity_country CHECK (country ~ '^[A-Z]{2}$'),
        CONSTRAINT ck_legal_entity_functional_currency CHECK (functional_currency ~ '^[A-Z]{3}$')
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX ux_legal_entity_code ON erp.legal_entity (code)`);
    await queryRunner.query(`CREATE INDEX ix_legal_entity_name_id ON erp.legal_entity (name, id)`);

    await queryRunner.query(`
      CREATE TABLE erp.currency (
        id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        code character(3) NOT NULL,
        name text NOT NULL,
        decimals smallint NOT NULL DEFAULT 2,
        CONSTRAINT pk_currency PRIMARY KEY (id),
        CONSTRAINT ck_currency_code CHECK (code ~ '^[A-Z]{3}$'),
        CONSTRAINT ck_currency_decimals CHECK (decimals BETWEEN 0 AND 6)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX ux_currency_code ON erp.currency (code)`);

    await queryRunner.query(`
      CREATE TABLE erp.fx_rate (
        id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        from_currency character(3) NOT NULL,
        to_currency character(3) NOT NULL,
        date date NOT NULL,
        rate numeric(18,6) NOT NULL,
        CONSTRAINT pk_fx_rate PRIMARY KEY (id),
        CONSTRAINT fk_fx_rate_from_currency FOREIGN KEY (from_currency) REFERENCES erp.currency (code),
        CONSTRAINT fk_fx_rate_to_currency FOREIGN KEY (to_currency) REFERENCES erp.currency (code),
        CONSTRAINT ck_fx_rate_rate CHECK (rate > 0),
        CONSTRAINT ck_fx_rate_distinct_currencies CHECK (from_currency <> to_currency)
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX ux_fx_rate_from_currency_to_currency_date ON erp.fx_rate (from_currency, to_currency, date)`,
    );
    await queryRunner.query(`CREATE INDEX ix_fx_rate_date_id ON erp.fx_rate (date, id)`);

    await queryRunner.query(`
      CREATE TABLE erp.legal_customer (
        id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        legal_name text NOT NULL,
        tax_id text,
        client_id uuid NOT NULL,
        default_currency character(3) NOT NULL,
        payment_terms_days integer NOT NULL DEFAULT 30,
        credit_limit numeric(18,2),
        billing_address jsonb,
        status text NOT NULL DEFAULT 'ACTIVE',
        CONSTRAINT pk_legal_customer PRIMARY KEY (id),
        CONSTRAINT ck_legal_customer_status CHECK (status IN ('ACTIVE', 'FROZEN')),
        CONSTRAINT ck_legal_customer_default_currency CHECK (default_currency ~ '^[A-Z]{3}$'),
        CONSTRAINT ck_legal_customer_payment_terms_days CHECK (payment_terms_days BETWEEN 0 AND 365),
        CONSTRAINT ck_legal_customer_credit_limit CHECK (credit_limit >= 0)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX ux_legal_customer_client_id ON erp.legal_customer (client_id)`);
    await queryRunner.query(`CREATE INDEX ix_legal_customer_legal_name_id ON erp.legal_customer (legal_name, id)`);
    await queryRunner.query(`CREATE INDEX ix_legal_customer_created_at_id ON erp.legal_customer (created_at, id)`);

    await queryRunner.query(`
      CREATE TABLE erp.rate_card (
        id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        name text NOT NULL,
        currency character(3) NOT NULL,
        effective_from date NOT NULL,
        effective_to date,
        CONSTRAINT pk_rate_card PRIMARY KEY (id),
        CONSTRAINT ck_rate_card_currency CHECK (currency ~ '^[A-Z]{3}$'),
        CONSTRAINT ck_rate_card_effective_period CHECK (effective_to IS NULL OR effective_to >= effective_from)
      )`);
    await queryRunner.query(`CREATE INDEX ix_rate_card_name_id ON erp.rate_card (name, id)`);
    await queryRunner.query(`CREATE INDEX ix_rate_card_effective_from_id ON erp.rate_card (effective_from, id)`);

    await queryRunner.query(`
      CREATE TABLE erp.rate_card_line (
        id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        rate_card_id uuid NOT NULL,
        role text NOT NULL,
        activity text,
        bill_rate numeric(18,6) NOT NULL,
        currency character(3) NOT NULL,
        CONSTRAINT pk_rate_card_line PRIMARY KEY (id),
        CONSTRAINT fk_rate_card_line_rate_card FOREIGN KEY (rate_card_id) REFERENCES erp.rate_card (id),
        CONSTRAINT ck_rate_card_line_bill_rate CHECK (bill_rate >= 0),
        CONSTRAINT ck_rate_card_line_currency CHECK (currency ~ '^[A-Z]{3}$')
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX ux_rate_card_line_rate_card_id_role_activity ON erp.rate_card_line (rate_card_id, role, activity) WHERE activity IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX ux_rate_card_line_rate_card_id_role ON erp.rate_card_line (rate_card_id, role) WHERE activity IS NULL`,
    );
    await queryRunner.query(`CREATE INDEX ix_rate_card_line_created_at_id ON erp.rate_card_line (created_at, id)`);

    await queryRunner.query(`
      CREATE TABLE erp.contract (
        id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        number text NOT NULL,
        customer_id uuid NOT NULL,
        client_id uuid NOT NULL,
        legal_entity_id uuid NOT NULL,
        opportunity_id uuid,
        source_quote_id uuid,
        status text NOT NULL DEFAULT 'DRAFT',
        start_date date NOT NULL,
        end_date date,
        currency character(3) NOT NULL,
        total_value numeric(18,2) NOT NULL DEFAULT 0,
        consumed_amount numeric(18,2) NOT NULL DEFAULT 0,
        renewal_threshold_pct numeric(5,2),
        version integer NOT NULL DEFAULT 1,
        CONSTRAINT pk_contract PRIMARY KEY (id),
        CONSTRAINT fk_contract_customer FOREIGN KEY (customer_id) REFERENCES erp.legal_customer (id),
        CONSTRAINT fk_contract_legal_entity FOREIGN KEY (legal_entity_id) REFERENCES erp.legal_entity (id),
        CONSTRAINT ck_contract_status CHECK (status IN ('DRAFT', 'ACTIVE', 'SUSPENDED', 'COMPLETED', 'TERMINATED', 'CANCELLED')),
        CONSTRAINT ck_contract_period CHECK (end_date IS NULL OR end_date >= start_date),
        CONSTRAINT ck_contract_currency CHECK (currency ~ '^[A-Z]{3}$'),
        CONSTRAINT ck_contract_total_value CHECK (total_value >= 0),
        CONSTRAINT ck_contract_consumed_amount CHECK (consumed_amount >= 0),
        CONSTRAINT ck_contract_renewal_threshold_pct CHECK (renewal_threshold_pct BETWEEN 0 AND 100),
        CONSTRAINT ck_contract_version CHECK (version >= 1)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX ux_contract_number ON erp.contract (number)`);
    await queryRunner.query(`CREATE INDEX ix_contract_customer_id ON erp.contract (customer_id)`);
    await queryRunner.query(`CREATE INDEX ix_contract_client_id_created_at_id ON erp.contract (client_id, created_at, id)`);
    await queryRunner.query(`CREATE INDEX ix_contract_legal_entity_id ON erp.contract (legal_entity_id)`);
    await queryRunner.query(`CREATE INDEX ix_contract_opportunity_id ON erp.contract (opportunity_id)`);
    await queryRunner.query(`CREATE INDEX ix_contract_start_date_id ON erp.contract (start_date, id)`);
    await queryRunner.query(`CREATE INDEX ix_contract_created_at_id ON erp.contract (created_at, id)`);

    await queryRunner.query(`
      CREATE TABLE erp.contract_line (
        id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        contract_id uuid NOT NULL,
        description text NOT NULL,
        billing_model text NOT NULL,
        rate_card_id uuid,
        amount numeric(18,2),
        currency character(3) NOT NULL,
        hours_cap numeric(10,2),
        invoice_policy text NOT NULL,
        rev_rec_method text NOT NULL,
        change_order_number text,
        source_quote_line_id uuid,
        CONSTRAINT pk_contract_line PRIMARY KEY (id),
        CONSTRAINT fk_contract_line_contract FOREIGN KEY (contract_id) REFERENCES erp.contract (id),
        CONSTRAINT fk_contract_line_rate_card FOREIGN KEY (rate_card_id) REFERENCES erp.rate_card (id),
        CONSTRAINT ck_contract_line_billing_model CHECK (billing_model IN ('TM', 'FIXED', 'MILESTONE', 'RETAINER')),
        CONSTRAINT ck_contract_line_invoice_policy CHECK (invoice_policy IN ('ORDERED', 'DELIVERED')),
        CONSTRAINT ck_contract_line_rev_rec_method CHECK (rev_rec_method IN ('TM_AS_DELIVERED', 'PCT_COMPLETE', 'MILESTONE', 'STRAIGHT_LINE')),
        CONSTRAINT ck_contract_line_amount CHECK (amount >= 0),
        CONSTRAINT ck_contract_line_hours_cap CHECK (hours_cap >= 0),
        CONSTRAINT ck_contract_line_currency CHECK (currency ~ '^[A-Z]{3}$')
      )`);
    await queryRunner.query(`CREATE INDEX ix_contract_line_contract_id_created_at_id ON erp.contract_line (contract_id, created_at, id)`);
    await queryRunner.query(`CREATE INDEX ix_contract_line_rate_card_id ON erp.contract_line (rate_card_id)`);
    await queryRunner.query(`CREATE INDEX ix_contract_line_created_at_id ON erp.contract_line (created_at, id)`);

    await queryRunner.query(`
      CREATE TABLE erp.billing_schedule (
        id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        contract_line_id uuid NOT NULL,
        contract_id uuid NOT NULL,
        type text NOT NULL,
        description text,
        CONSTRAINT pk_billing_schedule PRIMARY KEY (id),
        CONSTRAINT fk_billing_schedule_contract_line FOREIGN KEY (contract_line_id) REFERENCES erp.contract_line (id),
        CONSTRAINT fk_billing_schedule_contract FOREIGN KEY (contract_id) REFERENCES erp.contract (id),
        CONSTRAINT ck_billing_schedule_type CHECK (type IN ('FIXED_DATE', 'MILESTONE', 'PERIODIC', 'TM_RUN'))
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_billing_schedule_contract_line_id_created_at_id ON erp.billing_schedule (contract_line_id, created_at, id)`,
    );
    await queryRunner.query(`CREATE INDEX ix_billing_schedule_contract_id ON erp.billing_schedule (contract_id)`);
    await queryRunner.query(`CREATE INDEX ix_billing_schedule_created_at_id ON erp.billing_schedule (created_at, id)`);

    await queryRunner.query(`
      CREATE TABLE erp.billing_schedule_line (
        id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        billing_schedule_id uuid NOT NULL,
        contract_id uuid NOT NULL,
        planned_date date NOT NULL,
        description text,
        amount numeric(18,2),
        pct numeric(5,2),
        currency character(3) NOT NULL,
        milestone_id uuid,
        status text NOT NULL DEFAULT 'PLANNED',
        invoice_id uuid,
        CONSTRAINT pk_billing_schedule_line PRIMARY KEY (id),
        CONSTRAINT fk_billing_schedule_line_billing_schedule FOREIGN KEY (billing_schedule_id) REFERENCES erp.billing_schedule (id),
        CONSTRAINT fk_billing_schedule_line_contract FOREIGN KEY (contract_id) REFERENCES erp.contract (id),
        CONSTRAINT ck_billing_schedule_line_status CHECK (status IN ('PLANNED', 'READY', 'INVOICED', 'CANCELLED')),
        CONSTRAINT ck_billing_schedule_line_amount_or_pct CHECK (amount IS NOT NULL OR pct IS NOT NULL),
        CONSTRAINT ck_billing_schedule_line_amount CHECK (amount >= 0),
        CONSTRAINT ck_billing_schedule_line_pct CHECK (pct > 0 AND pct <= 100),
        CONSTRAINT ck_billing_schedule_line_currency CHECK (currency ~ '^[A-Z]{3}$'),
        CONSTRAINT ck_billing_schedule_line_invoiced CHECK (status <> 'INVOICED' OR invoice_id IS NOT NULL)
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_billing_schedule_line_billing_schedule_id_planned_date_id ON erp.billing_schedule_line (billing_schedule_id, planned_date, id)`,
    );
    await queryRunner.query(`CREATE INDEX ix_billing_schedule_line_contract_id ON erp.billing_schedule_line (contract_id)`);
    await queryRunner.query(`CREATE INDEX ix_billing_schedule_line_planned_date_id ON erp.billing_schedule_line (planned_date, id)`);
    await queryRunner.query(`CREATE INDEX ix_billing_schedule_line_milestone_id ON erp.billing_schedule_line (milestone_id)`);
    await queryRunner.query(`CREATE INDEX ix_billing_schedule_line_invoice_id ON erp.billing_schedule_line (invoice_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE erp.billing_schedule_line`);
    await queryRunner.query(`DROP TABLE erp.billing_schedule`);
    await queryRunner.query(`DROP TABLE erp.contract_line`);
    await queryRunner.query(`DROP TABLE erp.contract`);
    await queryRunner.query(`DROP TABLE erp.rate_card_line`);
    await queryRunner.query(`DROP TABLE erp.rate_card`);
    await queryRunner.query(`DROP TABLE erp.legal_customer`);
    await queryRunner.query(`DROP TABLE erp.fx_rate`);
    await queryRunner.query(`DROP TABLE erp.currency`);
    await queryRunner.query(`DROP TABLE erp.legal_entity`);
  }
}
