import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { BadInputError } from './errors';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export type SortDirection = 'ASC' | 'DESC';

export interface PageRequest {
  first?: number | null;
  after?: string | null;
}

export interface Page<T> {
  nodes: T[];
  cursors: string[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

interface CursorPayload {
  /** sort field name, so a cursor from another ordering is refused instead of misread */
  s: string;
  v: unknown;
  id: string;
}

export function encodeCursor(payload: CursorPayload): string {
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

export function decodeCursor(cursor: string, sortField: string): CursorPayload {
  let payload: CursorPayload;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorPayload;
  } catch {
    throw new BadInputError('after is not a valid cursor', { argument: 'after' });
  }
  if (typeof payload !== 'object' || payload === null || typeof payload.id !== 'string' || payload.s !== sortField) {
    throw new BadInputError('after is not a valid cursor for this ordering', { argument: 'after' });
  }
  return payload;
}

export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) {
    return DEFAULT_PAGE_SIZE;
  }
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw new BadInputError(`first must be an integer between 0 and ${MAX_PAGE_SIZE}`, { argument: 'first', value: first });
  }
  return first;
}

export interface KeysetSort {
  /** public name of the sort field (goes into the cursor) */
  field: string;
  /** entity property to order by; the id breaks ties */
  property: string;
  direction: SortDirection;
}

/**
 * Keyset (seek) pagination: ORDER BY (sort, id) and WHERE (sort, id) > (cursor) — stable under inserts
 * and as fast on page 1000 as on page 1, given an index on (sort, id).
 */
export async function paginate<T extends ObjectLiteral & { id: string }>(
  query: SelectQueryBuilder<T>,
  request: PageRequest,
  sort: KeysetSort,
): Promise<Page<T>> {
  const limit = pageSize(request.first);
  const alias = query.alias;
  const column = `${alias}.${sort.property}`;
  const comparator = sort.direction === 'ASC' ? '>' : '<';
  if (request.after) {
    const cursor = decodeCursor(request.after, sort.field);
    if (sort.property === 'id') {
      query.andWhere(`${alias}.id ${comparator} :cursorId`, { cursorId: cursor.id });
    } else {
      query.andWhere(`(${column}, ${alias}.id) ${comparator} (:cursorValue, :cursorId)`, { cursorValue: cursor.v, cursorId: cursor.id });
    }
  }
  query.orderBy(column, sort.direction);
  if (sort.property !== 'id') {
    query.addOrderBy(`${alias}.id`, sort.direction);
  }
  const rows = limit === 0 ? [] : await query.take(limit + 1).getMany();
  const nodes = rows.slice(0, limit);
  return {
    nodes,
    cursors: nodes.map((node) => encodeCursor({ s: sort.field, v: cursorValue(node[sort.property]), id: node.id })),
    hasNextPage: rows.length > limit,
    hasPreviousPage: Boolean(request.after),
  };
}

function cursorValue(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}
