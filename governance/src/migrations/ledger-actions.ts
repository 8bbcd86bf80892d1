import type { QueryRunner } from 'typeorm';

/**
 * The actions `ck_audit_event_action` allows now, read from the database rather than restated in each migration,
 * so migrations that extend the list (written on different branches) apply in any order without dropping another's.
 */
export async function ledgerActions(queryRunner: QueryRunner): Promise<string[]> {
  const [row]: { definition: string }[] = await queryRunner.query(
    `SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint
     WHERE conname = 'ck_audit_event_action' AND conrelid = 'governance.audit_event'::regclass`,
  );
  const actions = [...(row?.definition ?? '').matchAll(/'((?:[^']|'')*)'/g)].map((match) => match[1].replace(/''/g, "'"));
  if (actions.length === 0) {
    throw new Error(`cannot read the actions of ck_audit_event_action (${row?.definition ?? 'no such constraint'})`);
  }
  return actions;
}

/** Replaces `ck_audit_event_action` with exactly these actions. */
export async function allowLedgerActions(queryRunner: QueryRunner, actions: readonly string[]): Promise<void> {
  const list = actions.map((action) => `'${action.replace(/'/g, "''")}'`).join(', ');
  await queryRunner.query(`
    ALTER TABLE governance.audit_event DROP CONSTRAINT ck_audit_event_action,
      ADD CONSTRAINT ck_audit_event_action CHECK (action IN (${list}))`);
}

/** Adds actions to `ck_audit_event_action` (idempotent). */
export async function addLedgerActions(queryRunner: QueryRunner, added: readonly string[]): Promise<void> {
  const actions = await ledgerActions(queryRunner);
  await allowLedgerActions(queryRunner, [...actions, ...added.filter((action) => !actions.includes(action))]);
}

/** Removes actions from `ck_audit_event_action` (fails while the ledger holds one of them: it is never rewritten). */
export async function removeLedgerActions(queryRunner: QueryRunner, removed: readonly string[]): Promise<void> {
  await allowLedgerActions(
    queryRunner,
    (await ledgerActions(queryRunner)).filter((action) => !removed.includes(action)),
  );
}
