import type { EntityManager } from 'typeorm';
import { assertFound } from '@concord/common';

/**
 * Reads a row FOR NO KEY UPDATE inside the current transaction: concurrent writers of the row wait, inserts
 * that merely reference it do not. NOT_FOUND when absent.
 */
export async function lockRow<T extends { id: string }>(
  manager: EntityManager,
  target: new () => T,
  id: string,
  entity: string,
): Promise<T> {
  const row = await manager
    .getRepository(target)
    .createQueryBuilder('row')
    .setLock('for_no_key_update')
    .where('row.id = :id', { id })
    .getOne();
  assertFound(row, entity, id);
  return row;
}
