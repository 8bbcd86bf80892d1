import type { ObjectLiteral, Repository } from 'typeorm';

/** Groups rows by a key, returning one array per requested key in order (the DataLoader contract). */
export function groupByKeys<T, K>(keys: readonly K[], rows: readonly T[], keyOf: (row: T) => K): T[][] {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) {
      group.push(row);
    } else {
      groups.set(key, [row]);
    }
  }
  return keys.map((key) => groups.get(key) ?? []);
}

/** Orders rows by the requested keys, with null for a missing key (the DataLoader contract). */
export function orderByKeys<T, K>(keys: readonly K[], rows: readonly T[], keyOf: (row: T) => K): (T | null)[] {
  const byKey = new Map<K, T>();
  for (const row of rows) {
    byKey.set(keyOf(row), row);
  }
  return keys.map((key) => byKey.get(key) ?? null);
}

/** Loads entities by id in one statement and returns them in key order. */
export async function loadByIds<T extends ObjectLiteral & { id: string }>(
  repository: Repository<T>,
  ids: readonly string[],
): Promise<(T | null)[]> {
  const rows = await repository
    .createQueryBuilder('row')
    .where('row.id = ANY(:ids)', { ids: [...ids] })
    .getMany();
  return orderByKeys(ids, rows, (row) => row.id);
}

export interface ChildrenQuery {
  /** entity property holding the parent id */
  parentProperty: string;
  /** at most this many children per parent (one statement for all parents) */
  limitPerParent: number;
  /** entity property to order the children by; the id breaks ties */
  orderBy: string;
  direction: 'ASC' | 'DESC';
  /** extra condition on the child table, written with column names (e.g. `status = ANY(:statuses)`) */
  where?: string;
  /** the named parameters of `where` */
  parameters?: Record<string, unknown>;
}

/**
 * Loads the first N children (matching `where`, if given) of many parents in one statement, so a page of 20
 * clients costs one query per relation, not 20. No parent or N = 0 costs none.
 */
export async function loadChildren<T extends ObjectLiteral & { id: string }>(
  repository: Repository<T>,
  parentIds: readonly string[],
  query: ChildrenQuery,
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
  const parentType = typeof parentColumn.type === 'string' ? parentColumn.type : 'uuid';
  // Top N per parent with LATERAL … LIMIT: each parent reads only its first N rows from the (parent, order, id)
  // index; `= ANY(ARRAY(…))` then fetches those ids by primary key instead of scanning the table for a semi-join.
  const firstIds = `ARRAY(SELECT first.id FROM unnest(CAST(:parentIds AS ${parentType}[])) AS parent(parent_id)
      CROSS JOIN LATERAL (
        SELECT id FROM "${metadata.schema}"."${metadata.tableName}"
        WHERE "${parentColumn.databaseName}" = parent.parent_id${condition}
        ORDER BY "${orderColumn.databaseName}" ${direction}, id ${direction}
        LIMIT :limitPerParent
      ) first)`;
  const rows = await repository
    .createQueryBuilder('child')
    .where(`child.id = ANY(${firstIds})`, { ...query.parameters, parentIds: [...parentIds], limitPerParent: query.limitPerParent })
    .orderBy(`child.${query.orderBy}`, direction)
    .addOrderBy('child.id', direction)
    .getMany();
  return groupByKeys(parentIds, rows, (row) => row[query.parentProperty] as string);
}
