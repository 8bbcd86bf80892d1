import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm';
import { SLA_LATENCY_BUCKETS_MS, isUuid, newId, type AuditActor } from '@concord/common';
import { AuditLedgerService } from '../audit/audit-ledger.service';
import { PolicyBundleService } from '../policy/policy-bundle.service';
import { governanceAuditEvent } from '../policy/policy-audit';
import { SLA_OPTIONS, type SlaOptions } from './sla.options';
import { SlaException, SlaExceptionCode, invalidInput } from './sla.exception';
import { EVERY_TARGET, SlaKind, SloIndicator } from './slo.entity';

const MAX_NAME_CHARS = 200;
const MAX_TARGET_CHARS = 256;
const MAX_REASON_CHARS = 2_000;
const MAX_WINDOW_DAYS = 90;
const OBJECTIVE_DECIMALS = 6;

/** An SLO as the API and the evaluator see it. */
export interface Slo {
  id: string;
  name: string;
  kind: SlaKind;
  target: string;
  indicator: SloIndicator;
  objective: number;
  latencyThresholdMs: number | null;
  windowDays: number;
  enabled: boolean;
  createdBy: string;
  createdAt: Date;
  updatedBy: string;
  updatedAt: Date;
}

export interface SloInput {
  name: string;
  kind: SlaKind;
  target: string;
  indicator: SloIndicator;
  objective: number;
  latencyThresholdMs?: number | null;
  windowDays?: number | null;
  enabled?: boolean | null;
  reason?: string | null;
}

/** What an update may change; kind, target and indicator define the SLO: measure another thing with a new one. */
export interface SloChanges {
  name?: string | null;
  objective?: number | null;
  latencyThresholdMs?: number | null;
  windowDays?: number | null;
  enabled?: boolean | null;
  reason?: string | null;
}

export interface SloRow {
  id: string;
  name: string;
  kind: SlaKind;
  target: string;
  indicator: SloIndicator;
  objective: string;
  latency_threshold_ms: number | null;
  window_days: number;
  enabled: boolean;
  created_by: string;
  created_at: Date;
  updated_by: string;
  updated_at: Date;
}

/** The fields an SLO's ledger events snapshot. */
const AUDITED = ['name', 'kind', 'target', 'indicator', 'objective', 'latencyThresholdMs', 'windowDays', 'enabled'] as const;
type Audited = Pick<Slo, (typeof AUDITED)[number]>;

export const SLO_COLUMNS = `id, name, kind, target, indicator, objective, latency_threshold_ms, window_days, enabled, created_by,
  created_at, updated_by, updated_at`;

export function sloOfRow(row: SloRow): Slo {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    target: row.target,
    indicator: row.indicator,
    objective: Number(row.objective),
    latencyThresholdMs: row.latency_threshold_ms,
    windowDays: row.window_days,
    enabled: row.enabled,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedBy: row.updated_by,
    updatedAt: row.updated_at,
  };
}

function snapshot(slo: Audited): Record<string, unknown> {
  return Object.fromEntries(AUDITED.map((field) => [field, slo[field]]));
}

function isNameTaken(error: unknown): boolean {
  const driverError = error instanceof QueryFailedError ? (error.driverError as { code?: string; constraint?: string }) : undefined;
  return driverError?.code === '23505' && driverError.constraint === 'uq_service_level_objective_name';
}

/** The problems of an SLO as it would be stored (after an update's changes are applied). */
function sloProblems(slo: Audited, retentionDays: number): string[] {
  const problems: string[] = [];
  if (!slo.name.trim() || slo.name.length > MAX_NAME_CHARS) {
    problems.push(`name is a non-empty text of at most ${MAX_NAME_CHARS} characters`);
  }
  if (!Object.values(SlaKind).includes(slo.kind)) {
    problems.push(`kind is one of ${Object.values(SlaKind).join(', ')}`);
  }
  if (!slo.target.trim() || slo.target.length > MAX_TARGET_CHARS) {
    problems.push(`target is a subgraph, operation or workflow name (at most ${MAX_TARGET_CHARS} characters), or ${EVERY_TARGET} for all`);
  }
  if (!Number.isFinite(slo.objective) || slo.objective <= 0 || slo.objective >= 1) {
    problems.push('objective is a share between 0 and 1, both excluded (0.999 promises 99.9 %)');
  } else if (Number(slo.objective.toFixed(OBJECTIVE_DECIMALS)) !== slo.objective) {
    problems.push(`objective has at most ${OBJECTIVE_DECIMALS} decimals`);
  }
  if (slo.indicator === SloIndicator.LATENCY) {
    if (slo.latencyThresholdMs === null || !(SLA_LATENCY_BUCKETS_MS as readonly number[]).includes(slo.latencyThresholdMs)) {
      problems.push(`latencyThresholdMs of a latency SLO is one of the bucket bounds ${SLA_LATENCY_BUCKETS_MS.join(', ')}`);
    }
  } else if (slo.indicator === SloIndicator.AVAILABILITY) {
    if (slo.latencyThresholdMs !== null) {
      problems.push('latencyThresholdMs is only for latency SLOs');
    }
  } else {
    problems.push(`indicator is one of ${Object.values(SloIndicator).join(', ')}`);
  }
  const maxWindow = Math.min(MAX_WINDOW_DAYS, retentionDays);
  if (!Number.isInteger(slo.windowDays) || slo.windowDays < 1 || slo.windowDays > maxWindow) {
    problems.push(`windowDays is a whole number of days from 1 to ${maxWindow} (samples are kept ${retentionDays} days)`);
  }
  return problems;
}

function reasonOf(reason: string | null | undefined, fallback: string): string {
  const given = reason?.trim();
  if (given && given.length > MAX_REASON_CHARS) {
    throw invalidInput([`reason has at most ${MAX_REASON_CHARS} characters`], 'invalid SLO');
  }
  return given || fallback;
}

/**
 * SLOs as data (issue 5): operators create and change them, every change a ledger event (`slo.create`,
 * `slo.update`) in the same transaction; a disabled SLO is no longer evaluated. Defaults are seeded by the migration.
 */
@Injectable()
export class SloService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ledger: AuditLedgerService,
    private readonly policies: PolicyBundleService,
    @Inject(SLA_OPTIONS) private readonly options: SlaOptions,
  ) {}

  /** Every SLO (or the enabled ones), by kind, target and name. */
  async list(filter: { enabled?: boolean } = {}): Promise<Slo[]> {
    const rows: SloRow[] = await this.dataSource.query(
      `SELECT ${SLO_COLUMNS} FROM governance.service_level_objective
       WHERE $1::boolean IS NULL OR enabled = $1 ORDER BY kind, target, name`,
      [filter.enabled ?? null],
    );
    return rows.map(sloOfRow);
  }

  /** The SLOs measuring exactly this kind and target (`*` included only when asked for). */
  async forTarget(kind: SlaKind, target: string): Promise<Slo[]> {
    const rows: SloRow[] = await this.dataSource.query(
      `SELECT ${SLO_COLUMNS} FROM governance.service_level_objective WHERE kind = $1 AND target = $2 ORDER BY name`,
      [kind, target],
    );
    return rows.map(sloOfRow);
  }

  async byId(id: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<Slo> {
    const [row]: SloRow[] = isUuid(id)
      ? await manager.query(`SELECT ${SLO_COLUMNS} FROM governance.service_level_objective WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id])
      : [];
    if (!row) {
      throw new SlaException(SlaExceptionCode.SLO_NOT_FOUND, `no SLO ${id}`, { id });
    }
    return sloOfRow(row);
  }

  async create(input: SloInput, actor: AuditActor): Promise<Slo> {
    const slo: Audited = {
      name: input.name?.trim() ?? '',
      kind: input.kind,
      target: input.target?.trim() ?? '',
      indicator: input.indicator,
      objective: input.objective,
      latencyThresholdMs: input.latencyThresholdMs ?? null,
      windowDays: input.windowDays ?? 28,
      enabled: input.enabled ?? true,
    };
    const problems = sloProblems(slo, this.options.retentionDays);
    if (problems.length) {
      throw invalidInput(problems, 'invalid SLO');
    }
    const reason = reasonOf(input.reason, `created SLO ${slo.name}`);
    const id = newId();
    const policyVersion = (await this.policies.latestVersion()) ?? 0;
    return this.writing(slo.name, async (manager) => {
      await manager.query(
        `INSERT INTO governance.service_level_objective
           (id, name, kind, target, indicator, objective, latency_threshold_ms, window_days, enabled, created_by, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`,
        [id, slo.name, slo.kind, slo.target, slo.indicator, slo.objective, slo.latencyThresholdMs, slo.windowDays, slo.enabled, actor.sub],
      );
      await this.ledger.ingestWithin(manager, [
        governanceAuditEvent({
          action: 'slo.create',
          actor,
          entity: 'ServiceLevelObjective',
          entityId: id,
          before: null,
          after: snapshot(slo),
          changedFields: [...AUDITED],
          reason,
          policyVersion,
        }),
      ]);
      return this.byId(id, manager);
    });
  }

  /** Applies the given changes (null or absent: unchanged); nothing changing is a no-op without a ledger event. */
  async update(id: string, changes: SloChanges, actor: AuditActor): Promise<Slo> {
    const policyVersion = (await this.policies.latestVersion()) ?? 0;
    return this.writing(changes.name ?? '', async (manager) => {
      const current = await this.byId(id, manager, true);
      const next: Audited = {
        ...current,
        name: changes.name?.trim() ?? current.name,
        objective: changes.objective ?? current.objective,
        latencyThresholdMs: changes.latencyThresholdMs ?? current.latencyThresholdMs,
        windowDays: changes.windowDays ?? current.windowDays,
        enabled: changes.enabled ?? current.enabled,
      };
      const problems = sloProblems(next, this.options.retentionDays);
      if (problems.length) {
        throw invalidInput(problems, 'invalid SLO');
      }
      const changed = AUDITED.filter((field) => next[field] !== current[field]);
      if (changed.length === 0) {
        return current;
      }
      const reason = reasonOf(changes.reason, `changed ${changed.join(', ')} of SLO ${next.name}`);
      await manager.query(
        `UPDATE governance.service_level_objective
         SET name = $2, objective = $3, latency_threshold_ms = $4, window_days = $5, enabled = $6, updated_by = $7, updated_at = now()
         WHERE id = $1`,
        [id, next.name, next.objective, next.latencyThresholdMs, next.windowDays, next.enabled, actor.sub],
      );
      await this.ledger.ingestWithin(manager, [
        governanceAuditEvent({
          action: 'slo.update',
          actor,
          entity: 'ServiceLevelObjective',
          entityId: id,
          before: Object.fromEntries(changed.map((field) => [field, current[field]])),
          after: Object.fromEntries(changed.map((field) => [field, next[field]])),
          changedFields: [...changed],
          reason,
          policyVersion,
        }),
      ]);
      return this.byId(id, manager);
    });
  }

  /** A write in one transaction; a taken name becomes SLO_NAME_TAKEN (409) instead of a constraint error. */
  private async writing<T>(name: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.dataSource.transaction(work);
    } catch (error) {
      if (isNameTaken(error)) {
        throw new SlaException(SlaExceptionCode.SLO_NAME_TAKEN, `another SLO is named ${name}`, { name });
      }
      throw error;
    }
  }
}
