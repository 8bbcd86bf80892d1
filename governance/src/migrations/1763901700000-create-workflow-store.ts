import type { MigrationInterface, QueryRunner } from 'typeorm';
import { addLedgerActions, removeLedgerActions } from './ledger-actions';

const ACTIONS = ['workflow.exception', 'workflow.replay', 'workflow.dismiss'];

/**
 * The durable queue of the cross-system workflows (ARCHITECTURE.md §9, issue 6). A `workflow_run` is one flow for
 * one business key (an opportunity, a change order, a contract's threshold): unique per kind and key, so the trigger
 * that sees the same ledger event twice starts it once. Workers claim due runs with `FOR UPDATE SKIP LOCKED` and a
 * lease, so any number of governance replicas share the queue and a run whose worker died is taken over when its
 * lease ends. `state` keeps each finished step's output: a retry resumes at the step that failed. Runs that failed
 * `max_attempts` times, or whose input a data-quality gate refused, wait in the exception queue (status EXCEPTION)
 * for a steward to replay or dismiss them. `workflow_run_event` is each run's history (append-only).
 */
export class CreateWorkflowStore1763901700000 implements MigrationInterface {
  name = 'CreateWorkflowStore1763901700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE governance.workflow_run (
        id uuid NOT NULL,
        kind text NOT NULL,
        business_key text NOT NULL,
        status text NOT NULL DEFAULT 'PENDING',
        correlation_id text NOT NULL,
        payload jsonb NOT NULL,
        state jsonb NOT NULL DEFAULT '{}'::jsonb,
        step integer NOT NULL DEFAULT 0,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz(3) NOT NULL DEFAULT now(),
        lease_owner text,
        lease_until timestamptz(3),
        last_error jsonb,
        trigger_event_id uuid,
        started_at timestamptz(3) NOT NULL DEFAULT now(),
        completed_at timestamptz(3),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_workflow_run PRIMARY KEY (id),
        CONSTRAINT uq_workflow_run_kind_key UNIQUE (kind, business_key),
        CONSTRAINT ck_workflow_run_status CHECK (status IN ('PENDING', 'RUNNING', 'RETRYING', 'SUCCEEDED', 'EXCEPTION', 'DISMISSED')),
        CONSTRAINT ck_workflow_run_payload CHECK (jsonb_typeof(payload) = 'object'),
        CONSTRAINT ck_workflow_run_state CHECK (jsonb_typeof(state) = 'object'),
        CONSTRAINT ck_workflow_run_step CHECK (step >= 0),
        CONSTRAINT ck_workflow_run_attempts CHECK (attempts >= 0)
      )`);
    // what workers look for: due runs of the live statuses, oldest first
    await queryRunner.query(`
      CREATE INDEX ix_workflow_run_due ON governance.workflow_run (next_attempt_at)
        WHERE status IN ('PENDING', 'RUNNING', 'RETRYING')`);
    await queryRunner.query(`CREATE INDEX ix_workflow_run_status ON governance.workflow_run (status, kind, updated_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX ix_workflow_run_correlation ON governance.workflow_run (correlation_id)`);
    await queryRunner.query(`
      CREATE TABLE governance.workflow_run_event (
        id bigint GENERATED ALWAYS AS IDENTITY,
        run_id uuid NOT NULL,
        at timestamptz(3) NOT NULL DEFAULT now(),
        kind text NOT NULL,
        step text,
        attempt integer,
        message text NOT NULL,
        details jsonb,
        actor text,
        CONSTRAINT pk_workflow_run_event PRIMARY KEY (id),
        CONSTRAINT fk_workflow_run_event_run FOREIGN KEY (run_id) REFERENCES governance.workflow_run (id) ON DELETE CASCADE,
        CONSTRAINT ck_workflow_run_event_kind CHECK (kind IN ('started', 'step', 'failed', 'exception', 'succeeded', 'replayed', 'dismissed'))
      )`);
    await queryRunner.query(`CREATE INDEX ix_workflow_run_event_run ON governance.workflow_run_event (run_id, id)`);
    await addLedgerActions(queryRunner, ACTIONS);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await removeLedgerActions(queryRunner, ACTIONS);
    await queryRunner.query(`DROP TABLE governance.workflow_run_event`);
    await queryRunner.query(`DROP TABLE governance.workflow_run`);
  }
}
