import { createHash } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  BadInputError,
  canonicalJson,
  decodeCursor,
  encodeCursor,
  pageSize,
  type AuditActor,
  type Logger,
  type Page,
  type PageRequest,
} from '@concord/common';
import { defaultPolicyBundle, type PolicyBundle } from '@concord/policy';
import { AuditLedgerService } from '../audit/audit-ledger.service';
import { GOVERNANCE_LOGGER } from '../common/governance-core.module';
import { governanceAuditEvent } from './policy-audit';
import { applyPolicyChanges, parsePolicyChanges, type PolicyChanges } from './policy-changes';
import { PolicyException, PolicyExceptionCode } from './policy.exception';

/** Key of the transaction-scoped advisory lock that makes publishing single-writer ("poli"). */
export const POLICY_WRITER_LOCK = 0x706f6c69;

/** Who published a version and why, without the bundle. */
export interface PolicyBundleVersion {
  version: number;
  sha256: string;
  actor: string;
  reason: string;
  createdAt: string;
}

/** A version as served over HTTP: the JSON text is built once per version (versions never change). */
export interface PolicyBundleDocument {
  version: number;
  etag: string;
  sha256: string;
  json: string;
  bundle: PolicyBundle;
}

const DOCUMENTS_KEPT = 8;

/** sha256_hex of the bundle's canonical JSON: the same for the same content whatever the key order. */
export function bundleSha256(bundle: PolicyBundle): string {
  return createHash('sha256').update(canonicalJson(bundle)).digest('hex');
}

export function requireReason(reason: string | undefined | null): string {
  const trimmed = reason?.trim() ?? '';
  if (!trimmed) {
    throw new PolicyException(PolicyExceptionCode.REASON_REQUIRED, 'a reason is required');
  }
  return trimmed;
}

export function requireActor(actor: AuditActor | undefined | null): AuditActor {
  if (!actor?.sub?.trim()) {
    throw new PolicyException(PolicyExceptionCode.ACTOR_REQUIRED, 'the actor (sub) is required');
  }
  return { sub: actor.sub.trim(), roles: [...(actor.roles ?? [])] };
}

/**
 * The versioned policy bundle (ARCHITECTURE.md §1, §4–6). Version 1 is `defaultPolicyBundle()`, stored at start
 * when the table is empty; every change is a new version written under one advisory lock and recorded in the
 * audit ledger in the same transaction. Stored versions never change.
 */
@Injectable()
export class PolicyBundleService implements OnApplicationBootstrap {
  private readonly documents = new Map<number, PolicyBundleDocument>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ledger: AuditLedgerService,
    @Inject(GOVERNANCE_LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureDefaultBundle();
    await this.adoptNewDefaults();
  }

  /**
   * A release brings defaults for things the stored bundle never knew: new schema coordinates' classes, new
   * entities' or fields' systems of record, new roles. Without them a database made by an earlier release would
   * refuse the new schemas (a field of another system than its type's owner) and treat new coordinates as MARGIN.
   * This publishes, as `system`, a version adding exactly the default entries whose key no stored version ever had —
   * nothing a steward set, changed or removed is touched — and returns it, or null when there is nothing new.
   */
  async adoptNewDefaults(): Promise<PolicyBundle | null> {
    const defaults = defaultPolicyBundle();
    const known: { section: string; key: string }[] = await this.dataSource.query(
      `SELECT DISTINCT 'classifications' AS section, key FROM governance.policy_bundle, jsonb_object_keys(bundle->'classifications') AS key
       UNION SELECT DISTINCT 'roles', key FROM governance.policy_bundle, jsonb_object_keys(bundle->'roles') AS key
       UNION SELECT DISTINCT 'ownership', key FROM governance.policy_bundle, jsonb_object_keys(bundle->'ownership') AS key
       UNION SELECT DISTINCT 'fields', entity.key || '.' || field.key
         FROM governance.policy_bundle, jsonb_each(bundle->'ownership') AS entity, jsonb_object_keys(COALESCE(entity.value->'fields', '{}')) AS field(key)`,
    );
    const seen = new Set(known.map(({ section, key }) => `${section}:${key}`));
    const [{ bundle: current }]: { bundle: PolicyBundle }[] = await this.dataSource.query(
      'SELECT bundle FROM governance.policy_bundle ORDER BY version DESC LIMIT 1',
    );
    const changes: PolicyChanges = {};
    const added: string[] = [];
    for (const [coordinate, classification] of Object.entries(defaults.classifications)) {
      if (!seen.has(`classifications:${coordinate}`)) {
        (changes.classifications ??= {})[coordinate] = classification;
        added.push(`classifications.${coordinate}`);
      }
    }
    for (const [name, role] of Object.entries(defaults.roles)) {
      if (!seen.has(`roles:${name}`)) {
        (changes.roles ??= {})[name] = role;
        added.push(`roles.${name}`);
      }
    }
    for (const [entity, rule] of Object.entries(defaults.ownership)) {
      const stored = current.ownership[entity];
      if (!seen.has(`ownership:${entity}`)) {
        (changes.ownership ??= {})[entity] = rule;
        added.push(`ownership.${entity}`);
        continue;
      }
      const newFields = Object.entries(rule.fields ?? {}).filter(([field]) => !seen.has(`fields:${entity}.${field}`));
      if (!stored || newFields.length === 0) {
        continue;
      }
      // a new field's copy kept by the entity's owner (ownership `stored`) comes with it
      const newStored = (rule.stored ?? []).filter(
        (field) => newFields.some(([name]) => name === field) && !(stored.stored ?? []).includes(field),
      );
      (changes.ownership ??= {})[entity] = {
        ...stored,
        fields: { ...stored.fields, ...Object.fromEntries(newFields) },
        ...(newStored.length > 0 ? { stored: [...(stored.stored ?? []), ...newStored] } : {}),
      };
      added.push(...newFields.map(([field]) => `ownership.${entity}.fields.${field}`));
    }
    if (added.length === 0) {
      return null;
    }
    try {
      const bundle = await this.publish(
        changes,
        { sub: 'system', roles: ['system'] },
        `defaults of this release for what no stored version knew: ${added.length} new entr${added.length === 1 ? 'y' : 'ies'}`,
      );
      this.logger.info({ version: bundle.version, added: added.length }, 'adopted the default policy entries new in this release');
      return bundle;
    } catch (error) {
      // another replica adopted them at the same moment
      if (error instanceof PolicyException && error.code === PolicyExceptionCode.NOTHING_CHANGES) {
        return null;
      }
      throw error;
    }
  }

  /**
   * Stores the default bundle as version 1 unless a version 1 exists; several replicas starting at once insert it
   * once (ON CONFLICT DO NOTHING). Returns whether this call stored it.
   */
  async ensureDefaultBundle(): Promise<boolean> {
    const bundle = defaultPolicyBundle();
    const inserted: { version: number }[] = await this.dataSource.query(
      `INSERT INTO governance.policy_bundle (version, bundle, sha256, actor, reason, created_at)
       VALUES (1, $1, $2, 'system', 'the default policy bundle', $3)
       ON CONFLICT (version) DO NOTHING RETURNING version`,
      [JSON.stringify(bundle), bundleSha256(bundle), bundle.createdAt],
    );
    if (inserted.length > 0) {
      this.logger.info({ version: 1, sha256: bundleSha256(bundle) }, 'stored the default policy bundle as version 1');
    }
    return inserted.length > 0;
  }

  /** The latest version's number, or null when none is stored. */
  async latestVersion(): Promise<number | null> {
    const [row]: { version: number | null }[] = await this.dataSource.query('SELECT max(version) AS version FROM governance.policy_bundle');
    return row?.version ?? null;
  }

  /** The latest version, ready to serve. */
  async latestDocument(): Promise<PolicyBundleDocument> {
    const version = await this.latestVersion();
    if (version === null) {
      throw new PolicyException(PolicyExceptionCode.NO_BUNDLE, 'no policy bundle is stored yet');
    }
    return this.document(version);
  }

  /** One version, ready to serve; VERSION_NOT_FOUND when there is none. */
  async document(version: number): Promise<PolicyBundleDocument> {
    const cached = this.documents.get(version);
    if (cached) {
      return cached;
    }
    const [row]: { bundle: PolicyBundle; sha256: string }[] = await this.dataSource.query(
      'SELECT bundle, sha256 FROM governance.policy_bundle WHERE version = $1',
      [version],
    );
    if (!row) {
      throw new PolicyException(PolicyExceptionCode.VERSION_NOT_FOUND, `policy bundle version ${version} does not exist`, { version });
    }
    const document: PolicyBundleDocument = {
      version,
      etag: `"v${version}"`,
      sha256: row.sha256,
      json: JSON.stringify(row.bundle),
      bundle: row.bundle,
    };
    if (this.documents.size >= DOCUMENTS_KEPT) {
      this.documents.delete(Math.min(...this.documents.keys()));
    }
    this.documents.set(version, document);
    return document;
  }

  /** The bundle in force (a copy). */
  async current(): Promise<PolicyBundle> {
    return structuredClone((await this.latestDocument()).bundle);
  }

  /** One stored version (a copy). */
  async version(version: number): Promise<PolicyBundle> {
    return structuredClone((await this.document(version)).bundle);
  }

  /** Every version, latest first, without the bundles. */
  async history(): Promise<PolicyBundleVersion[]> {
    const rows: { version: number; sha256: string; actor: string; reason: string; created_at: Date }[] = await this.dataSource.query(
      'SELECT version, sha256, actor, reason, created_at FROM governance.policy_bundle ORDER BY version DESC',
    );
    return rows.map((row) => ({
      version: row.version,
      sha256: row.sha256,
      actor: row.actor,
      reason: row.reason,
      createdAt: row.created_at.toISOString(),
    }));
  }

  /** A page of the history, latest first (keyset by version), without the bundles. */
  async versions(request: PageRequest): Promise<Page<PolicyBundleVersion>> {
    const limit = pageSize(request.first);
    let before: number | null = null;
    if (request.after) {
      before = Number(decodeCursor(request.after, 'version').id);
      if (!Number.isSafeInteger(before) || before < 1) {
        throw new BadInputError('after is not a valid cursor', { argument: 'after' });
      }
    }
    const rows: { version: number; sha256: string; actor: string; reason: string; created_at: Date }[] =
      limit === 0
        ? []
        : await this.dataSource.query(
            `SELECT version, sha256, actor, reason, created_at FROM governance.policy_bundle
             WHERE ($1::integer IS NULL OR version < $1) ORDER BY version DESC LIMIT $2`,
            [before, limit + 1],
          );
    const nodes = rows.slice(0, limit).map((row) => ({
      version: row.version,
      sha256: row.sha256,
      actor: row.actor,
      reason: row.reason,
      createdAt: row.created_at.toISOString(),
    }));
    return {
      nodes,
      cursors: nodes.map((node) => encodeCursor({ s: 'version', v: node.version, id: String(node.version) })),
      hasNextPage: rows.length > limit,
      hasPreviousPage: Boolean(request.after),
    };
  }

  /**
   * Publishes the changes as version + 1 (see PolicyChanges: set or remove roles, classifications, ownership
   * rules) and records a `policy.publish` event with the changed keys before and after. Reason required.
   */
  async publish(changes: PolicyChanges, actor: AuditActor, reason: string): Promise<PolicyBundle> {
    const parsed = parsePolicyChanges(changes);
    const who = requireActor(actor);
    const why = requireReason(reason);
    return this.withWriter(async (manager, current) => {
      const applied = applyPolicyChanges(current, parsed, { version: current.version + 1, createdAt: new Date().toISOString() });
      await this.insertVersion(manager, applied.bundle, who.sub, why);
      await this.ledger.ingestWithin(manager, [
        governanceAuditEvent({
          action: 'policy.publish',
          actor: who,
          entity: 'PolicyBundle',
          entityId: String(applied.bundle.version),
          before: applied.before,
          after: applied.after,
          changedFields: applied.changedFields,
          reason: why,
          policyVersion: applied.bundle.version,
        }),
      ]);
      this.logger.info(
        { version: applied.bundle.version, actor: who.sub, changed: applied.changedFields.length },
        'published a policy bundle version',
      );
      return applied.bundle;
    });
  }

  /**
   * Runs `work` in a transaction holding the writer lock, with the latest version: the only way to write a new
   * version, so versions are gapless and each is built on its predecessor.
   */
  async withWriter<T>(work: (manager: EntityManager, current: PolicyBundle) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [POLICY_WRITER_LOCK]);
      const [row]: { bundle: PolicyBundle }[] = await manager.query(
        'SELECT bundle FROM governance.policy_bundle ORDER BY version DESC LIMIT 1',
      );
      if (!row) {
        throw new PolicyException(PolicyExceptionCode.NO_BUNDLE, 'no policy bundle is stored yet');
      }
      return work(manager, row.bundle);
    });
  }

  /** Appends a version inside withWriter's transaction. */
  async insertVersion(manager: EntityManager, bundle: PolicyBundle, actor: string, reason: string): Promise<void> {
    await manager.query(
      `INSERT INTO governance.policy_bundle (version, bundle, sha256, actor, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [bundle.version, JSON.stringify(bundle), bundleSha256(bundle), actor, reason, bundle.createdAt],
    );
  }
}
