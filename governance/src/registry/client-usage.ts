import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { UsageReport } from '@concord/common';
import { RegistryException, RegistryExceptionCode } from './registry.exception';
import type { SchemaUsage, SchemaUsageOptions, UsageLookup } from './schema-check';

/** The most reports one `POST /registry/usage` may carry (the gateway's contract). */
export const MAX_USAGE_REPORTS = 5000;
const MAX_COORDINATES_PER_REPORT = 5000;
const MAX_NAME_CHARS = 256;
/** rows per INSERT statement (8 arrays of this length each) */
const INGEST_CHUNK = 5000;
/** problems listed in a 400 before "… and N more" */
const MAX_PROBLEMS = 20;
const DAY_MS = 86_400_000;

/** `Type.field` (a field, an input field, an enum value) or `Type.field.argument` */
const USAGE_COORDINATE = /^[_A-Za-z][_0-9A-Za-z]*\.[_A-Za-z][_0-9A-Za-z]*(\.[_A-Za-z][_0-9A-Za-z]*)?$/;
const TYPE_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
/** rows one retention statement deletes: short transactions that never hold many locks */
export const RETENTION_BATCH = 5_000;

export interface UsageBatch {
  reports: UsageReport[];
}

export interface OperationUsage {
  hash: string;
  name: string | null;
  count: number;
  lastSeen: string;
}

export interface ClientVersionUsage {
  clientName: string;
  clientVersion: string;
  /** listed in REGISTRY_EXCLUDED_CLIENTS: shown, but not counted by checks */
  excluded: boolean;
  count: number;
  lastSeen: string;
  operations: OperationUsage[];
}

/** Who used a coordinate within the last `days` days. */
export interface CoordinateUsage {
  coordinate: string;
  days: number;
  since: string;
  clients: ClientVersionUsage[];
}

interface UsageRow {
  coordinate: string;
  client_name: string;
  client_version: string;
  operation_hash: string;
  operation_name: string | null;
  count: string;
  last_seen: Date;
}

function isoDate(value: unknown): Date | null {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    return null;
  }
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

function boundedString(value: unknown, allowEmpty: boolean): value is string {
  return typeof value === 'string' && value.length <= MAX_NAME_CHARS && (allowEmpty || value.trim().length > 0);
}

/** The batch, validated; INVALID_INPUT (400) lists every problem (`reports[3].count is …`). */
export function validUsageBatch(body: unknown): UsageReport[] {
  const reports = (body as Partial<UsageBatch> | null | undefined)?.reports;
  if (!Array.isArray(reports)) {
    throw new RegistryException(RegistryExceptionCode.INVALID_INPUT, 'reports is an array of usage reports', {
      problems: ['reports is an array of usage reports'],
    });
  }
  if (reports.length > MAX_USAGE_REPORTS) {
    const problem = `reports holds at most ${MAX_USAGE_REPORTS} reports (got ${reports.length}): send several batches`;
    throw new RegistryException(RegistryExceptionCode.INVALID_INPUT, problem, { problems: [problem] });
  }
  const problems: string[] = [];
  reports.forEach((report: Partial<UsageReport> | null, index) => {
    const at = `reports[${index}]`;
    if (typeof report !== 'object' || report === null) {
      problems.push(`${at} is an object`);
      return;
    }
    if (!boundedString(report.clientName, false)) {
      problems.push(`${at}.clientName is a non-empty string of at most ${MAX_NAME_CHARS} characters`);
    }
    if (!boundedString(report.clientVersion, true)) {
      problems.push(`${at}.clientVersion is a string of at most ${MAX_NAME_CHARS} characters`);
    }
    if (!boundedString(report.operationHash, false)) {
      problems.push(`${at}.operationHash is a non-empty string of at most ${MAX_NAME_CHARS} characters`);
    }
    if (report.operationName !== null && !boundedString(report.operationName, true)) {
      problems.push(`${at}.operationName is null or a string of at most ${MAX_NAME_CHARS} characters`);
    }
    if (
      !Array.isArray(report.coordinates) ||
      report.coordinates.length > MAX_COORDINATES_PER_REPORT ||
      !report.coordinates.every((coordinate) => typeof coordinate === 'string' && USAGE_COORDINATE.test(coordinate))
    ) {
      problems.push(
        `${at}.coordinates is an array of at most ${MAX_COORDINATES_PER_REPORT} schema coordinates ("Type.field" or "Type.field.argument")`,
      );
    }
    if (typeof report.count !== 'number' || !Number.isSafeInteger(report.count) || report.count < 1) {
      problems.push(`${at}.count is a positive integer`);
    }
    const firstSeen = isoDate(report.firstSeen);
    const lastSeen = isoDate(report.lastSeen);
    if (!firstSeen) {
      problems.push(`${at}.firstSeen is an ISO 8601 date-time`);
    }
    if (!lastSeen) {
      problems.push(`${at}.lastSeen is an ISO 8601 date-time`);
    }
    if (firstSeen && lastSeen && firstSeen.getTime() > lastSeen.getTime()) {
      problems.push(`${at}.firstSeen is not after lastSeen`);
    }
  });
  if (problems.length) {
    const listed =
      problems.length > MAX_PROBLEMS ? [...problems.slice(0, MAX_PROBLEMS), `… and ${problems.length - MAX_PROBLEMS} more`] : problems;
    throw new RegistryException(RegistryExceptionCode.INVALID_INPUT, `invalid usage reports: ${listed.join('; ')}`, { problems: listed });
  }
  return reports as UsageReport[];
}

/** `name` excludes every version of a client, `name@version` one version. */
function excludedBy(excludedClients: readonly string[] | undefined): (name: string, version: string) => boolean {
  const excluded = new Set(excludedClients ?? []);
  return (name, version) => excluded.has(name) || excluded.has(`${name}@${version}`);
}

function clientLabel(name: string, version: string): string {
  return version ? `${name}@${version}` : name;
}

/** What `GET /registry/usage` looks a coordinate up as: `Type` is any of its coordinates, anything else itself. */
function lookupOf(coordinate: string): UsageLookup {
  return coordinate.includes('.')
    ? { key: coordinate, coordinates: [coordinate], types: [] }
    : { key: coordinate, coordinates: [], types: [coordinate] };
}

function matches(lookup: UsageLookup): (row: UsageRow) => boolean {
  const coordinates = new Set(lookup.coordinates);
  const types = new Set(lookup.types);
  return (row) => coordinates.has(row.coordinate) || types.has(row.coordinate.split('.')[0]);
}

/**
 * Client usage in `governance.client_usage`: the gateways' reports (summed per coordinate, UTC day, client version
 * and operation), the registry's usage source for checks, and the answer to "who uses `Project.margin`?".
 */
@Injectable()
export class DatabaseSchemaUsage implements SchemaUsage {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Adds the reports: one row per coordinate, day (of lastSeen, UTC), client version and operation, counts summed
   * and last_seen the latest. Answers how many reports were taken.
   */
  async ingest(reports: readonly UsageReport[]): Promise<number> {
    const rows = new Map<string, [string, string, string, string, string, string | null, number, Date]>();
    for (const report of reports) {
      const lastSeen = new Date(report.lastSeen);
      const day = lastSeen.toISOString().slice(0, 10);
      for (const coordinate of new Set(report.coordinates)) {
        const key = JSON.stringify([coordinate, day, report.clientName, report.clientVersion, report.operationHash]);
        const row = rows.get(key);
        if (row) {
          row[5] = report.operationName ?? row[5];
          row[6] += report.count;
          row[7] = row[7].getTime() >= lastSeen.getTime() ? row[7] : lastSeen;
        } else {
          rows.set(key, [
            coordinate,
            day,
            report.clientName,
            report.clientVersion,
            report.operationHash,
            report.operationName,
            report.count,
            lastSeen,
          ]);
        }
      }
    }
    // one order for every writer: concurrent batches touching the same rows wait for each other instead of deadlocking
    const sorted = [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
    if (sorted.length === 0) {
      return reports.length;
    }
    await this.dataSource.transaction(async (manager) => {
      for (let start = 0; start < sorted.length; start += INGEST_CHUNK) {
        const chunk = sorted.slice(start, start + INGEST_CHUNK);
        const column = <T>(index: number) => chunk.map((row) => row[index] as T);
        await manager.query(
          `INSERT INTO governance.client_usage AS usage
             (coordinate, day, client_name, client_version, operation_hash, operation_name, count, last_seen)
           SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::timestamptz[])
           ON CONFLICT (coordinate, day, client_name, client_version, operation_hash) DO UPDATE SET
             count = usage.count + excluded.count,
             last_seen = greatest(usage.last_seen, excluded.last_seen),
             operation_name = coalesce(excluded.operation_name, usage.operation_name)`,
          [
            column<string>(0),
            column<string>(1),
            column<string>(2),
            column<string>(3),
            column<string>(4),
            column<string | null>(5),
            column<number>(6).map(String),
            column<Date>(7).map((date) => date.toISOString()),
          ],
        );
      }
    });
    return reports.length;
  }

  private async rowsUsing(lookups: readonly UsageLookup[], since: Date): Promise<UsageRow[]> {
    const coordinates = [...new Set(lookups.flatMap((lookup) => lookup.coordinates))];
    const types = [...new Set(lookups.flatMap((lookup) => lookup.types))];
    return this.dataSource.query(
      `SELECT coordinate, client_name, client_version, operation_hash, max(operation_name) AS operation_name,
              sum(count)::text AS count, max(last_seen) AS last_seen
       FROM governance.client_usage
       WHERE (coordinate = ANY($1::text[]) OR split_part(coordinate, '.', 1) = ANY($2::text[]))
         AND day >= ($3::timestamptz AT TIME ZONE 'UTC')::date AND last_seen >= $3::timestamptz
       GROUP BY coordinate, client_name, client_version, operation_hash
       ORDER BY coordinate, client_name, client_version, operation_hash`,
      [coordinates, types, since.toISOString()],
    );
  }

  /**
   * Per lookup, the client versions (not excluded) that used what it names since `since`, each as
   * `name@version (operations: Name abcdef123456, …)`; a lookup nobody used is absent.
   */
  async clientsUsing(lookups: readonly UsageLookup[], since: Date, options: SchemaUsageOptions = {}): Promise<Map<string, string[]>> {
    const excluded = excludedBy(options.excludedClients);
    const rows = (await this.rowsUsing(lookups, since)).filter((row) => !excluded(row.client_name, row.client_version));
    const result = new Map<string, string[]>();
    for (const lookup of lookups) {
      const operations = new Map<string, Map<string, string>>();
      for (const row of rows.filter(matches(lookup))) {
        const label = clientLabel(row.client_name, row.client_version);
        const byHash = operations.get(label) ?? new Map<string, string>();
        byHash.set(row.operation_hash, `${row.operation_name ?? 'anonymous'} ${row.operation_hash.slice(0, 12)}`);
        operations.set(label, byHash);
      }
      if (operations.size) {
        result.set(
          lookup.key,
          [...operations.entries()].map(([label, byHash]) => {
            const listed = [...byHash.values()];
            const shown = listed.length > 5 ? [...listed.slice(0, 5), `${listed.length - 5} more`] : listed;
            return `${label} (operations: ${shown.join(', ')})`;
          }),
        );
      }
    }
    return result;
  }

  /**
   * Deletes the usage of days before `before`'s (UTC) day, RETENTION_BATCH rows per statement so no statement holds
   * many locks or runs long; replicas running it at once share the rows (SKIP LOCKED). Answers how many went.
   */
  async deleteBefore(before: Date): Promise<number> {
    let deleted = 0;
    for (;;) {
      const [, count]: [unknown, number] = await this.dataSource.query(
        `DELETE FROM governance.client_usage WHERE ctid IN (
           SELECT ctid FROM governance.client_usage
           WHERE day < ($1::timestamptz AT TIME ZONE 'UTC')::date
           LIMIT $2 FOR UPDATE SKIP LOCKED)`,
        [before.toISOString(), RETENTION_BATCH],
      );
      deleted += count;
      if (count < RETENTION_BATCH) {
        return deleted;
      }
    }
  }

  /**
   * Who used `coordinate` in the `days` days before `now`: a field, input field or enum value (`Type.member`), an
   * argument (`Type.field.argument`), or `Type` for any of them.
   */
  async whoUses(coordinate: string, days: number, now: Date, excludedClients: readonly string[] = []): Promise<CoordinateUsage> {
    const since = new Date(now.getTime() - days * DAY_MS);
    const excluded = excludedBy(excludedClients);
    const clients = new Map<string, ClientVersionUsage>();
    for (const row of await this.rowsUsing([lookupOf(coordinate)], since)) {
      const key = JSON.stringify([row.client_name, row.client_version]);
      const client = clients.get(key) ?? {
        clientName: row.client_name,
        clientVersion: row.client_version,
        excluded: excluded(row.client_name, row.client_version),
        count: 0,
        lastSeen: row.last_seen.toISOString(),
        operations: [],
      };
      const count = Number(row.count);
      if (row.last_seen.toISOString() > client.lastSeen) {
        client.lastSeen = row.last_seen.toISOString();
      }
      const operation = client.operations.find((known) => known.hash === row.operation_hash);
      if (operation) {
        // `Type` asked: the same operation through several fields counts once per field row, keep the largest
        operation.count = Math.max(operation.count, count);
        operation.lastSeen = row.last_seen.toISOString() > operation.lastSeen ? row.last_seen.toISOString() : operation.lastSeen;
      } else {
        client.operations.push({ hash: row.operation_hash, name: row.operation_name, count, lastSeen: row.last_seen.toISOString() });
      }
      clients.set(key, client);
    }
    for (const client of clients.values()) {
      client.count = client.operations.reduce((sum, operation) => sum + operation.count, 0);
    }
    return {
      coordinate,
      days,
      since: since.toISOString(),
      clients: [...clients.values()].sort(
        (a, b) => a.clientName.localeCompare(b.clientName) || a.clientVersion.localeCompare(b.clientVersion),
      ),
    };
  }
}

/** The query of `GET /registry/usage`, validated. */
export function validUsageQuery(coordinate: unknown, days: unknown, defaultDays: number): { coordinate: string; days: number } {
  const problems: string[] = [];
  const name = typeof coordinate === 'string' ? coordinate.trim() : '';
  if (!USAGE_COORDINATE.test(name) && !TYPE_NAME.test(name)) {
    problems.push('coordinate is a schema coordinate: "Type.field", "Type.field.argument", or "Type" for any of its fields');
  }
  const window = days === undefined || days === '' ? defaultDays : Number(days);
  if (!Number.isInteger(window) || window < 1 || window > 365) {
    problems.push('days is an integer from 1 to 365');
  }
  if (problems.length) {
    throw new RegistryException(RegistryExceptionCode.INVALID_INPUT, problems.join('; '), { problems });
  }
  return { coordinate: name, days: window };
}
