import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { GraphQLError, type DocumentNode } from 'graphql';
import type { DataSource, EntityManager } from 'typeorm';
import { newId, type Logger } from '@concord/common';
import { PolicyEngine } from '@concord/policy';
import { AuditLedgerService } from '../audit/audit-ledger.service';
import { GOVERNANCE_LOGGER } from '../common/governance-core.module';
import { PolicyBundleService } from '../policy/policy-bundle.service';
import { governanceAuditEvent } from '../policy/policy-audit';
import { DatabaseSchemaUsage, validUsageBatch, validUsageQuery, type CoordinateUsage } from './client-usage';
import { RegistryException, RegistryExceptionCode } from './registry.exception';
import { REGISTRY_OPTIONS, type RegistryOptions } from './registry.options';
import {
  composeSubgraphs,
  deprecationFindings,
  diffSubgraphSchemas,
  ownershipViolations,
  parseSdl,
  reasonsOf,
  sdlSha256,
  type SchemaCheckReport,
} from './schema-check';
import { SchemaVersionStatus } from './schema-version.entity';

/** Key of the transaction-scoped advisory lock that makes publishing single-writer ("schm"). */
export const REGISTRY_WRITER_LOCK = 0x7363686d;

const SUBGRAPH_NAME = /^[a-z][a-z0-9_-]{0,62}$/;
const MAX_SDL_CHARS = 2_000_000;

export interface SchemaInput {
  subgraph: string;
  sdl: string;
}

export interface PublishInput extends SchemaInput {
  author: string;
}

/** Per call, in place of the module's options (tests: a clock, a usage source). */
export type CheckOverrides = Partial<RegistryOptions>;

export interface PublishResult {
  subgraph: string;
  version: number;
  sha256: string;
  status: SchemaVersionStatus;
  /** true: the SDL equals the latest published version, nothing was stored */
  unchanged: boolean;
  report: SchemaCheckReport;
}

export interface SchemaVersionSummary {
  version: number;
  status: SchemaVersionStatus;
  sha256: string;
  author: string;
  createdAt: string;
  checkResult: SchemaCheckReport;
}

export interface Supergraph {
  supergraphSdl: string;
  sha256: string;
  subgraphs: { name: string; version: number; sha256: string }[];
}

interface VersionRow {
  subgraph: string;
  version: number;
  sdl: string;
  sha256: string;
  created_at: Date;
}

function requireInput(input: Partial<PublishInput> | undefined, withAuthor: boolean): PublishInput {
  const problems: string[] = [];
  const subgraph = typeof input?.subgraph === 'string' ? input.subgraph.trim() : '';
  if (!SUBGRAPH_NAME.test(subgraph)) {
    problems.push('subgraph is a lower-case name (a-z, 0-9, _ or -, at most 63 characters)');
  }
  const sdl = typeof input?.sdl === 'string' ? input.sdl : '';
  if (!sdl.trim() || sdl.length > MAX_SDL_CHARS) {
    problems.push(`sdl is a non-empty GraphQL SDL of at most ${MAX_SDL_CHARS} characters`);
  }
  const author = typeof input?.author === 'string' ? input.author.trim() : '';
  if (withAuthor && !author) {
    problems.push('author is required');
  }
  if (problems.length) {
    throw new RegistryException(RegistryExceptionCode.INVALID_INPUT, problems.join('; '), { problems });
  }
  return { subgraph, sdl, author };
}

function parsed(row: VersionRow): DocumentNode {
  const document = parseSdl(row.subgraph, row.sdl);
  // a stored published SDL parsed when it was checked; failing now would be a corrupted row
  if (document instanceof GraphQLError) {
    throw document;
  }
  return document;
}

/**
 * The schema registry (ARCHITECTURE.md §7, issue 5): checks a subgraph's proposed SDL — composition with the
 * others, a classified diff against its latest published version, ownership of newly resolved fields and the
 * deprecation period of removed ones — and publishes it as a new version when the check passes. Every attempt is
 * stored (PUBLISHED or REJECTED, append-only); publishes are in the audit ledger.
 */
@Injectable()
export class RegistryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policies: PolicyBundleService,
    private readonly ledger: AuditLedgerService,
    @Inject(REGISTRY_OPTIONS) private readonly options: RegistryOptions,
    @Inject(GOVERNANCE_LOGGER) private readonly logger: Logger,
    private readonly usage: DatabaseSchemaUsage,
  ) {}

  /** Takes a gateway's usage reports (`POST /registry/usage`): validated, then summed into governance.client_usage. */
  async reportUsage(body: unknown): Promise<{ accepted: number }> {
    const reports = validUsageBatch(body);
    return { accepted: await this.usage.ingest(reports) };
  }

  /** Who used a coordinate within `days` days (default: the usage window); excluded clients are listed and marked. */
  async whoUses(coordinate: unknown, days?: unknown, overrides: CheckOverrides = {}): Promise<CoordinateUsage> {
    const options = { ...this.options, ...overrides };
    const query = validUsageQuery(coordinate, days, options.usageWindowDays);
    return this.usage.whoUses(query.coordinate, query.days, options.now(), options.excludedClients);
  }

  /** Runs the checks without storing anything. */
  async check(input: SchemaInput, overrides: CheckOverrides = {}): Promise<SchemaCheckReport> {
    const valid = requireInput(input, false);
    return this.runCheck(this.dataSource.manager, valid, { ...this.options, ...overrides });
  }

  /**
   * Checks and stores the SDL as the subgraph's next version: PUBLISHED (and a `schema.publish` ledger event) when
   * the check passes, else REJECTED and a CHECK_FAILED (409) carrying the report. The latest published SDL again
   * is a no-op answering that version.
   */
  async publish(input: PublishInput, overrides: CheckOverrides = {}): Promise<PublishResult> {
    const valid = requireInput(input, true);
    const options = { ...this.options, ...overrides };
    const bundle = await this.policies.current();
    const result = await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [REGISTRY_WRITER_LOCK]);
      const document = parseSdl(valid.subgraph, valid.sdl);
      const sha256 = document instanceof GraphQLError ? createHash('sha256').update(valid.sdl).digest('hex') : sdlSha256(document);
      const [latest]: { version: number; sha256: string; check_result: SchemaCheckReport }[] = await manager.query(
        `SELECT version, sha256, check_result FROM governance.schema_version
         WHERE subgraph = $1 AND status = 'PUBLISHED' ORDER BY version DESC LIMIT 1`,
        [valid.subgraph],
      );
      if (latest?.sha256 === sha256) {
        return {
          subgraph: valid.subgraph,
          version: latest.version,
          sha256,
          status: SchemaVersionStatus.PUBLISHED,
          unchanged: true,
          report: latest.check_result,
        };
      }
      const report = await this.runCheck(manager, valid, options, bundle);
      const [{ next }]: { next: number }[] = await manager.query(
        'SELECT coalesce(max(version), 0) + 1 AS next FROM governance.schema_version WHERE subgraph = $1',
        [valid.subgraph],
      );
      const status = report.ok ? SchemaVersionStatus.PUBLISHED : SchemaVersionStatus.REJECTED;
      await manager.query(
        `INSERT INTO governance.schema_version (id, subgraph, version, sdl, sha256, author, created_at, check_result, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [newId(), valid.subgraph, next, valid.sdl, sha256, valid.author, options.now(), JSON.stringify(report), status],
      );
      if (report.ok) {
        await this.ledger.ingestWithin(manager, [
          governanceAuditEvent({
            action: 'schema.publish',
            actor: { sub: valid.author, roles: [] },
            entity: 'SubgraphSchema',
            entityId: `${valid.subgraph}@${next}`,
            before: latest ? { version: latest.version, sha256: latest.sha256 } : null,
            after: { version: next, sha256, changes: report.changes.length },
            changedFields: [...new Set(report.changes.flatMap((change) => (change.path ? [change.path] : [])))].slice(0, 500),
            reason: `publish subgraph ${valid.subgraph} version ${next}`,
            policyVersion: report.policyVersion,
          }),
        ]);
      }
      return { subgraph: valid.subgraph, version: next, sha256, status, unchanged: false, report };
    });
    if (result.status === SchemaVersionStatus.REJECTED) {
      this.logger.warn(
        { subgraph: result.subgraph, version: result.version, reasons: result.report.reasons },
        'rejected a subgraph schema',
      );
      throw new RegistryException(
        RegistryExceptionCode.CHECK_FAILED,
        `the schema of subgraph "${result.subgraph}" failed its check:\n  ${result.report.reasons.join('\n  ')}`,
        { version: result.version, report: result.report },
      );
    }
    if (!result.unchanged) {
      this.logger.info(
        { subgraph: result.subgraph, version: result.version, changes: result.report.changes.length },
        'published a subgraph schema',
      );
    }
    return result;
  }

  /** Every version of a subgraph, latest first, without the SDL. */
  async versions(subgraph: string): Promise<SchemaVersionSummary[]> {
    const rows: {
      version: number;
      status: SchemaVersionStatus;
      sha256: string;
      author: string;
      created_at: Date;
      check_result: SchemaCheckReport;
    }[] = await this.dataSource.query(
      `SELECT version, status, sha256, author, created_at, check_result FROM governance.schema_version
         WHERE subgraph = $1 ORDER BY version DESC`,
      [subgraph],
    );
    if (rows.length === 0) {
      throw new RegistryException(RegistryExceptionCode.SUBGRAPH_NOT_FOUND, `subgraph "${subgraph}" has published nothing`, { subgraph });
    }
    return rows.map((row) => ({
      version: row.version,
      status: row.status,
      sha256: row.sha256,
      author: row.author,
      createdAt: row.created_at.toISOString(),
      checkResult: row.check_result,
    }));
  }

  /** The latest published version of every subgraph, composed. */
  async supergraph(): Promise<Supergraph> {
    const rows = await this.latestPublished(this.dataSource.manager);
    if (rows.length === 0) {
      throw new RegistryException(RegistryExceptionCode.NOTHING_PUBLISHED, 'no subgraph has published a schema yet');
    }
    const { supergraphSdl, errors } = composeSubgraphs(rows.map((row) => ({ name: row.subgraph, sdl: row.sdl })));
    if (!supergraphSdl) {
      throw new RegistryException(RegistryExceptionCode.SUPERGRAPH_UNCOMPOSABLE, 'the latest published schemas do not compose', { errors });
    }
    return {
      supergraphSdl,
      sha256: createHash('sha256').update(supergraphSdl).digest('hex'),
      subgraphs: rows.map((row) => ({ name: row.subgraph, version: row.version, sha256: row.sha256 })),
    };
  }

  private async latestPublished(manager: EntityManager): Promise<VersionRow[]> {
    return manager.query(
      `SELECT DISTINCT ON (subgraph) subgraph, version, sdl, sha256, created_at FROM governance.schema_version
       WHERE status = 'PUBLISHED' ORDER BY subgraph, version DESC`,
    );
  }

  private async runCheck(
    manager: EntityManager,
    input: SchemaInput,
    options: RegistryOptions,
    bundle?: Awaited<ReturnType<PolicyBundleService['current']>>,
  ): Promise<SchemaCheckReport> {
    const now = options.now();
    const policy = bundle ?? (await this.policies.current());
    const others = (await this.latestPublished(manager)).filter((row) => row.subgraph !== input.subgraph);
    const published: VersionRow[] = await manager.query(
      `SELECT subgraph, version, sdl, sha256, created_at FROM governance.schema_version
       WHERE subgraph = $1 AND status = 'PUBLISHED' ORDER BY version DESC`,
      [input.subgraph],
    );
    const composed = composeSubgraphs([
      ...others.map((row) => ({ name: row.subgraph, sdl: row.sdl })),
      { name: input.subgraph, sdl: input.sdl },
    ]);
    const report: SchemaCheckReport = {
      ok: false,
      subgraph: input.subgraph,
      sha256: null,
      baseVersion: published[0]?.version ?? null,
      policyVersion: policy.version,
      checkedAt: now.toISOString(),
      composition: { ok: composed.errors.length === 0, errors: composed.errors },
      changes: [],
      ownership: [],
      deprecation: [],
      reasons: [],
    };
    const document = parseSdl(input.subgraph, input.sdl);
    if (!(document instanceof GraphQLError)) {
      report.sha256 = sdlSha256(document);
      const previous = published[0] ? parsed(published[0]) : null;
      // the diff needs a valid subgraph schema on both sides; composition already reports why one is not
      if (previous && report.composition.ok) {
        report.changes = await diffSubgraphSchemas(previous, document);
        await this.markUsage(report, options, now);
      }
      report.ownership = ownershipViolations(input.subgraph, previous, document, new PolicyEngine(policy));
      const removed = report.changes.filter((change) => change.type === 'FIELD_REMOVED' && change.path).map((change) => change.path!);
      if (removed.length) {
        const history = published.map((row) => ({ version: row.version, createdAt: row.created_at, document: parsed(row) }));
        report.deprecation = deprecationFindings(removed, history, options.deprecationGraceDays, now);
      }
    }
    report.reasons = reasonsOf(report, options.deprecationGraceDays);
    report.ok = report.reasons.length === 0;
    return report;
  }

  /**
   * Fills `clients` and `used` of every breaking change: a breaking change no (not excluded) client used within the
   * window is reported but does not fail the check.
   */
  private async markUsage(report: SchemaCheckReport, options: RegistryOptions, now: Date): Promise<void> {
    const breaking = report.changes.filter((change) => change.criticality === 'BREAKING');
    if (breaking.length === 0) {
      return;
    }
    const since = new Date(now.getTime() - options.usageWindowDays * 86_400_000);
    const coordinates = [...new Set(breaking.map((change) => change.path ?? report.subgraph))];
    const source = options.usage ?? this.usage;
    const clients = await source.clientsUsing(report.subgraph, coordinates, since, { excludedClients: options.excludedClients });
    for (const change of breaking) {
      change.clients = clients.get(change.path ?? report.subgraph) ?? [];
      change.used = change.clients.length > 0;
    }
  }
}
