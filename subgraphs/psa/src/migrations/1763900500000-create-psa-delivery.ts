import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Delivery facts: resources, resource requests, assignments, time entries, expenses and the derived weekly
 * utilization (DOMAIN.md §1, PSA). Cross-system ids (ERP legal entity / invoice, CRM quote line) are plain uuids.
 */
export class CreatePsaDelivery1763900500000 implements MigrationInterface {
  name = 'CreatePsaDelivery1763900500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE psa.resource (
        id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        person_id text NOT NULL,
        name text NOT NULL,
        primary_role text NOT NULL,
        cost_rate numeric(18,6) NOT NULL,
        currency character(3) NOT NULL,
        capacity_hours_per_week numeric(5,2) NOT NULL,
        utilization_target_pct numeric(5,2),
        utilization_target_effective_date date,
        legal_entity_id uuid,
        active boolean NOT NULL DEFAULT true,
        CONSTRAINT pk_resource PRIMARY KEY (id),
        CONSTRAINT ck_resource_cost_rate CHECK (cost_rate >= 0),
        CONSTRAINT ck_resource_currency CHECK (currency ~ '^[A-Z]{3}$'),
        CONSTRAINT ck_resource_capacity_hours_per_week CHECK (capacity_hours_per_week BETWEEN 0 AND 168),
        CONSTRAINT ck_resource_utilization_target_pct CHECK (utilization_target_pct BETWEEN 0 AND 100),
        CONSTRAINT ck_resource_utilization_target_dated CHECK (utilization_target_pct IS NULL OR utilization_target_effective_date IS NOT NULL)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX ux_resource_person_id ON psa.resource (person_id)`);
    await queryRunner.query(`CREATE INDEX ix_resource_name_id ON psa.resource (name, id)`);
    await queryRunner.query(`CREATE INDEX ix_resource_created_at_id ON psa.resource (created_at, id)`);
    await queryRunner.query(`CREATE INDEX ix_resource_legal_entity_id ON psa.resource (legal_entity_id)`);

    await queryRunner.query(`
      CREATE TABLE psa.resource_request (
        id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        project_id uuid NOT NULL,
        role text NOT NULL,
        skills text[] NOT NULL,
        hours numeric(10,2) NOT NULL,
        start_date date NOT NULL,
        end_date date NOT NULL,
        status text NOT NULL DEFAULT 'OPEN',
        source_quote_line_id uuid,
        assignment_id uuid,
        CONSTRAINT pk_resource_request PRIMARY KEY (id),
        CONSTRAINT fk_resource_request_project FOREIGN KEY (project_id) REFERENCES psa.project (id),
        CONSTRAINT ck_resource_request_status CHECK (status IN ('OPEN', 'FULFILLED', 'CANCELLED')),
        CONSTRAINT ck_resource_request_hours CHECK (hours > 0),
        CONSTRAINT ck_resource_request_dates CHECK (end_date >= start_date),
        CONSTRAINT ck_resource_request_fulfilled CHECK ((status = 'FULFILLED') = (assignment_id IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX ix_resource_request_project_id_start_date ON psa.resource_request (project_id, start_date, id)`);
    await queryRunner.query(`CREATE INDEX ix_resource_request_start_date_id ON psa.resource_request (start_date, id)`);
    await queryRunner.query(`CREATE INDEX ix_resource_request_created_at_id ON psa.resource_request (created_at, id)`);
    await queryRunner.query(`CREATE INDEX ix_resource_request_assignment_id ON psa.resource_request (assignment_id)`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX ux_resource_request_source_quote_line_id ON psa.resource_request (source_quote_line_id) WHERE source_quote_line_id IS NOT NULL`,
    );

    await queryRunner.query(`
      CREATE TABLE psa.assignment (
        id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        project_id uuid NOT NULL,
        resource_id uuid NOT NULL,
        resource_request_id uuid,
        role text NOT NULL,
        bill_rate numeric(18,6) NOT NULL,
        cost_rate numeric(18,6) NOT NULL,
        currency character(3) NOT NULL,
        scheduled_hours numeric(10,2) NOT NULL,
        start_date date NOT NULL,
        end_date date NOT NULL,
        status text NOT NULL DEFAULT 'SOFT',
        CONSTRAINT pk_assignment PRIMARY KEY (id),
        CONSTRAINT fk_assignment_project FOREIGN KEY (project_id) REFERENCES psa.project (id),
        CONSTRAINT fk_assignment_resource FOREIGN KEY (resource_id) REFERENCES psa.resource (id),
        CONSTRAINT fk_assignment_resource_request FOREIGN KEY (resource_request_id) REFERENCES psa.resource_request (id),
        CONSTRAINT ck_assignment_status CHECK (status IN ('SOFT', 'HARD', 'COMPLETED', 'CANCELLED')),
        CONSTRAINT ck_assignment_rates CHECK (bill_rate >= 0 AND cost_rate >= 0),
        CONSTRAINT ck_assignment_scheduled_hours CHECK (scheduled_hours >= 0),
        CONSTRAINT ck_assignment_dates CHECK (end_date >= start_date),
        CONSTRAINT ck_assignment_currency CHECK (currency ~ '^[A-Z]{3}$')
      )`);
    await queryRunner.query(`CREATE INDEX ix_assignment_project_id_start_date ON psa.assignment (project_id, start_date, id)`);
    await queryRunner.query(`CREATE INDEX ix_assignment_resource_id_start_date ON psa.assignment (resource_id, start_date, id)`);
    await queryRunner.query(`CREATE INDEX ix_assignment_start_date_id ON psa.assignment (start_date, id)`);
    await queryRunner.query(`CREATE INDEX ix_assignment_created_at_id ON psa.assignment (created_at, id)`);
    await queryRunner.query(`CREATE INDEX ix_assignment_resource_request_id ON psa.assignment (resource_request_id)`);
    await queryRunner.query(
      `ALTER TABLE psa.resource_request ADD CONSTRAINT fk_resource_request_assignment FOREIGN KEY (assignment_id) REFERENCES psa.assignment (id)`,
    );

    await queryRunner.query(`
      CREATE TABLE psa.time_entry (
        id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        resource_id uuid NOT NULL,
        project_id uuid NOT NULL,
        task_id uuid,
        assignment_id uuid NOT NULL,
        date date NOT NULL,
        hours numeric(10,2) NOT NULL,
        billable boolean NOT NULL,
        billable_hours numeric(10,2) NOT NULL,
        bill_rate numeric(18,6) NOT NULL,
        cost_rate numeric(18,6) NOT NULL,
        bill_amount numeric(18,2) NOT NULL,
        cost_amount numeric(18,2) NOT NULL,
        currency character(3) NOT NULL,
        description text,
        status text NOT NULL DEFAULT 'DRAFT',
        approved_at timestamptz(3),
        invoice_id uuid,
        invoice_line_id uuid,
        CONSTRAINT pk_time_entry PRIMARY KEY (id),
        CONSTRAINT fk_time_entry_resource FOREIGN KEY (resource_id) REFERENCES psa.resource (id),
        CONSTRAINT fk_time_entry_project FOREIGN KEY (project_id) REFERENCES psa.project (id),
        CONSTRAINT fk_time_entry_task FOREIGN KEY (task_id) REFERENCES psa.task (id),
        CONSTRAINT fk_time_entry_assignment FOREIGN KEY (assignment_id) REFERENCES psa.assignment (id),
        CONSTRAINT ck_time_entry_status CHECK (status IN ('DRAFT', 'SUBMITTED', 'APPROVED', 'REJECTED', 'INVOICED', 'CANCELLED')),
        CONSTRAINT ck_time_entry_hours CHECK (hours > 0 AND hours <= 24),
        CONSTRAINT ck_time_entry_billable_hours CHECK (billable_hours >= 0 AND billable_hours <= hours),
        CONSTRAINT ck_time_entry_non_billable CHECK (billable OR (bill_rate = 0 AND billable_hours = 0)),
        CONSTRAINT ck_time_entry_rates CHECK (bill_rate >= 0 AND cost_rate >= 0),
        CONSTRAINT ck_time_entry_amounts CHECK (bill_amount >= 0 AND cost_amount >= 0),
        CONSTRAINT ck_time_entry_invoiced CHECK ((status = 'INVOICED') = (invoice_id IS NOT NULL)),
        CONSTRAINT ck_time_entry_currency CHECK (currency ~ '^[A-Z]{3}$')
      )`);
    await queryRunner.query(`CREATE INDEX ix_time_entry_project_id_date ON psa.time_entry (project_id, date, id)`);
    await queryRunner.query(`CREATE INDEX ix_time_entry_resource_id_date ON psa.time_entry (resource_id, date, id)`);
    await queryRunner.query(`CREATE INDEX ix_time_entry_assignment_id_date ON psa.time_entry (assignment_id, date)`);
    await queryRunner.query(`CREATE INDEX ix_time_entry_task_id ON psa.time_entry (task_id)`);
    await queryRunner.query(`CREATE INDEX ix_time_entry_invoice_id ON psa.time_entry (invoice_id)`);
    await queryRunner.query(`CREATE INDEX ix_time_entry_date_id ON psa.time_entry (date, id)`);
    await queryRunner.query(`CREATE INDEX ix_time_entry_created_at_id ON psa.time_entry (created_at, id)`);

    await queryRunner.query(`
      CREATE TABLE psa.expense (
        id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        resource_id uuid NOT NULL,
        project_id uuid NOT NULL,
        date date NOT NULL,
        category text NOT NULL,
        amount numeric(18,2) NOT NULL,
        currency character(3) NOT NULL,
        billable boolean NOT NULL DEFAULT true,
        markup_pct numeric(5,2) NOT NULL DEFAULT 0,
        bill_amount numeric(18,2) NOT NULL,
        description text,
        receipt_url text,
        status text NOT NULL DEFAULT 'DRAFT',
        approved_at timestamptz(3),
        invoice_id uuid,
        invoice_line_id uuid,
        CONSTRAINT pk_expense PRIMARY KEY (id),
        CONSTRAINT fk_expense_resource FOREIGN KEY (resource_id) REFERENCES psa.resource (id),
        CONSTRAINT fk_expense_project FOREIGN KEY (project_id) REFERENCES psa.project (id),
        CONSTRAINT ck_expense_status CHECK (status IN ('DRAFT', 'SUBMITTED', 'APPROVED', 'REJECTED', 'INVOICED', 'CANCELLED')),
        CONSTRAINT ck_expense_category CHECK (category IN ('TRAVEL', 'LODGING', 'MEALS', 'MILEAGE', 'SOFTWARE', 'EQUIPMENT', 'SUBCONTRACTOR', 'OTHER')),
        CONSTRAINT ck_expense_amount CHECK (amount > 0),
        CONSTRAINT ck_expense_markup_pct CHECK (markup_pct >= 0),
        CONSTRAINT ck_expense_non_billable CHECK (billable OR (markup_pct = 0 AND bill_amount = 0)),
        CONSTRAINT ck_expense_bill_amount CHECK (bill_amount >= 0),
        CONSTRAINT ck_expense_invoiced CHECK ((status = 'INVOICED') = (invoice_id IS NOT NULL)),
        CONSTRAINT ck_expense_currency CHECK (currency ~ '^[A-Z]{3}$')
      )`);
    await queryRunner.query(`CREATE INDEX ix_expense_project_id_date ON psa.expense (project_id, date, id)`);
    await queryRunner.query(`CREATE INDEX ix_expense_resource_id_date ON psa.expense (resource_id, date, id)`);
    await queryRunner.query(`CREATE INDEX ix_expense_invoice_id ON psa.expense (invoice_id)`);
    await queryRunner.query(`CREATE INDEX ix_expense_date_id ON psa.expense (date, id)`);
    await queryRunner.query(`CREATE INDEX ix_expense_created_at_id ON psa.expense (created_at, id)`);

    await queryRunner.query(`
      CREATE TABLE psa.utilization_period (
        id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        resource_id uuid NOT NULL,
        period date NOT NULL,
        available_hours numeric(10,2) NOT NULL,
        billable_hours numeric(10,2) NOT NULL,
        total_hours numeric(10,2) NOT NULL,
        billable_util_pct numeric(7,2),
        total_util_pct numeric(7,2),
        target_pct numeric(5,2),
        CONSTRAINT pk_utilization_period PRIMARY KEY (id),
        CONSTRAINT fk_utilization_period_resource FOREIGN KEY (resource_id) REFERENCES psa.resource (id),
        CONSTRAINT ck_utilization_period_monday CHECK (extract(isodow FROM period) = 1),
        CONSTRAINT ck_utilization_period_hours CHECK (available_hours >= 0 AND billable_hours >= 0 AND total_hours >= 0)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX ux_utilization_period_resource_id_period ON psa.utilization_period (resource_id, period)`);
    await queryRunner.query(`CREATE INDEX ix_utilization_period_period_id ON psa.utilization_period (period, id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE psa.utilization_period`);
    await queryRunner.query(`DROP TABLE psa.expense`);
    await queryRunner.query(`DROP TABLE psa.time_entry`);
    await queryRunner.query(`ALTER TABLE psa.resource_request DROP CONSTRAINT fk_resource_request_assignment`);
    await queryRunner.query(`DROP TABLE psa.assignment`);
    await queryRunner.query(`DROP TABLE psa.resource_request`);
    await queryRunner.query(`DROP TABLE psa.resource`);
  }
}
