import type { ObjectLiteral, Repository } from 'typeorm';
import { groupByKeys } from '@concord/common';

/** A condition on the child table's columns (snake_case SQL) with its named parameters. */
export interface ChildCondition {
  sql: string;
  parameters: Record<string, unknown>;
}

export interface RankedChildrenQuery {
  /** entity property holding the parent id */
  parentProperty: string;
  /** entity property to order the children by; the id breaks ties */
  orderBy: string;
  direction: 'ASC' | 'DESC';
  /** at most this many children per parent */
  first: number;
  conditions?: ChildCondition[];
}

/**
 * The first N children of many parents that match some conditions, in one statement: like `loadChildren` of
 * @concord/common (ROW_NUMBER() over each parent) with a WHERE on the children (`Project.timeEntries(statusIn)`).
 */
export async function loadRankedChildren<T extends ObjectLiteral & { id: string }>(
  repository: Repository<T>,
  parentIds: readonly string[],
  query: RankedChildrenQuery,
): Promise<T[][]> {
  const metadata = repository.metadata;
  const parentColumn = metadata.findColumnWithPropertyName(query.parentProperty);
  const orderColumn = metadata.findColumnWithPropertyName(query.orderBy);
  if (!parentColumn || !orderColumn) {
    throw new Error(`${metadata.name} has no column ${query.parentProperty} or ${query.orderBy}`);
  }
  const conditions = query.conditions ?? [];
  const where = [`"${parentColumn.databaseName}" = ANY(:parentIds)`, ...conditions.map((condition) => `(${condition.sql})`)].join(' AND ');
  const direction = query.direction;
  const ranked = `SELECT ranked.id FROM (
      SELECT id, ROW_NUMBER() OVER (PARTITION BY "${parentColumn.databaseName}" ORDER BY "${orderColumn.databaseName}" ${direction}, id ${direction}) AS position
      FROM "${metadata.schema}"."${metadata.tableName}" WHERE ${where}
    ) ranked WHERE ranked.position <= :first`;
  const parameters = Object.assign(
    { parentIds: [...parentIds], first: query.first },
    ...conditions.map((condition) => condition.parameters),
  );
  const rows = await repository
    .createQueryBuilder('child')
    .where(`child.id IN (${ranked})`, parameters)
    .orderBy(`child.${query.orderBy}`, direction)
    .addOrderBy('child.id', direction)
    .getMany();
  return groupByKeys(parentIds, rows, (row) => row[query.parentProperty] as string);
}
