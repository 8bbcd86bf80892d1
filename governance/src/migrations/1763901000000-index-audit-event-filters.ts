import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the auditors' filters (issue 4, "Audit ledger"): each filter with the ledger position, so a filtered
 * page is an index range scan already in keyset order (newest first reads it backwards) rather than a sort of every
 * match. entity + entity_id and actor sub have theirs since 1763900700000; correlation ids are selective enough alone.
 */
export class IndexAuditEventFilters1763901000000 implements MigrationInterface {
  name = 'IndexAuditEventFilters1763901000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX ix_audit_event_entity_position ON governance.audit_event (entity, position)`);
    await queryRunner.query(`CREATE INDEX ix_audit_event_action_position ON governance.audit_event (action, position)`);
    await queryRunner.query(`CREATE INDEX ix_audit_event_service_position ON governance.audit_event (service, position)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX governance.ix_audit_event_service_position`);
    await queryRunner.query(`DROP INDEX governance.ix_audit_event_action_position`);
    await queryRunner.query(`DROP INDEX governance.ix_audit_event_entity_position`);
  }
}
