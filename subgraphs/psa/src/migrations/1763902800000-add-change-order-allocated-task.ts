import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The task whose allocated hours took a change order's hours delta (DOMAIN.md §2, change order APPLIED): set once by
 * the change-order workflow, so a retried step finds it done instead of adding the hours twice.
 */
export class AddChangeOrderAllocatedTask1763902800000 implements MigrationInterface {
  name = 'AddChangeOrderAllocatedTask1763902800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE psa.change_order ADD COLUMN allocated_task_id uuid`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE psa.change_order DROP COLUMN allocated_task_id`);
  }
}
