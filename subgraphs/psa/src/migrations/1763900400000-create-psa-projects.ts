import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Projects and their delivery structure: tasks, milestones, change orders (DOMAIN.md §1, PSA). */
export class CreatePsaProjects1763900400000 implements MigrationInterface {
  name = 'CreatePsaProjects1763900400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE psa.project (
        id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        code text NOT NULL,
        name text NOT NULL,
        client_id uuid NOT NULL,
        contract_id uuid,
        opportunity_id uuid,
        legal_entity_id uuid,
        currency character(3) NOT NULL,
        status text NOT NULL DEFAULT 'SETUP',
        health text NOT NULL DEFAULT 'GREEN',
        billing_model text NOT NULL DEFAULT 'TM',
        pricing_type text NOT NULL DEFAULT 'RESOURCE_RATE',
        planned_start date NOT NULL,
        planned_end date,
        actual_start date,
        actual_end date,
        activated_at timestamptz(3),
        budget_hours numeric(10,2),
        budget numeric(18,2),
        percent_complete numeric(5,2) NOT NULL DEFAULT 0,
        percent_complete_method text NOT NULL DEFAULT 'MANUAL',
        manager_id text,
        CONSTRAINT pk_project PRIMARY KEY (id),
        CONSTRAINT ck_project_status CHECK (status IN ('SETUP', 'ACTIVE', 'ON_HOLD', 'COMPLETED', 'CLOSED', 'CANCELLED')),
        CONSTRAINT ck_project_health CHECK (health IN ('GREEN', 'AMBER', 'RED')),
        CONSTRAINT ck_project_billing_model CHECK (billing_model IN ('TM', 'FIXED', 'MILESTONE', 'RETAINER')),
        CONSTRAINT ck_project_pricing_type CHECK (pricing_type IN ('TASK_RATE', 'PROJECT_RATE', 'RESOURCE_RATE')),
        CONSTRAINT ck_project_percent_complete_method CHECK (percent_complete_method IN ('MANUAL', 'TASK_COMPLETION', 'AVG_PROGRESS', 'WEIGHTED_PROGRESS')),
        CONSTRAINT ck_project_percent_complete CHECK (percent_complete BETWEEN 0 AND 100),
        CONSTRAINT ck_project_budget_hours CHECK (budget_hours >= 0),
        CONSTRAINT ck_project_budget CHECK (budget >= 0),
        CONSTRAINT ck_project_currency CHECK (currency ~ '^[A-Z]{3}$'),
        CONSTRAINT ck_project_code CHECK (length(btrim(code)) > 0),
        CONSTRAINT ck_project_planned_dates CHECK (planned_end IS NULL OR planned_end >= planned_start),
        CONSTRAINT ck_project_actual_dates CHECK (actual_end IS NULL OR actual_start IS NULL OR actual_end >= actual_start)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX ux_project_code ON psa.project (code)`);
    await queryRunner.query(`CREATE INDEX ix_project_code_id ON psa.project (code, id)`);
    await queryRunner.query(`CREATE INDEX ix_project_name_id ON psa.project (name, id)`);
    await queryRunner.query(`CREATE INDEX ix_project_planned_start_id ON psa.project (planned_start, id)`);
    await queryRunner.query(`CREATE INDEX ix_project_created_at_id ON psa.project (created_at, id)`);
    await queryRunner.query(`CREATE INDEX ix_project_client_id ON psa.project (client_id)`);
    await queryRunner.query(`CREATE INDEX ix_project_contract_id ON psa.project (contract_id)`);
    await queryRunner.query(`CREATE INDEX ix_project_opportunity_id ON psa.project (opportunity_id)`);
    await queryRunner.query(`CREATE INDEX ix_project_manager_id ON psa.project (manager_id)`);

    await queryRunner.query(`
      CREATE TABLE psa.milestone (
        id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        project_id uuid NOT NULL,
        name text NOT NULL,
        target_date date NOT NULL,
        status text NOT NULL DEFAULT 'PLANNED',
        reached_at timestamptz(3),
        accepted_at timestamptz(3),
        requires_sign_off boolean NOT NULL DEFAULT true,
        amount numeric(18,2),
        percentage numeric(5,2),
        currency character(3) NOT NULL,
        contract_line_id uuid,
        CONSTRAINT pk_milestone PRIMARY KEY (id),
        CONSTRAINT fk_milestone_project FOREIGN KEY (project_id) REFERENCES psa.project (id),
        CONSTRAINT ck_milestone_status CHECK (status IN ('PLANNED', 'REACHED', 'ACCEPTED', 'CANCELLED')),
        CONSTRAINT ck_milestone_amount CHECK (amount >= 0),
        CONSTRAINT ck_milestone_percentage CHECK (percentage > 0 AND percentage <= 100),
        CONSTRAINT ck_milestone_amount_or_percentage CHECK (amount IS NULL OR percentage IS NULL),
        CONSTRAINT ck_milestone_currency CHECK (currency ~ '^[A-Z]{3}$')
      )`);
    await queryRunner.query(`CREATE INDEX ix_milestone_project_id ON psa.milestone (project_id)`);
    await queryRunner.query(`CREATE INDEX ix_milestone_target_date_id ON psa.milestone (target_date, id)`);
    await queryRunner.query(`CREATE INDEX ix_milestone_name_id ON psa.milestone (name, id)`);
    await queryRunner.query(`CREATE INDEX ix_milestone_created_at_id ON psa.milestone (created_at, id)`);

    await queryRunner.query(`
      CREATE TABLE psa.task (
        id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        project_id uuid NOT NULL,
        parent_task_id uuid,
        name text NOT NULL,
        status text NOT NULL DEFAULT 'OPEN',
        allocated_hours numeric(10,2) NOT NULL DEFAULT 0,
        progress numeric(5,2) NOT NULL DEFAULT 0,
        weight numeric(10,2) NOT NULL DEFAULT 1,
        milestone_id uuid,
        billable boolean NOT NULL DEFAULT true,
        contract_line_id uuid,
        CONSTRAINT pk_task PRIMARY KEY (id),
        CONSTRAINT fk_task_project FOREIGN KEY (project_id) REFERENCES psa.project (id),
        CONSTRAINT fk_task_parent_task FOREIGN KEY (parent_task_id) REFERENCES psa.task (id),
        CONSTRAINT fk_task_milestone FOREIGN KEY (milestone_id) REFERENCES psa.milestone (id),
        CONSTRAINT ck_task_status CHECK (status IN ('OPEN', 'IN_PROGRESS', 'DONE', 'CANCELLED')),
        CONSTRAINT ck_task_allocated_hours CHECK (allocated_hours >= 0),
        CONSTRAINT ck_task_progress CHECK (progress BETWEEN 0 AND 100),
        CONSTRAINT ck_task_weight CHECK (weight >= 0),
        CONSTRAINT ck_task_not_own_parent CHECK (parent_task_id IS NULL OR parent_task_id <> id)
      )`);
    await queryRunner.query(`CREATE INDEX ix_task_project_id ON psa.task (project_id)`);
    await queryRunner.query(`CREATE INDEX ix_task_parent_task_id ON psa.task (parent_task_id)`);
    await queryRunner.query(`CREATE INDEX ix_task_milestone_id ON psa.task (milestone_id)`);
    await queryRunner.query(`CREATE INDEX ix_task_name_id ON psa.task (name, id)`);
    await queryRunner.query(`CREATE INDEX ix_task_created_at_id ON psa.task (created_at, id)`);

    await queryRunner.query(`
      CREATE TABLE psa.change_order (
        id uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        project_id uuid NOT NULL,
        contract_id uuid,
        number text NOT NULL,
        status text NOT NULL DEFAULT 'DRAFT',
        delta numeric(18,2) NOT NULL DEFAULT 0,
        delta_hours numeric(10,2) NOT NULL DEFAULT 0,
        new_end_date date,
        reason text NOT NULL,
        currency character(3) NOT NULL,
        approved_by text,
        approved_at timestamptz(3),
        applied_at timestamptz(3),
        CONSTRAINT pk_change_order PRIMARY KEY (id),
        CONSTRAINT fk_change_order_project FOREIGN KEY (project_id) REFERENCES psa.project (id),
        CONSTRAINT ck_change_order_status CHECK (status IN ('DRAFT', 'SUBMITTED', 'APPROVED', 'APPLIED', 'REJECTED', 'WITHDRAWN')),
        CONSTRAINT ck_change_order_reason CHECK (length(btrim(reason)) > 0),
        CONSTRAINT ck_change_order_currency CHECK (currency ~ '^[A-Z]{3}$'),
        CONSTRAINT ck_change_order_approved CHECK (status NOT IN ('APPROVED', 'APPLIED') OR (approved_by IS NOT NULL AND approved_at IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX ux_change_order_project_id_number ON psa.change_order (project_id, number)`);
    await queryRunner.query(`CREATE INDEX ix_change_order_number_id ON psa.change_order (number, id)`);
    await queryRunner.query(`CREATE INDEX ix_change_order_created_at_id ON psa.change_order (created_at, id)`);
    await queryRunner.query(`CREATE INDEX ix_change_order_contract_id ON psa.change_order (contract_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE psa.change_order`);
    await queryRunner.query(`DROP TABLE psa.task`);
    await queryRunner.query(`DROP TABLE psa.milestone`);
    await queryRunner.query(`DROP TABLE psa.project`);
  }
}
