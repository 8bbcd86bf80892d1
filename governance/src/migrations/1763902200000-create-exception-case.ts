import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The exception queue's cases (issue 7, data stewards): one per workflow run that reached EXCEPTION, worked through
 * NEW → ACKNOWLEDGED → ASSIGNED (assignee) → RESOLVED (resolution) → REOPENED. `opened_at` is when the run first
 * needed a person (the case's age). Runs already waiting in the queue get a NEW case.
 */
export class CreateExceptionCase1763902200000 implements MigrationInterface {
  name = 'CreateExceptionCase1763902200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE governance.exception_case (
        id uuid NOT NULL,
        run_id uuid NOT NULL,
        state text NOT NULL DEFAULT 'NEW',
        assignee text,
        resolution text,
        resolved_by text,
        opened_at timestamptz(3) NOT NULL DEFAULT now(),
        resolved_at timestamptz(3),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_exception_case PRIMARY KEY (id),
        CONSTRAINT uq_exception_case_run UNIQUE (run_id),
        CONSTRAINT fk_exception_case_run FOREIGN KEY (run_id) REFERENCES governance.workflow_run (id) ON DELETE CASCADE,
        CONSTRAINT ck_exception_case_state CHECK (state IN ('NEW', 'ACKNOWLEDGED', 'ASSIGNED', 'RESOLVED', 'REOPENED')),
        CONSTRAINT ck_exception_case_assignee CHECK (state <> 'ASSIGNED' OR assignee IS NOT NULL),
        CONSTRAINT ck_exception_case_resolution CHECK ((state = 'RESOLVED') = (resolution IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX ix_exception_case_state ON governance.exception_case (state, opened_at, id)`);
    await queryRunner.query(`
      INSERT INTO governance.exception_case (id, run_id, opened_at)
      SELECT gen_random_uuid(), id, updated_at FROM governance.workflow_run WHERE status = 'EXCEPTION'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE governance.exception_case`);
  }
}
