import type { ObjectLiteral, Repository } from 'typeorm';
import { groupByKeys, type ChildrenQuery } from '@concord/common';

export interface FilteredChildrenQuery extends ChildrenQuery {
  /** extra SQL condition on the child table, written with column names (e.g. `status = ANY(:statuses)`) */
  where?: string;
  parameters?: Record<string, unknown>;
}

/**
 * Like `loadChildren` of @concord/common, with an extra condition: the first N matching children of many
 * parents in ONE statement (ROW_NUMBER over each parent).
 */
export async function loadFilteredChildren<T extends ObjectLiteral & { id: string }>(
  repository: Repository<T>,
  parentIds: readonly string[],
  query: FilteredChildrenQuery,
): Promise<T[][]> {
  if (parentIds.length === 0 || query.limitPerParent === 0) {
    return parentIds.map(() => []);
  }
  const metadata = repository.metadata;
  const parentColumn = metadata.findColumnWithPropertyName(query.parentProperty);
  const orderColumn = metadata.findColumnWithPropertyName(query.orderBy);
  if (!parentColumn || !orderColumn) {
    throw new Error(`${metadata.name} has no column ${query.parentProperty} or ${query.orderBy}`);
  }
  const direction = query.direction;
  const condition = query.where ? ` AND (${query.where})` : '';
  const ranked = `SELECT ranked.id FROM (
      SELECT id, ROW_NUMBER() OVER (PARTITION BY "${parentColumn.databaseName}" ORDER BY "${orderColumn.databaseName}" ${direction}, id ${direction}) AS position
      FROM "${metadata.schema}"."${metadata.tableName}" WHERE "${parentColumn.databaseName}" = ANY(:parentIds)${condition}
    ) ranked WHERE ranked.position <= :limitPerParent`;
  const rows = await repository
    .createQueryBuilder('child')
    .where(`child.id IN (${ranked})`, { ...query.parameters, parentIds: [...parentIds], limitPerParent: query.limitPerParent })
    .orderBy(`child.${query.orderBy}`, direction)
    .addOrderBy('child.id', direction)
    .getMany();
  return groupByKeys(parentIds, rows, (row) => row[query.parentProperty] as string);
}

/** A DataLoader key for a child list whose arguments (page size, filters) vary by field selection. */
export interface ChildListKey<A> {
  parentId: string;
  args: A;
}

/**
 * Batches child-list keys that carry arguments: keys with the same arguments share one statement, so a page of
 * parents asking the same field costs one query whatever its size.
 */
export async function loadChildListsByArgs<A, T>(
  keys: readonly ChildListKey<A>[],
  load: (parentIds: string[], args: A) => Promise<T[][]>,
): Promise<T[][]> {
  const groups = new Map<string, { args: A; positions: number[] }>();
  keys.forEach((key, position) => {
    const signature = JSON.stringify(key.args);
    const group = groups.get(signature);
    if (group) {
      group.positions.push(position);
    } else {
      groups.set(signature, { args: key.args, positions: [position] });
    }
  });
  const results: T[][] = new Array(keys.length);
  await Promise.all(
    [...groups.values()].map(async ({ args, positions }) => {
      const lists = await load(
        positions.map((position) => keys[position].parentId),
        args,
      );
      positions.forEach((position, index) => (results[position] = lists[index]));
    }),
  );
  return results;
}
