import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { decodeCursor, encodeCursor, pageSize, type Page } from '@concord/common';
import { DatabaseSchemaUsage } from './client-usage';
import { REGISTRY_OPTIONS, type RegistryOptions } from './registry.options';
import { RegistryException, RegistryExceptionCode } from './registry.exception';
import { diffSubgraphSchemas, fieldFactsOf, parseSdl, type ChangeCriticality, type SchemaCheckReport } from './schema-check';
import { SchemaVersionStatus } from './schema-version.entity';
import { servedState } from './supergraph-history';

const DAY_MS = 86_400_000;
const MAX_DAYS = 90;
const CHECKS_SORT = 'checkedAt';
const APPROVALS_SORT = 'approvedAt';
/** A timestamptz to the microsecond, for a cursor (a JS Date keeps only milliseconds and would skip or repeat rows). */
const EXACT_INSTANT = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** A client version a breaking change affects, with the operations that use what it breaks. */
export interface AffectedClient {
  client: string;
  operations: string[];
}

export interface CheckedChange {
  criticality: ChangeCriticality;
  type: string;
  path: string | null;
  message: string;
  affected: AffectedClient[];
}

export enum SchemaCheckSource {
  /** a check without publishing (`POST /registry/check`) */
  CHECK = 'CHECK',
  /** a publish attempt: its check decided whether it was published */
  PUBLISH = 'PUBLISH',
}

/** One stored schema check: a dry-run or a publish attempt. */
export interface SchemaCheckRecord {
  source: SchemaCheckSource;
  subgraph: string;
  version: number | null;
  status: SchemaVersionStatus | null;
  author: string | null;
  ok: boolean;
  approved: boolean;
  checkedAt: Date;
  baseVersion: number | null;
  reasons: string[];
  changes: CheckedChange[];
  affectedClientVersions: string[];
  affectedOperations: string[];
}

export interface SchemaDiff {
  subgraph: string;
  fromVersion: number;
  toVersion: number;
  fromSdl: string;
  toSdl: string;
  changes: CheckedChange[];
}

export interface SchemaApprovalRecord {
  subgraph: string;
  version: number;
  publishedBy: string;
  publishedAt: Date;
  approvedBy: string;
  approverRoles: string[];
  reason: string;
  approvedAt: Date;
  supergraphVersion: number;
  /** why the check failed, as approved */
  reasons: string[];
}

export interface CoordinateUsageSummary {
  coordinate: string;
  count: number;
  clientVersions: number;
  operations: number;
  lastSeen: Date;
}

export interface UsageDay {
  day: string;
  clientName: string;
  clientVersion: string;
  count: number;
}

export interface DeprecatedField {
  subgraph: string;
  coordinate: string;
  reason: string | null;
  /** when it was first published @deprecated, in the streak reaching the served version */
  deprecatedSince: Date;
  /** when the deprecation policy allows removing it */
  removableFrom: Date;
  /** no (not excluded) client used it in the window: removing it breaks nobody */
  ready: boolean;
  clients: { clientName: string; clientVersion: string; count: number; lastSeen: Date; excluded: boolean }[];
}

/** `name@version (operations: A 0123abcd, B 4567…, 2 more)` as the checks store it, parsed. */
export function affectedClientOf(label: string): AffectedClient {
  const match = /^(.*?) \(operations: (.*)\)$/.exec(label);
  return match ? { client: match[1], operations: match[2].split(', ') } : { client: label, operations: [] };
}

function changesOf(report: Pick<SchemaCheckReport, 'changes'>): CheckedChange[] {
  return report.changes.map((change) => ({
    criticality: change.criticality,
    type: change.type,
    path: change.path,
    message: change.message,
    affected: (change.clients ?? []).map(affectedClientOf),
  }));
}

function recordOf(
  report: SchemaCheckReport,
  fields: Pick<SchemaCheckRecord, 'source' | 'version' | 'status' | 'author' | 'approved' | 'checkedAt'> & { subgraph: string },
): SchemaCheckRecord {
  const changes = changesOf(report);
  const affected = changes.flatMap((change) => change.affected);
  return {
    ...fields,
    ok: report.ok,
    baseVersion: report.baseVersion,
    reasons: report.reasons,
    changes,
    affectedClientVersions: [...new Set(affected.map((client) => client.client))].sort(),
    affectedOperations: [...new Set(affected.flatMap((client) => client.operations))].sort(),
  };
}

function validDays(days: number): number {
  if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
    throw new RegistryException(RegistryExceptionCode.INVALID_INPUT, `days is a whole number from 1 to ${MAX_DAYS}`, {
      problems: [`days is a whole number from 1 to ${MAX_DAYS}`],
    });
  }
  return days;
}

function deprecationReasonOf(sdl: string, coordinate: string): string | null {
  const [typeName, field] = coordinate.split('.');
  const document = parseSdl('subgraph', sdl);
  if (!('definitions' in document)) {
    return null;
  }
  for (const definition of document.definitions) {
    if (!('name' in definition) || definition.name?.value !== typeName || !('fields' in definition)) {
      continue;
    }
    for (const node of definition.fields ?? []) {
      if (node.name.value !== field) {
        continue;
      }
      const deprecated = node.directives?.find((directive) => directive.name.value === 'deprecated');
      const reason = deprecated?.arguments?.find((argument) => argument.name.value === 'reason')?.value;
      if (deprecated) {
        return reason?.kind === 'StringValue' ? reason.value : 'No longer supported';
      }
    }
  }
  return null;
}

/**
 * What API owners read beyond the version list: the diff of any two versions of a subgraph, the checks history
 * (dry-runs and publish attempts) with the client versions and operations each change affects, approvals, field
 * usage by client version over time, and the readiness of each @deprecated field for removal.
 */
@Injectable()
export class SchemaInsightsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(REGISTRY_OPTIONS) private readonly options: RegistryOptions,
    private readonly usage: DatabaseSchemaUsage,
  ) {}

  async diff(subgraph: string, fromVersion: number, toVersion: number): Promise<SchemaDiff> {
    const rows: { version: number; sdl: string }[] = await this.dataSource.query(
      `SELECT version, sdl FROM governance.schema_version WHERE subgraph = $1 AND version = ANY($2::int[])`,
      [subgraph, [fromVersion, toVersion]],
    );
    const sdlOf = (version: number): string => {
      const row = rows.find((candidate) => candidate.version === version);
      if (!row) {
        throw new RegistryException(RegistryExceptionCode.SCHEMA_VERSION_NOT_FOUND, `${subgraph} has no version ${version}`, {
          subgraph,
          version,
        });
      }
      return row.sdl;
    };
    const fromSdl = sdlOf(fromVersion);
    const toSdl = sdlOf(toVersion);
    const from = parseSdl(subgraph, fromSdl);
    const to = parseSdl(subgraph, toSdl);
    if (!('definitions' in from) || !('definitions' in to)) {
      throw new RegistryException(RegistryExceptionCode.INVALID_INPUT, 'a stored version does not parse', {
        problems: ['a stored version does not parse'],
      });
    }
    const changes = (await diffSubgraphSchemas(from, to)).map((change) => ({ ...change, affected: [] }));
    return { subgraph, fromVersion, toVersion, fromSdl, toSdl, changes };
  }

  /** Dry-run checks and publish attempts, newest first, of one subgraph or all: one keyset page over both tables. */
  async checks(request: { subgraph?: string | null; first?: number | null; after?: string | null }): Promise<Page<SchemaCheckRecord>> {
    const limit = pageSize(request.first);
    const parameters: unknown[] = [request.subgraph ?? null];
    let seek = '';
    if (request.after) {
      const cursor = decodeCursor(request.after, CHECKS_SORT);
      parameters.push(cursor.v, cursor.id);
      seek = 'AND (checked_at, id) < ($2::timestamptz, $3::uuid)';
    }
    parameters.push(limit + 1);
    const rows: {
      source: SchemaCheckSource;
      id: string;
      subgraph: string;
      version: number | null;
      status: SchemaVersionStatus | null;
      author: string | null;
      checked_at: Date;
      checked_at_exact: string;
      report: SchemaCheckReport;
      approved: boolean;
    }[] = await this.dataSource.query(
      `SELECT *, ${EXACT_INSTANT('checked_at')} AS checked_at_exact FROM (
         SELECT 'PUBLISH' AS source, v.id, v.subgraph, v.version, v.status, v.author, v.created_at AS checked_at,
                v.check_result AS report, a.id IS NOT NULL AS approved
         FROM governance.schema_version v LEFT JOIN governance.schema_approval a ON a.schema_version_id = v.id
         UNION ALL
         SELECT 'CHECK', c.id, c.subgraph, NULL, NULL, NULL, c.checked_at, c.report, false FROM governance.schema_check c
       ) checks
       WHERE ($1::text IS NULL OR subgraph = $1) ${seek}
       ORDER BY checked_at DESC, id DESC LIMIT $${parameters.length}`,
      parameters,
    );
    const page = rows.slice(0, limit);
    return {
      nodes: page.map((row) =>
        recordOf(row.report, {
          source: row.source,
          subgraph: row.subgraph,
          version: row.version,
          status: row.status,
          author: row.author,
          approved: row.approved,
          checkedAt: row.checked_at,
        }),
      ),
      cursors: page.map((row) => encodeCursor({ s: CHECKS_SORT, v: row.checked_at_exact, id: row.id })),
      hasNextPage: rows.length > limit,
      hasPreviousPage: Boolean(request.after),
    };
  }

  /** Stewards' approvals of versions that failed their check, newest first. */
  async approvals(request: { first?: number | null; after?: string | null }): Promise<Page<SchemaApprovalRecord>> {
    const limit = pageSize(request.first);
    const parameters: unknown[] = [];
    let seek = '';
    if (request.after) {
      const cursor = decodeCursor(request.after, APPROVALS_SORT);
      parameters.push(cursor.v, cursor.id);
      seek = 'WHERE (a.created_at, a.id) < ($1::timestamptz, $2::uuid)';
    }
    parameters.push(limit + 1);
    const rows: {
      id: string;
      subgraph: string;
      version: number;
      author: string;
      created_at: Date;
      approved_by: string;
      approver_roles: string[];
      reason: string;
      approved_at: Date;
      approved_at_exact: string;
      supergraph_version: number;
      check_result: SchemaCheckReport;
    }[] = await this.dataSource.query(
      `SELECT a.id, v.subgraph, v.version, v.author, v.created_at, a.approved_by, a.approver_roles, a.reason, a.created_at AS approved_at,
              ${EXACT_INSTANT('a.created_at')} AS approved_at_exact, a.supergraph_version, a.check_result
       FROM governance.schema_approval a JOIN governance.schema_version v ON v.id = a.schema_version_id
       ${seek}
       ORDER BY a.created_at DESC, a.id DESC LIMIT $${parameters.length}`,
      parameters,
    );
    const page = rows.slice(0, limit);
    return {
      nodes: page.map((row) => ({
        subgraph: row.subgraph,
        version: row.version,
        publishedBy: row.author,
        publishedAt: row.created_at,
        approvedBy: row.approved_by,
        approverRoles: row.approver_roles,
        reason: row.reason,
        approvedAt: row.approved_at,
        supergraphVersion: row.supergraph_version,
        reasons: row.check_result.reasons,
      })),
      cursors: page.map((row) => encodeCursor({ s: APPROVALS_SORT, v: row.approved_at_exact, id: row.id })),
      hasNextPage: rows.length > limit,
      hasPreviousPage: Boolean(request.after),
    };
  }

  /**
   * The coordinates clients used in the last `days` days (those of a type, when given), most used first: all of them —
   * at most one row per coordinate of the schema, so the list is bounded by the schema, not by a cap.
   */
  async usageSummary(days: number, typeName: string | null): Promise<CoordinateUsageSummary[]> {
    const since = new Date(this.options.now().getTime() - validDays(days) * DAY_MS);
    const rows: { coordinate: string; count: string; client_versions: string; operations: string; last_seen: Date }[] =
      await this.dataSource.query(
        `SELECT coordinate, sum(count)::text AS count, count(DISTINCT (client_name, client_version))::text AS client_versions,
                count(DISTINCT operation_hash)::text AS operations, max(last_seen) AS last_seen
         FROM governance.client_usage
         WHERE day >= ($1::timestamptz AT TIME ZONE 'UTC')::date AND ($2::text IS NULL OR split_part(coordinate, '.', 1) = $2)
         GROUP BY coordinate ORDER BY sum(count) DESC, coordinate`,
        [since.toISOString(), typeName],
      );
    return rows.map((row) => ({
      coordinate: row.coordinate,
      count: Number(row.count),
      clientVersions: Number(row.client_versions),
      operations: Number(row.operations),
      lastSeen: row.last_seen,
    }));
  }

  /** A coordinate's use per UTC day and client version over the last `days` days, oldest first. */
  async usageTrend(coordinate: string, days: number): Promise<UsageDay[]> {
    const since = new Date(this.options.now().getTime() - validDays(days) * DAY_MS);
    const rows: { day: string; client_name: string; client_version: string; count: string }[] = await this.dataSource.query(
      `SELECT day::text AS day, client_name, client_version, sum(count)::text AS count
       FROM governance.client_usage
       WHERE coordinate = $1 AND day >= ($2::timestamptz AT TIME ZONE 'UTC')::date
       GROUP BY day, client_name, client_version ORDER BY day, client_name, client_version`,
      [coordinate, since.toISOString()],
    );
    return rows.map((row) => ({ day: row.day, clientName: row.client_name, clientVersion: row.client_version, count: Number(row.count) }));
  }

  /**
   * Every @deprecated field of the served subgraph versions: since when (the oldest published version of the streak
   * of versions deprecating it that reaches the served one), when the grace period lets it go, and who still used it
   * in the last `days` days.
   */
  async deprecatedFields(days: number): Promise<DeprecatedField[]> {
    const window = validDays(days);
    const now = this.options.now();
    const served = await servedState(this.dataSource.manager);
    const fields: DeprecatedField[] = [];
    for (const subgraph of served.subgraphs) {
      const deprecated = [...fieldFactsOf(parseSdlOrThrow(subgraph.name, subgraph.sdl)).entries()]
        .filter(([, facts]) => facts.deprecated && !facts.external)
        .map(([coordinate]) => coordinate);
      if (deprecated.length === 0) {
        continue;
      }
      const versions: { version: number; sdl: string; created_at: Date }[] = await this.dataSource.query(
        `SELECT version, sdl, created_at FROM governance.schema_version
         WHERE subgraph = $1 AND status = $2 AND version <= $3 ORDER BY version DESC`,
        [subgraph.name, SchemaVersionStatus.PUBLISHED, subgraph.version],
      );
      const facts = versions.map((version) => ({ createdAt: version.created_at, fields: fieldFactsOf(parseSdlOrThrow(subgraph.name, version.sdl)) }));
      for (const coordinate of deprecated) {
        let since = subgraph.createdAt;
        for (const version of facts) {
          if (!version.fields.get(coordinate)?.deprecated) {
            break;
          }
          since = version.createdAt;
        }
        const usage = await this.usage.whoUses(coordinate, window, now, this.options.excludedClients);
        fields.push({
          subgraph: subgraph.name,
          coordinate,
          reason: deprecationReasonOf(subgraph.sdl, coordinate),
          deprecatedSince: since,
          removableFrom: new Date(since.getTime() + this.options.deprecationGraceDays * DAY_MS),
          ready: usage.clients.every((client) => client.excluded),
          clients: usage.clients.map((client) => ({
            clientName: client.clientName,
            clientVersion: client.clientVersion,
            count: client.count,
            lastSeen: new Date(client.lastSeen),
            excluded: client.excluded,
          })),
        });
      }
    }
    return fields.sort((a, b) => a.subgraph.localeCompare(b.subgraph) || a.coordinate.localeCompare(b.coordinate));
  }
}

function parseSdlOrThrow(subgraph: string, sdl: string) {
  const document = parseSdl(subgraph, sdl);
  if (!('definitions' in document)) {
    throw new RegistryException(RegistryExceptionCode.INVALID_INPUT, `a stored version of ${subgraph} does not parse`, {
      problems: [document.message],
    });
  }
  return document;
}
