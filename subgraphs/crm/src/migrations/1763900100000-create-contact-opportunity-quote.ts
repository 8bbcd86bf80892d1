import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateContactOpportunityQuote1763900100000 implements MigrationInterface {
  name = 'CreateContactOpportunityQuote1763900100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE crm.contact (
        id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        client_id uuid NOT NULL,
        name text NOT NULL,
        email text NOT NULL,
        phone text,
        title text,
        is_primary boolean NOT NULL DEFAULT false,
        CONSTRAINT pk_contact PRIMARY KEY (id),
        CONSTRAINT fk_contact_client FOREIGN KEY (client_id) REFERENCES crm.client (id),
        CONSTRAINT ck_contact_email CHECK (email = lower(email) AND email ~ '^[^@\\s]+@[^@\\s]+$')
      )`);
    // At most one primary contact per client.
    await queryRunner.query(`CREATE UNIQUE INDEX ux_contact_client_id_primary ON crm.contact (client_id) WHERE is_primary`);
    await queryRunner.query(`CREATE INDEX ix_contact_client_id_name_id ON crm.contact (client_id, name, id)`);
    await queryRunner.query(`CREATE INDEX ix_contact_name_id ON crm.contact (name, id)`);
    await queryRunner.query(`CREATE INDEX ix_contact_created_at_id ON crm.contact (created_at, id)`);
    await queryRunner.query(`CREATE INDEX ix_contact_email ON crm.contact (email)`);

    await queryRunner.query(`
      CREATE TABLE crm.opportunity (
        id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        name text NOT NULL,
        client_id uuid NOT NULL,
        primary_contact_id uuid,
        owner_id text NOT NULL,
        stage text NOT NULL DEFAULT 'PROSPECTING',
        probability integer NOT NULL,
        amount numeric(18,2) NOT NULL DEFAULT 0,
        currency character(3) NOT NULL,
        close_date date NOT NULL,
        expected_start_date date,
        billing_model text,
        lost_reason text,
        closed_at timestamptz(3),
        contract_id uuid,
        project_id uuid,
        CONSTRAINT pk_opportunity PRIMARY KEY (id),
        CONSTRAINT fk_opportunity_client FOREIGN KEY (client_id) REFERENCES crm.client (id),
        CONSTRAINT fk_opportunity_primary_contact FOREIGN KEY (primary_contact_id) REFERENCES crm.contact (id),
        CONSTRAINT ck_opportunity_stage CHECK (stage IN ('PROSPECTING', 'QUALIFICATION', 'PROPOSAL', 'NEGOTIATION', 'CLOSED_WON', 'CLOSED_LOST')),
        CONSTRAINT ck_opportunity_probability CHECK (probability BETWEEN 0 AND 100),
        CONSTRAINT ck_opportunity_closed_probability CHECK ((stage <> 'CLOSED_WON' OR probability = 100) AND (stage <> 'CLOSED_LOST' OR probability = 0)),
        CONSTRAINT ck_opportunity_amount CHECK (amount >= 0),
        CONSTRAINT ck_opportunity_currency CHECK (currency ~ '^[A-Z]{3}$'),
        CONSTRAINT ck_opportunity_billing_model CHECK (billing_model IN ('TM', 'FIXED', 'MILESTONE', 'RETAINER')),
        CONSTRAINT ck_opportunity_lost_reason CHECK (stage <> 'CLOSED_LOST' OR lost_reason IS NOT NULL),
        CONSTRAINT ck_opportunity_closed_at CHECK ((stage IN ('CLOSED_WON', 'CLOSED_LOST')) = (closed_at IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX ix_opportunity_client_id_close_date_id ON crm.opportunity (client_id, close_date, id)`);
    await queryRunner.query(`CREATE INDEX ix_opportunity_primary_contact_id ON crm.opportunity (primary_contact_id)`);
    await queryRunner.query(`CREATE INDEX ix_opportunity_owner_id ON crm.opportunity (owner_id)`);
    await queryRunner.query(`CREATE INDEX ix_opportunity_name_id ON crm.opportunity (name, id)`);
    await queryRunner.query(`CREATE INDEX ix_opportunity_close_date_id ON crm.opportunity (close_date, id)`);
    await queryRunner.query(`CREATE INDEX ix_opportunity_amount_id ON crm.opportunity (amount, id)`);
    await queryRunner.query(`CREATE INDEX ix_opportunity_created_at_id ON crm.opportunity (created_at, id)`);

    await queryRunner.query(`CREATE SEQUENCE crm.quote_number_seq`);
    await queryRunner.query(`
      CREATE TABLE crm.quote (
        id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        number text NOT NULL,
        opportunity_id uuid NOT NULL,
        version integer NOT NULL DEFAULT 1,
        previous_version_id uuid,
        status text NOT NULL DEFAULT 'DRAFT',
        valid_until date,
        currency character(3) NOT NULL,
        subtotal numeric(18,2) NOT NULL DEFAULT 0,
        total numeric(18,2) NOT NULL DEFAULT 0,
        billing_terms text,
        CONSTRAINT pk_quote PRIMARY KEY (id),
        CONSTRAINT fk_quote_opportunity FOREIGN KEY (opportunity_id) REFERENCES crm.opportunity (id),
        CONSTRAINT fk_quote_previous_version FOREIGN KEY (previous_version_id) REFERENCES crm.quote (id),
        CONSTRAINT ck_quote_status CHECK (status IN ('DRAFT', 'SENT', 'ACCEPTED', 'REJECTED', 'EXPIRED', 'CANCELLED')),
        CONSTRAINT ck_quote_version CHECK (version >= 1 AND (version = 1) = (previous_version_id IS NULL)),
        CONSTRAINT ck_quote_currency CHECK (currency ~ '^[A-Z]{3}$'),
        CONSTRAINT ck_quote_totals CHECK (subtotal >= 0 AND total >= 0)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX ux_quote_number ON crm.quote (number)`);
    // A version is revised at most once (the chain of versions has no forks).
    await queryRunner.query(`CREATE UNIQUE INDEX ux_quote_previous_version_id ON crm.quote (previous_version_id)`);
    // At most one ACCEPTED quote per opportunity.
    await queryRunner.query(`CREATE UNIQUE INDEX ux_quote_opportunity_id_accepted ON crm.quote (opportunity_id) WHERE status = 'ACCEPTED'`);
    await queryRunner.query(`CREATE INDEX ix_quote_opportunity_id_created_at_id ON crm.quote (opportunity_id, created_at, id)`);
    await queryRunner.query(`CREATE INDEX ix_quote_created_at_id ON crm.quote (created_at, id)`);
    await queryRunner.query(`CREATE INDEX ix_quote_total_id ON crm.quote (total, id)`);

    await queryRunner.query(`
      CREATE TABLE crm.quote_line (
        id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        quote_id uuid NOT NULL,
        position integer NOT NULL,
        service_code text NOT NULL,
        description text,
        role_id text,
        billing_model text NOT NULL,
        hours numeric(10,2),
        quantity numeric(10,2),
        unit_rate numeric(18,6) NOT NULL,
        discount_pct numeric(5,2) NOT NULL DEFAULT 0,
        amount numeric(18,2) NOT NULL,
        currency character(3) NOT NULL,
        service_tracking text NOT NULL DEFAULT 'NONE',
        milestone_name text,
        milestone_date date,
        CONSTRAINT pk_quote_line PRIMARY KEY (id),
        CONSTRAINT fk_quote_line_quote FOREIGN KEY (quote_id) REFERENCES crm.quote (id),
        CONSTRAINT ck_quote_line_position CHECK (position >= 1),
        CONSTRAINT ck_quote_line_billing_model CHECK (billing_model IN ('TM', 'FIXED', 'MILESTONE', 'RETAINER')),
        CONSTRAINT ck_quote_line_measure CHECK (
          (billing_model IN ('TM', 'RETAINER') AND hours > 0 AND quantity IS NULL)
          OR (billing_model IN ('FIXED', 'MILESTONE') AND quantity > 0 AND hours IS NULL)
        ),
        CONSTRAINT ck_quote_line_milestone CHECK (billing_model = 'MILESTONE' OR (milestone_name IS NULL AND milestone_date IS NULL)),
        CONSTRAINT ck_quote_line_unit_rate CHECK (unit_rate >= 0),
        CONSTRAINT ck_quote_line_discount_pct CHECK (discount_pct BETWEEN 0 AND 100),
        CONSTRAINT ck_quote_line_amount CHECK (amount >= 0),
        CONSTRAINT ck_quote_line_currency CHECK (currency ~ '^[A-Z]{3}$'),
        CONSTRAINT ck_quote_line_service_tracking CHECK (service_tracking IN ('NONE', 'TASK', 'PROJECT', 'PROJECT_AND_TASK'))
      )`);
    // Also the index of the foreign key (quote_id leads).
    await queryRunner.query(`CREATE UNIQUE INDEX ux_quote_line_quote_id_position ON crm.quote_line (quote_id, position)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE crm.quote_line`);
    await queryRunner.query(`DROP TABLE crm.quote`);
    await queryRunner.query(`DROP SEQUENCE crm.quote_number_seq`);
    await queryRunner.query(`DROP TABLE crm.opportunity`);
    await queryRunner.query(`DROP TABLE crm.contact`);
  }
}
