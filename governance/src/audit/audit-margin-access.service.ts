import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { BadInputError, decodeCursor, encodeCursor, isIsoDate, pageSize, type Page } from '@concord/common';
import { PolicyBundleService } from '../policy/policy-bundle.service';
import { AuditException, AuditExceptionCode } from './audit.exception';
import { MarginAccessPeriod, type MarginAccessArgs } from './dtos/audit-event.input';
import type { MarginAccessRowOutput, MarginAccessTotalsOutput } from './dtos/audit-event.output';

const TRUNCATE: Record<MarginAccessPeriod, string> = {
  [MarginAccessPeriod.DAY]: 'day',
  [MarginAccessPeriod.WEEK]: 'week',
  [MarginAccessPeriod.MONTH]: 'month',
};

interface MarginAccessRow {
  period: string;
  role: string;
  entity: string;
  entity_id: string | null;
  coordinates: string[];
  actors: string[];
  reads: number;
  denied: number;
  last_at: Date;
}

/** A group's place in the report's order: period (newest first), role, entity, record (none first). */
type GroupKey = [period: string, role: string, entity: string, entityId: string | null];

function groupKeyOf(cursor: string, sort: string): GroupKey {
  const { v } = decodeCursor(cursor, sort);
  if (
    !Array.isArray(v) ||
    v.length !== 4 ||
    !v.slice(0, 3).every((part) => typeof part === 'string') ||
    !(typeof v[3] === 'string' || v[3] === null)
  ) {
    throw new BadInputError('after is not a valid cursor for this report', { argument: 'after' });
  }
  return v as GroupKey;
}

function instant(name: string, value: string): string {
  const parsed = new Date(value);
  if (!isIsoDate(value.slice(0, 10)) || Number.isNaN(parsed.getTime())) {
    throw new AuditException(AuditExceptionCode.INVALID_QUERY, `${name} is not a valid instant: ${value}`, [
      `${name}: not a valid instant`,
    ]);
  }
  return parsed.toISOString();
}

/**
 * Who read margin: the gateway's access events (`read`, and `denied` for fields the policy removed) whose coordinates
 * include a MARGIN-class field of the policy bundle in force, grouped by period, role and record read. Client reads
 * name the client; other types (Project, LegalEntity, …) name their record, since the ledger holds no client link.
 */
@Injectable()
export class AuditMarginAccessService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policies: PolicyBundleService,
  ) {}

  async report(args: MarginAccessArgs): Promise<Page<MarginAccessRowOutput> & { totals: MarginAccessTotalsOutput }> {
    const from = instant('occurredFrom', args.occurredFrom);
    const to = instant('occurredTo', args.occurredTo);
    if (from >= to) {
      throw new AuditException(AuditExceptionCode.INVALID_QUERY, 'occurredFrom must be before occurredTo', [
        'occurredTo: must be after occurredFrom',
      ]);
    }
    const period = args.period ?? MarginAccessPeriod.MONTH;
    // a cursor of another granularity would seek to the wrong place
    const sort = `marginAccess:${period}`;
    const limit = pageSize(args.first);
    const after = args.after ? groupKeyOf(args.after, sort) : null;
    const { classifications } = await this.policies.current();
    const margin = Object.entries(classifications)
      .filter(([, classification]) => classification === 'MARGIN')
      .map(([coordinate]) => coordinate)
      .sort();
    const groups = `WITH access AS (
         SELECT position, occurred_at, action, entity, actor, after FROM governance.audit_event
         WHERE action IN ('read', 'denied') AND occurred_at >= $1::timestamptz AND occurred_at < $2::timestamptz
           AND jsonb_typeof(after -> 'coordinates') = 'array' AND (after -> 'coordinates') ?| $3::text[]
       ), groups AS (
       SELECT to_char(date_trunc($4, access.occurred_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS period,
         role.name AS role, access.entity, record.id AS entity_id,
         array_agg(DISTINCT coordinate.name ORDER BY coordinate.name) FILTER (WHERE coordinate.name = ANY($3::text[])) AS coordinates,
         array_agg(DISTINCT coalesce(access.actor ->> 'sub', '(system)') ORDER BY coalesce(access.actor ->> 'sub', '(system)')) AS actors,
         (count(DISTINCT access.position) FILTER (WHERE access.action = 'read'))::int AS reads,
         (count(DISTINCT access.position) FILTER (WHERE access.action = 'denied'))::int AS denied,
         max(access.occurred_at) AS last_at
       FROM access
       CROSS JOIN LATERAL jsonb_array_elements_text(
         CASE WHEN jsonb_typeof(access.actor -> 'roles') = 'array' THEN access.actor -> 'roles' ELSE '["(none)"]'::jsonb END) AS role (name)
       CROSS JOIN LATERAL jsonb_array_elements_text(
         CASE WHEN jsonb_typeof(access.after -> 'ids') = 'array' AND jsonb_array_length(access.after -> 'ids') > 0
           THEN access.after -> 'ids' ELSE '[null]'::jsonb END) AS record (id)
       CROSS JOIN LATERAL jsonb_array_elements_text(access.after -> 'coordinates') AS coordinate (name)
       GROUP BY 1, 2, 3, 4
       )`;
    const parameters = [from, to, margin, TRUNCATE[period]];
    // the page and the totals from one snapshot, so the cards agree with the rows
    const { rows, totals } = await this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const page: MarginAccessRow[] = await manager.query(
        `${groups}
         SELECT * FROM groups
         WHERE $5::text IS NULL OR period < $5
           OR (period = $5 AND (role, entity, entity_id IS NOT NULL, coalesce(entity_id, '')) > ($6::text, $7::text, $8::boolean, $9::text))
         ORDER BY period DESC, role, entity, entity_id IS NOT NULL, coalesce(entity_id, '')
         LIMIT $10`,
        [
          ...parameters,
          after?.[0] ?? null,
          after?.[1] ?? null,
          after?.[2] ?? null,
          after ? after[3] !== null : null,
          after?.[3] ?? '',
          limit + 1,
        ],
      );
      const [sums]: MarginAccessTotalsOutput[] = await manager.query(
        `${groups}
         SELECT count(*)::int AS groups, coalesce(sum(reads), 0)::int AS reads, coalesce(sum(denied), 0)::int AS denied,
           count(DISTINCT role)::int AS roles
         FROM groups`,
        parameters,
      );
      return { rows: page, totals: sums };
    });
    const nodes = rows.slice(0, limit).map((row) => ({
      period: row.period,
      role: row.role,
      entity: row.entity,
      clientId: row.entity === 'Client' ? row.entity_id : null,
      entityId: row.entity_id,
      coordinates: row.coordinates,
      actors: row.actors,
      reads: row.reads,
      denied: row.denied,
      lastAt: row.last_at,
    }));
    return {
      nodes,
      cursors: nodes.map((node) =>
        encodeCursor({ s: sort, v: [node.period, node.role, node.entity, node.entityId], id: node.entityId ?? '' }),
      ),
      hasNextPage: rows.length > limit,
      hasPreviousPage: Boolean(args.after),
      totals,
    };
  }
}
