import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { decodeCursor, encodeCursor, isIsoDate, isUuid, pageSize, BadInputError, type Page, type SortDirection } from '@concord/common';
import { AuditException, AuditExceptionCode } from './audit.exception';
import { GENESIS_HASH, eventOfRow, type AuditEventRow } from './audit-hash';
import { AuditLedgerService } from './audit-ledger.service';
import type { AuditEventFilter, AuditRangeArgs } from './dtos/audit-event.input';
import type { AuditEventOutput, AuditRangeVerificationOutput, AuditVerificationOutput } from './dtos/audit-event.output';

const COLUMNS = `position, event_id, occurred_at, service, actor, action, entity, entity_id, before, after, changed_fields, reason,
  correlation_id, policy_version, prev_hash, hash`;
/** The cursor's sort name: a cursor of another listing is refused instead of misread. */
const CURSOR_SORT = 'position';
const POSITION = /^[1-9][0-9]{0,18}$/;

/** Rows per query of an export: a bounded amount in memory whatever the ledger's size. */
export const EXPORT_BATCH_SIZE = 1_000;

export interface AuditEventPageRequest {
  first?: number | null;
  after?: string | null;
  filter?: AuditEventFilter | null;
  /** by position; default DESC (newest first) */
  order?: SortDirection | null;
}

function eventOf(row: AuditEventRow): AuditEventOutput {
  const event = eventOfRow(row);
  return {
    ...event,
    position: row.position,
    occurredAt: row.occurred_at,
    actor: event.actor ? { sub: event.actor.sub, roles: [...event.actor.roles] } : null,
    hash: row.hash,
    prevHash: row.prev_hash,
  };
}

/** `occurredFrom`/`occurredTo` as an instant; a day that does not exist (2026-02-30) is refused, not rolled over. */
function instantOf(name: string, value: string): string {
  const instant = new Date(value);
  if (!isIsoDate(value.slice(0, 10)) || Number.isNaN(instant.getTime())) {
    throw new AuditException(AuditExceptionCode.INVALID_QUERY, `${name} is not a valid instant: ${value}`, [
      `${name}: not a valid instant`,
    ]);
  }
  return instant.toISOString();
}

/** A WHERE clause being built with numbered parameters. */
class Conditions {
  readonly parameters: unknown[] = [];
  private readonly clauses: string[] = [];

  add(clause: (parameter: string) => string, value: unknown): void {
    this.parameters.push(value);
    this.clauses.push(clause(`$${this.parameters.length}`));
  }

  /** Each filter condition; the indexes of migration 1763901000000 serve each one in position order. */
  static of(filter: AuditEventFilter | null | undefined): Conditions {
    const conditions = new Conditions();
    const text: [keyof AuditEventFilter, string][] = [
      ['entity', 'entity'],
      ['entityId', 'entity_id'],
      ['actorSub', "(actor ->> 'sub')"],
      ['action', 'action'],
      ['service', 'service'],
      ['correlationId', 'correlation_id'],
    ];
    for (const [field, column] of text) {
      const value = filter?.[field];
      if (value !== null && value !== undefined) {
        conditions.add((parameter) => `${column} = ${parameter}`, value);
      }
    }
    if (filter?.occurredFrom) {
      conditions.add((parameter) => `occurred_at >= ${parameter}::timestamptz`, instantOf('occurredFrom', filter.occurredFrom));
    }
    if (filter?.occurredTo) {
      conditions.add((parameter) => `occurred_at < ${parameter}::timestamptz`, instantOf('occurredTo', filter.occurredTo));
    }
    if (filter?.role) {
      conditions.add((parameter) => `(actor -> 'roles') @> jsonb_build_array(${parameter}::text)`, filter.role);
    }
    if (filter?.outcome) {
      conditions.add((parameter) => `(action = 'denied') = (${parameter}::text = 'denied')`, filter.outcome);
    }
    if (filter?.field) {
      // a changed field, or a coordinate a read/denied access event names (`margin` matches any type's margin)
      conditions.add(
        (parameter) => `(${parameter}::text = ANY(changed_fields) OR EXISTS (
          SELECT 1 FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(after -> 'coordinates') = 'array' THEN after -> 'coordinates' ELSE '[]'::jsonb END) AS coordinate
          WHERE coordinate = ${parameter}::text OR split_part(coordinate, '.', 2) = ${parameter}::text))`,
        filter.field,
      );
    }
    if (filter?.text) {
      conditions.add(
        (parameter) =>
          `(entity_id ILIKE ${parameter} ESCAPE '\\' OR reason ILIKE ${parameter} ESCAPE '\\' OR array_to_string(changed_fields, ' ') ILIKE ${parameter} ESCAPE '\\')`,
        `%${filter.text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`,
      );
    }
    return conditions;
  }

  get where(): string {
    return this.clauses.length ? `WHERE ${this.clauses.join(' AND ')}` : '';
  }
}

/**
 * The auditors' read side of the ledger: filtered listings with keyset pagination by position, one entry by event
 * id, the chain verification, and exports streamed in batches. Reads only; nothing here can alter the ledger.
 */
@Injectable()
export class AuditQueryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ledger: AuditLedgerService,
  ) {}

  async page(request: AuditEventPageRequest): Promise<Page<AuditEventOutput>> {
    const limit = pageSize(request.first);
    const direction = request.order ?? 'DESC';
    const conditions = Conditions.of(request.filter);
    if (request.after) {
      const cursor = decodeCursor(request.after, CURSOR_SORT);
      if (!POSITION.test(cursor.id)) {
        throw new BadInputError('after is not a valid cursor', { argument: 'after' });
      }
      conditions.add((parameter) => `position ${direction === 'ASC' ? '>' : '<'} ${parameter}::bigint`, cursor.id);
    }
    const rows: AuditEventRow[] =
      limit === 0
        ? []
        : await this.dataSource.query(
            `SELECT ${COLUMNS} FROM governance.audit_event ${conditions.where} ORDER BY position ${direction} LIMIT ${limit + 1}`,
            conditions.parameters,
          );
    const nodes = rows.slice(0, limit).map(eventOf);
    return {
      nodes,
      cursors: nodes.map((node) => encodeCursor({ s: CURSOR_SORT, v: node.position, id: node.position })),
      hasNextPage: rows.length > limit,
      hasPreviousPage: Boolean(request.after),
    };
  }

  /** The console's search: page() with the time range required, so no search walks the whole ledger by accident. */
  async search(request: AuditEventPageRequest): Promise<Page<AuditEventOutput>> {
    const missing = (['occurredFrom', 'occurredTo'] as const).filter((name) => !request.filter?.[name]);
    if (missing.length) {
      throw new AuditException(
        AuditExceptionCode.INVALID_QUERY,
        `a time range is required: give ${missing.join(' and ')}`,
        missing.map((name) => `${name}: required`),
      );
    }
    const from = instantOf('occurredFrom', request.filter!.occurredFrom!);
    const to = instantOf('occurredTo', request.filter!.occurredTo!);
    if (from >= to) {
      throw new AuditException(AuditExceptionCode.INVALID_QUERY, 'occurredFrom must be before occurredTo', [
        'occurredTo: must be after occurredFrom',
      ]);
    }
    return this.page(request);
  }

  /** The ledger's last entry (position 0 and the genesis hash when empty). */
  async head(): Promise<{ position: string; hash: string }> {
    const [row]: { position: string; hash: string }[] = await this.dataSource.query(
      'SELECT position, hash FROM governance.audit_event ORDER BY position DESC LIMIT 1',
    );
    return row ?? { position: '0', hash: GENESIS_HASH };
  }

  /** How many entries up to `throughPosition` match the filter: what an export bounded there will hold. */
  async count(filter: AuditEventFilter | null | undefined, throughPosition: string): Promise<number> {
    const conditions = Conditions.of(filter);
    conditions.add((parameter) => `position <= ${parameter}::bigint`, throughPosition);
    const [{ count }]: { count: string }[] = await this.dataSource.query(
      `SELECT count(*)::text AS count FROM governance.audit_event ${conditions.where}`,
      conditions.parameters,
    );
    return Number(count);
  }

  /**
   * Recomputes the chain over part of the ledger: between two positions, or from the first to the last entry that
   * occurred in a time range (positions follow ingestion, not occurrence, so the range is the positions' span). The
   * entry before the first anchors its link; checkpoints inside the range are checked too.
   */
  async rangeVerification(range: AuditRangeArgs): Promise<AuditRangeVerificationOutput> {
    const conditions = Conditions.of({ occurredFrom: range.occurredFrom, occurredTo: range.occurredTo });
    const head = BigInt((await this.head()).position);
    let from = range.fromPosition ? BigInt(range.fromPosition) : 1n;
    let to = range.toPosition ? BigInt(range.toPosition) : head;
    if (range.occurredFrom || range.occurredTo) {
      const [span]: { first: string | null; last: string | null }[] = await this.dataSource.query(
        `SELECT min(position)::text AS first, max(position)::text AS last FROM governance.audit_event ${conditions.where}`,
        conditions.parameters,
      );
      if (span.first === null || span.last === null) {
        return { ok: true, checked: 0, firstBroken: null, fromPosition: null, toPosition: null };
      }
      from = BigInt(span.first) > from ? BigInt(span.first) : from;
      to = BigInt(span.last) < to ? BigInt(span.last) : to;
    }
    if (to > head) {
      to = head;
    }
    if (from > to) {
      return { ok: true, checked: 0, firstBroken: null, fromPosition: null, toPosition: null };
    }
    const result = await this.ledger.verifyRange(from.toString(), to.toString());
    return { ...result, fromPosition: from.toString(), toPosition: to.toString() };
  }

  async byEventId(eventId: string): Promise<AuditEventOutput | null> {
    if (!isUuid(eventId)) {
      return null;
    }
    const [row]: AuditEventRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM governance.audit_event WHERE event_id = $1`, [
      eventId.toLowerCase(),
    ]);
    return row ? eventOf(row) : null;
  }

  async verification(): Promise<AuditVerificationOutput> {
    return this.ledger.verify();
  }

  /**
   * Every entry matching the filter, in batches of `batchSize` read one query at a time (keyset by position), so an
   * export holds one batch in memory whatever the ledger's size. The ledger's end when the export starts bounds it:
   * entries appended meanwhile are left out, and an ascending export cannot chase a growing ledger.
   */
  async *batches(
    filter: AuditEventFilter | null | undefined,
    order: SortDirection = 'DESC',
    batchSize = EXPORT_BATCH_SIZE,
    throughPosition?: string,
  ): AsyncGenerator<AuditEventOutput[]> {
    const head = throughPosition ?? (await this.head()).position;
    let last: string | null = null;
    for (;;) {
      const conditions = Conditions.of(filter);
      conditions.add((parameter) => `position <= ${parameter}::bigint`, head);
      if (last !== null) {
        conditions.add((parameter) => `position ${order === 'ASC' ? '>' : '<'} ${parameter}::bigint`, last);
      }
      const rows: AuditEventRow[] = await this.dataSource.query(
        `SELECT ${COLUMNS} FROM governance.audit_event ${conditions.where} ORDER BY position ${order} LIMIT ${batchSize}`,
        conditions.parameters,
      );
      if (rows.length > 0) {
        yield rows.map(eventOf);
      }
      if (rows.length < batchSize) {
        return;
      }
      last = rows[rows.length - 1].position;
    }
  }
}
