import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Four-eyes through teams (issue 7, data stewards): an ownership change keeps the teams its requester belonged to
 * when asking, and the team it was asked on behalf of, if any, so an approval through a team can be refused too.
 */
export class OwnershipChangeTeams1763902100000 implements MigrationInterface {
  name = 'OwnershipChangeTeams1763902100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE governance.ownership_change
        ADD COLUMN requested_by_teams text[] NOT NULL DEFAULT '{}',
        ADD COLUMN on_behalf_of_team text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE governance.ownership_change DROP COLUMN on_behalf_of_team, DROP COLUMN requested_by_teams`);
  }
}
