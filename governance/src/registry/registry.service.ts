import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { GraphQLError, type DocumentNode } from 'graphql';
import type { DataSource, EntityManager } from 'typeorm';
import { newId, type AuditActor, type Logger } from '@concord/common';
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
  usageLookupOf,
  type SchemaCheckReport,
  type UsageLookup,
} from './schema-check';
import { SchemaVersionStatus } from './schema-version.entity';
import {
  advanceSupergraph,
  findSupergraph,
  listSupergraphs,
  rollBackSupergraph,
  servedState,
  type ServedState,
  type Supergraph,
} from './supergraph-history';
import { SupergraphCause } from './supergraph-version.entity';

/** Key of the transaction-scoped advisory lock that makes publishing single-writer ("schm"). */
export const REGISTRY_WRITER_LOCK = 0x7363686d;

const SUBGRAPH_NAME = /^[a-z][a-z0-9_-]{0,62}$/;
const MAX_SDL_CHARS = 2_000_000;

export interface SchemaInput {
  subgraph: string;
  sdl: string;
}

/** `POST /registry/check`: a check may leave out some clients' usage (`name` or `name@version`), on top of REGISTRY_EXCLUDED_CLIENTS. */
export interface CheckInput extends SchemaInput {
  excludeClients?: string[];
  /** false: a probe not kept in the checks history (the schema publisher's wait for composition before it publishes) */
  record?: boolean;
}

export interface PublishInput extends SchemaInput {
  author: string;
  /** where gateways reach this version; unset keeps the routing URL of the served version */
  routingUrl?: string | null;
}

export interface ApproveInput {
  subgraph: string;
  version: number;
  reason: string;
  approver: AuditActor;
}

export interface RollbackInput {
  /** the supergraph version to serve again */
  to: number;
  author: string;
  reason: string;
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
  /** the supergraph version gateways serve after this publish */
  supergraphVersion: number | null;
}

export interface SchemaVersionSummary {
  version: number;
  status: SchemaVersionStatus;
  sha256: string;
  author: string;
  createdAt: string;
  routingUrl: string | null;
  checkResult: SchemaCheckReport;
  /** for a REJECTED version a data steward let through anyway */
  approval: { approvedBy: string; reason: string; approvedAt: string; supergraphVersion: number } | null;
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
  const routingUrl = input?.routingUrl ?? null;
  if (routingUrl !== null && (typeof routingUrl !== 'string' || !/^https?:\/\/[^\s]+$/.test(routingUrl) || routingUrl.length > 2048)) {
    problems.push('routingUrl is an http(s) URL');
  }
  if (problems.length) {
    throw new RegistryException(RegistryExceptionCode.INVALID_INPUT, problems.join('; '), { problems });
  }
  return { subgraph, sdl, author, routingUrl };
}

const MAX_EXCLUDED_CLIENTS = 100;

function requireExcludedClients(value: unknown): string[] {
  if (value === undefined || value === null) {
    return [];
  }
  if (
    !Array.isArray(value) ||
    value.length > MAX_EXCLUDED_CLIENTS ||
    !value.every((client) => typeof client === 'string' && client.trim().length > 0 && client.length <= 256)
  ) {
    const problem = `excludeClients is a list of at most ${MAX_EXCLUDED_CLIENTS} client names ("name" or "name@version")`;
    throw new RegistryException(RegistryExceptionCode.INVALID_INPUT, problem, { problems: [problem] });
  }
  return value.map((client: string) => client.trim());
}

function requireText(value: unknown, name: string, max = 2_000): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (!text || text.length > max) {
    throw new RegistryException(RegistryExceptionCode.INVALID_INPUT, `${name} is required (at most ${max} characters)`, {
      problems: [`${name} is required`],
    });
  }
  return text;
}

function requireVersion(value: unknown, name: string): number {
  const version = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new RegistryException(RegistryExceptionCode.INVALID_INPUT, `${name} is a version number (1, 2, …)`, {
      problems: [`${name} is a version number`],
    });
  }
  return version;
}

function parsed(row: { subgraph: string; sdl: string }): DocumentNode {
  const document = parseSdl(row.subgraph, row.sdl);
  // a stored published SDL parsed when it was checked; failing now would be a corrupted row
  if (document instanceof GraphQLError) {
    throw document;
  }
  return document;
}
/**
 * The schema registry (ARCHITECTURE.md §7, issue 5): checks a subgraph's proposed SDL — composition with the
 * others, a classified diff against the version gateways serve, ownership of newly resolved fields and the
 * deprecation period of removed ones — and publishes it as a new version when the check passes. Every attempt is
 * stored (PUBLISHED or REJECTED, append-only). A passing publish, a data steward's approval of a failed check and a
 * rollback each make the next supergraph version, which gateways poll (GET /registry/supergraph); all three are in
 * the audit ledger.
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

  /** Runs the checks without publishing; the report is kept in the checks history (governance.schema_check) unless `record` is false. */
  async check(input: CheckInput, overrides: CheckOverrides = {}): Promise<SchemaCheckReport> {
    const valid = requireInput(input, false);
    const excluded = requireExcludedClients(input?.excludeClients);
    const served = await servedState(this.dataSource.manager);
    const options = { ...this.options, ...overrides };
    const report = await this.runCheck(this.dataSource.manager, valid, served, {
      ...options,
      excludedClients: [...new Set([...options.excludedClients, ...excluded])],
    });
    if (input.record === false) {
      return report;
    }
    await this.dataSource.query(
      `INSERT INTO governance.schema_check (id, subgraph, sha256, ok, report, checked_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [newId(), valid.subgraph, report.sha256, report.ok, JSON.stringify(report), options.now()],
    );
    return report;
  }

  /**
   * Checks and stores the SDL as the subgraph's next version: PUBLISHED, a new supergraph version and a
   * `schema.publish` ledger event when the check passes, else REJECTED and a CHECK_FAILED (409) carrying the report.
   * The served SDL again (same routing URL) is a no-op answering that version.
   */
  async publish(input: PublishInput, overrides: CheckOverrides = {}): Promise<PublishResult> {
    const valid = requireInput(input, true);
    const options = { ...this.options, ...overrides };
    const bundle = await this.policies.current();
    const result = await this.dataSource.transaction(async (manager): Promise<PublishResult> => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [REGISTRY_WRITER_LOCK]);
      const now = options.now();
      const served = await servedState(manager);
      const base = served.subgraphs.find((subgraph) => subgraph.name === valid.subgraph);
      const routingUrl = valid.routingUrl ?? base?.routingUrl ?? null;
      const document = parseSdl(valid.subgraph, valid.sdl);
      const sha256 = document instanceof GraphQLError ? createHash('sha256').update(valid.sdl).digest('hex') : sdlSha256(document);
      if (base && base.sha256 === sha256 && base.routingUrl === routingUrl) {
        // a registry that published before supergraph history was kept gets its first supergraph version here
        const supergraph =
          served.version ??
          (await this.advance(
            manager,
            served,
            null,
            SupergraphCause.PUBLISH,
            valid.author,
            'first supergraph version',
            now,
            bundle.version,
          ));
        const [latest]: { check_result: SchemaCheckReport }[] = await manager.query(
          'SELECT check_result FROM governance.schema_version WHERE subgraph = $1 AND version = $2',
          [valid.subgraph, base.version],
        );
        return {
          subgraph: valid.subgraph,
          version: base.version,
          sha256,
          status: SchemaVersionStatus.PUBLISHED,
          unchanged: true,
          report: latest.check_result,
          supergraphVersion: supergraph,
        };
      }
      const report = await this.runCheck(manager, valid, served, options, bundle);
      const [{ next }]: { next: number }[] = await manager.query(
        'SELECT coalesce(max(version), 0) + 1 AS next FROM governance.schema_version WHERE subgraph = $1',
        [valid.subgraph],
      );
      const status = report.ok ? SchemaVersionStatus.PUBLISHED : SchemaVersionStatus.REJECTED;
      await manager.query(
        `INSERT INTO governance.schema_version (id, subgraph, version, sdl, sha256, author, created_at, check_result, status, routing_url)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [newId(), valid.subgraph, next, valid.sdl, sha256, valid.author, now, JSON.stringify(report), status, routingUrl],
      );
      if (!report.ok) {
        return { subgraph: valid.subgraph, version: next, sha256, status, unchanged: false, report, supergraphVersion: served.version };
      }
      const supergraphVersion = await this.advance(
        manager,
        served,
        { member: { name: valid.subgraph, version: next, sha256, routingUrl }, sdl: valid.sdl },
        SupergraphCause.PUBLISH,
        valid.author,
        `publish subgraph ${valid.subgraph} version ${next}`,
        now,
        report.policyVersion,
      );
      await this.ledger.ingestWithin(manager, [
        governanceAuditEvent({
          action: 'schema.publish',
          actor: { sub: valid.author, roles: [] },
          entity: 'SubgraphSchema',
          entityId: `${valid.subgraph}@${next}`,
          before: base ? { version: base.version, sha256: base.sha256 } : null,
          after: { version: next, sha256, changes: report.changes.length, supergraphVersion },
          changedFields: changedCoordinates(report),
          reason: `publish subgraph ${valid.subgraph} version ${next}`,
          policyVersion: report.policyVersion,
        }),
      ]);
      return { subgraph: valid.subgraph, version: next, sha256, status, unchanged: false, report, supergraphVersion };
    });
    if (result.status === SchemaVersionStatus.REJECTED) {
      this.logger.warn(
        { subgraph: result.subgraph, version: result.version, reasons: result.report.reasons },
        'rejected a subgraph schema',
      );
      throw new RegistryException(
        RegistryExceptionCode.CHECK_FAILED,
        `the schema of subgraph "${result.subgraph}" failed its check:\n  ${result.report.reasons.join('\n  ')}\n` +
          `a data steward other than ${input.author} may approve version ${result.version} with a reason (approveSchemaVersion)`,
        { version: result.version, report: result.report },
      );
    }
    if (!result.unchanged) {
      this.logger.info(
        {
          subgraph: result.subgraph,
          version: result.version,
          supergraphVersion: result.supergraphVersion,
          changes: result.report.changes.length,
        },
        'published a subgraph schema',
      );
    }
    return result;
  }

  /**
   * A data steward lets a version that failed its check into the supergraph: not its publisher (SELF_APPROVAL, 403,
   * recorded as denied by the caller), with a reason, only a REJECTED version newer than the served one, and only
   * when it still composes with what is served (the check is run again; its report is kept with the approval).
   */
  async approve(input: ApproveInput, overrides: CheckOverrides = {}): Promise<SchemaVersionSummary> {
    const subgraph = requireText(input.subgraph, 'subgraph', 63);
    const version = requireVersion(input.version, 'version');
    const reason = requireText(input.reason, 'reason');
    const options = { ...this.options, ...overrides };
    const bundle = await this.policies.current();
    await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [REGISTRY_WRITER_LOCK]);
      const [row]: {
        id: string;
        sdl: string;
        sha256: string;
        author: string;
        status: SchemaVersionStatus;
        routing_url: string | null;
        approved: boolean;
      }[] = await manager.query(
        `SELECT v.id, v.sdl, v.sha256, v.author, v.status, v.routing_url, a.id IS NOT NULL AS approved
           FROM governance.schema_version v LEFT JOIN governance.schema_approval a ON a.schema_version_id = v.id
           WHERE v.subgraph = $1 AND v.version = $2`,
        [subgraph, version],
      );
      if (!row) {
        throw new RegistryException(RegistryExceptionCode.SCHEMA_VERSION_NOT_FOUND, `subgraph "${subgraph}" has no version ${version}`, {
          subgraph,
          version,
        });
      }
      if (row.author === input.approver.sub) {
        throw new RegistryException(
          RegistryExceptionCode.SELF_APPROVAL,
          `${input.approver.sub} published ${subgraph}@${version} and may not approve it: another data steward must`,
          { subgraph, version },
        );
      }
      const refuse = (why: string) => {
        throw new RegistryException(RegistryExceptionCode.NOT_APPROVABLE, `${subgraph}@${version} cannot be approved: ${why}`, {
          subgraph,
          version,
        });
      };
      if (row.status !== SchemaVersionStatus.REJECTED || row.approved) {
        refuse(row.approved ? 'it is approved already' : 'it passed its check and was published');
      }
      const served = await servedState(manager);
      const base = served.subgraphs.find((member) => member.name === subgraph);
      if (base && base.version > version) {
        refuse(`gateways serve the later version ${base.version}; publish again instead`);
      }
      const now = options.now();
      const report = await this.runCheck(manager, { subgraph, sdl: row.sdl }, served, options, bundle);
      if (!report.composition.ok) {
        refuse(`it does not compose with the served subgraphs: ${report.composition.errors.map((error) => error.message).join('; ')}`);
      }
      const supergraphVersion = await this.advance(
        manager,
        served,
        { member: { name: subgraph, version, sha256: row.sha256, routingUrl: row.routing_url }, sdl: row.sdl },
        SupergraphCause.APPROVAL,
        input.approver.sub,
        reason,
        now,
        bundle.version,
      );
      await manager.query(
        `INSERT INTO governance.schema_approval (id, schema_version_id, approved_by, approver_roles, reason, check_result, supergraph_version, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [newId(), row.id, input.approver.sub, input.approver.roles, reason, JSON.stringify(report), supergraphVersion, now],
      );
      await this.ledger.ingestWithin(manager, [
        governanceAuditEvent({
          action: 'schema.approve',
          actor: input.approver,
          entity: 'SubgraphSchema',
          entityId: `${subgraph}@${version}`,
          before: base ? { version: base.version, sha256: base.sha256 } : null,
          after: { version, sha256: row.sha256, publishedBy: row.author, supergraphVersion, failedChecks: report.reasons },
          changedFields: changedCoordinates(report),
          reason,
          policyVersion: bundle.version,
        }),
      ]);
    });
    this.logger.info({ subgraph, version, approvedBy: input.approver.sub }, 'approved a subgraph schema that failed its check');
    return (await this.versions(subgraph)).find((summary) => summary.version === version)!;
  }

  /** Serves the subgraph versions of an earlier supergraph again, as the next supergraph version (`schema.rollback`). */
  async rollback(input: RollbackInput, overrides: CheckOverrides = {}): Promise<Supergraph> {
    const to = requireVersion(input?.to, 'to');
    const author = requireText(input?.author, 'author', 200);
    const reason = requireText(input?.reason, 'reason');
    const now = { ...this.options, ...overrides }.now();
    const bundle = await this.policies.current();
    const { from, next } = await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [REGISTRY_WRITER_LOCK]);
      const rolled = await rollBackSupergraph(manager, to, { author, reason, now });
      await this.ledger.ingestWithin(manager, [
        governanceAuditEvent({
          action: 'schema.rollback',
          actor: { sub: author, roles: [] },
          entity: 'Supergraph',
          entityId: String(rolled.next.version),
          before: { version: rolled.from.version, subgraphs: rolled.from.subgraphs },
          after: { version: rolled.next.version, rollbackOf: to, subgraphs: rolled.next.subgraphs },
          changedFields: [],
          reason,
          policyVersion: bundle.version,
        }),
      ]);
      return rolled;
    });
    this.logger.warn({ from: from.version, to, version: next.version, author }, 'rolled the supergraph back');
    return next;
  }

  /** Every version of a subgraph, latest first, without the SDL. */
  async versions(subgraph: string): Promise<SchemaVersionSummary[]> {
    const rows: {
      version: number;
      status: SchemaVersionStatus;
      sha256: string;
      author: string;
      created_at: Date;
      routing_url: string | null;
      check_result: SchemaCheckReport;
      approved_by: string | null;
      approval_reason: string | null;
      approved_at: Date | null;
      supergraph_version: number | null;
    }[] = await this.dataSource.query(
      `SELECT v.version, v.status, v.sha256, v.author, v.created_at, v.routing_url, v.check_result,
              a.approved_by, a.reason AS approval_reason, a.created_at AS approved_at, a.supergraph_version
       FROM governance.schema_version v LEFT JOIN governance.schema_approval a ON a.schema_version_id = v.id
       WHERE v.subgraph = $1 ORDER BY v.version DESC`,
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
      routingUrl: row.routing_url,
      checkResult: row.check_result,
      approval:
        row.approved_by && row.approved_at
          ? {
              approvedBy: row.approved_by,
              reason: row.approval_reason!,
              approvedAt: row.approved_at.toISOString(),
              supergraphVersion: row.supergraph_version!,
            }
          : null,
    }));
  }

  /** The supergraph gateways serve (the latest version), or an earlier version. */
  async supergraph(version?: unknown): Promise<Supergraph> {
    const wanted = version === undefined || version === '' ? undefined : requireVersion(version, 'version');
    const supergraph = await findSupergraph(this.dataSource.manager, wanted);
    if (!supergraph) {
      throw wanted === undefined
        ? new RegistryException(RegistryExceptionCode.NOTHING_PUBLISHED, 'no subgraph has published a schema yet')
        : new RegistryException(RegistryExceptionCode.SUPERGRAPH_VERSION_NOT_FOUND, `supergraph version ${wanted} does not exist`, {
            version: wanted,
          });
    }
    return supergraph;
  }

  /** The number of the supergraph version gateways serve (null: none yet): the cheap half of a gateway's poll. */
  async latestSupergraphVersion(): Promise<number | null> {
    const [row]: { version: number }[] = await this.dataSource.query('SELECT max(version) AS version FROM governance.supergraph_version');
    return row?.version ?? null;
  }

  /** Supergraph versions, latest first, without their SDL. */
  supergraphs(limit = 100): Promise<Supergraph[]> {
    return listSupergraphs(this.dataSource.manager, Math.min(Math.max(limit, 1), 1_000));
  }

  private async advance(
    manager: EntityManager,
    served: ServedState,
    change: Parameters<typeof advanceSupergraph>[2],
    cause: SupergraphCause,
    author: string,
    reason: string,
    now: Date,
    policyVersion: number,
  ): Promise<number> {
    const supergraph = await advanceSupergraph(manager, served, change, { cause, author, reason, now });
    this.logger.info({ version: supergraph.version, cause, author, policyVersion }, 'new supergraph version');
    return supergraph.version;
  }

  private async runCheck(
    manager: EntityManager,
    input: SchemaInput,
    served: ServedState,
    options: RegistryOptions,
    bundle?: Awaited<ReturnType<PolicyBundleService['current']>>,
  ): Promise<SchemaCheckReport> {
    const now = options.now();
    const policy = bundle ?? (await this.policies.current());
    const others = served.subgraphs.filter((subgraph) => subgraph.name !== input.subgraph);
    const base = served.subgraphs.find((subgraph) => subgraph.name === input.subgraph);
    const composed = composeSubgraphs([
      ...others.map((row) => ({ name: row.name, sdl: row.sdl })),
      { name: input.subgraph, sdl: input.sdl },
    ]);
    const report: SchemaCheckReport = {
      ok: false,
      subgraph: input.subgraph,
      sha256: null,
      baseVersion: base?.version ?? null,
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
      const previous = base ? parsed({ subgraph: base.name, sdl: base.sdl }) : null;
      // the diff needs a valid subgraph schema on both sides; composition already reports why one is not
      if (previous && report.composition.ok) {
        report.changes = await diffSubgraphSchemas(previous, document);
        await this.markUsage(report, previous, options, now);
      }
      report.ownership = ownershipViolations(input.subgraph, previous, document, new PolicyEngine(policy));
      const removed = report.changes.filter((change) => change.type === 'FIELD_REMOVED' && change.path).map((change) => change.path!);
      if (removed.length && base) {
        // the versions that were served, up to the served one: how long a removed field was deprecated
        const published: { subgraph: string; sdl: string; created_at: Date; version: number }[] = await manager.query(
          `SELECT v.subgraph, v.version, v.sdl, v.created_at FROM governance.schema_version v
           WHERE v.subgraph = $1 AND v.version <= $2
             AND (v.status = 'PUBLISHED' OR EXISTS (SELECT 1 FROM governance.schema_approval a WHERE a.schema_version_id = v.id))
           ORDER BY v.version DESC`,
          [input.subgraph, base.version],
        );
        const history = published.map((row) => ({ version: row.version, createdAt: row.created_at, document: parsed(row) }));
        report.deprecation = deprecationFindings(removed, history, options.deprecationGraceDays, now);
      }
    }
    report.reasons = reasonsOf(report, options.deprecationGraceDays);
    report.ok = report.reasons.length === 0;
    return report;
  }

  /**
   * Fills `clients` and `used` of every breaking change (what counts as its usage: usageLookupOf): a breaking change no
   * (not excluded) client used within the window is reported but does not fail the check.
   */
  private async markUsage(report: SchemaCheckReport, previous: DocumentNode, options: RegistryOptions, now: Date): Promise<void> {
    const breaking = report.changes.filter((change) => change.criticality === 'BREAKING');
    if (breaking.length === 0) {
      return;
    }
    const since = new Date(now.getTime() - options.usageWindowDays * 86_400_000);
    const lookups = new Map<string, UsageLookup>();
    for (const change of breaking) {
      const lookup = usageLookupOf(change, report.subgraph, previous);
      const known = lookups.get(lookup.key);
      lookups.set(
        lookup.key,
        known
          ? { key: lookup.key, coordinates: [...known.coordinates, ...lookup.coordinates], types: [...known.types, ...lookup.types] }
          : lookup,
      );
    }
    const source = options.usage ?? this.usage;
    const clients = await source.clientsUsing([...lookups.values()], since, { excludedClients: options.excludedClients });
    for (const change of breaking) {
      change.clients = clients.get(change.path ?? report.subgraph) ?? [];
      change.used = change.clients.length > 0;
    }
    if (options.excludedClients.length) {
      report.excludedClients = [...options.excludedClients];
    }
  }
}

/** The coordinates a check's changes touch, for the ledger event's changedFields. */
function changedCoordinates(report: SchemaCheckReport): string[] {
  return [...new Set(report.changes.flatMap((change) => (change.path ? [change.path] : [])))].slice(0, 500);
}
