import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { decodeCursor, encodeCursor, isUuid, newId, pageSize, type AuditActor, type AuditEvent, type Page } from '@concord/common';
import { AuditLedgerService } from '../audit/audit-ledger.service';
import { PolicyBundleService } from '../policy/policy-bundle.service';
import { governanceAuditEvent } from '../policy/policy-audit';
import { describePair, formatBurn, type IncidentSeverity, type PairAssessment } from './burn-rate';
import { IncidentEventKind, IncidentStatus } from './incident.entity';
import { SLA_OPTIONS, type SlaOptions } from './sla.options';
import { SlaException, SlaExceptionCode, invalidInput } from './sla.exception';
import { NotificationStatus, type NotificationType } from './sla-notification.entity';
import { SLO_COLUMNS, sloOfRow, type Slo, type SloRow } from './slo.service';

/** Who the ledger and the timeline name for the evaluator's changes. */
export const SLA_EVALUATOR: AuditActor = { sub: 'sla-evaluator', roles: [] };
/** A burn rate this many times higher or lower than the one last recorded is an update worth telling. */
const BURN_CHANGE_RATIO = 2;
const MAX_NOTE_CHARS = 4_000;
const CURSOR_SORT = 'openedAt';

export interface IncidentTimelineEntry {
  at: Date;
  kind: IncidentEventKind;
  severity: IncidentSeverity | null;
  burnRate: number | null;
  message: string;
  actor: string;
}

export interface Incident {
  id: string;
  slo: Slo;
  status: IncidentStatus;
  severity: IncidentSeverity;
  burnFactor: number;
  burnRate: number;
  peakBurnRate: number;
  summary: string;
  openedAt: Date;
  updatedAt: Date;
  resolvedAt: Date | null;
  timeline: IncidentTimelineEntry[];
}

/** What one evaluation did to an SLO's incident. */
export interface IncidentChange {
  incidentId: string;
  change: 'opened' | 'updated' | 'resolved';
  severity: IncidentSeverity;
  message: string;
}

interface IncidentRow {
  id: string;
  slo_id: string;
  status: IncidentStatus;
  severity: IncidentSeverity;
  burn_factor: number;
  burn_rate: number;
  peak_burn_rate: number;
  summary: string;
  opened_at: Date;
  updated_at: Date;
  resolved_at: Date | null;
}

const INCIDENT_COLUMNS = `incident.id, incident.slo_id, incident.status, incident.severity, incident.burn_factor, incident.burn_rate,
  incident.peak_burn_rate, incident.summary, incident.opened_at, incident.updated_at, incident.resolved_at`;

function stateOf(row: Pick<IncidentRow, 'status' | 'severity' | 'burn_rate'>): Record<string, unknown> {
  return { status: row.status, severity: row.severity, burnRate: row.burn_rate };
}

/** The timeline message and what changed since the incident's last recorded state, or undefined when nothing worth telling did. */
function updateOf(open: IncidentRow, pair: PairAssessment): string | undefined {
  const burn = pair.long.burnRate;
  const reasons: string[] = [];
  if (pair.severity !== open.severity) {
    reasons.push(`severity ${open.severity.toLowerCase()} → ${pair.severity.toLowerCase()}`);
  }
  if (pair.factor !== open.burn_factor) {
    reasons.push(`now above ${formatBurn(pair.factor)} (was above ${formatBurn(open.burn_factor)})`);
  }
  if (burn >= open.burn_rate * BURN_CHANGE_RATIO || burn * BURN_CHANGE_RATIO <= open.burn_rate) {
    reasons.push(`burn rate ${formatBurn(open.burn_rate)} → ${formatBurn(burn)}`);
  }
  return reasons.length ? `${reasons.join('; ')}: ${describePair(pair)}` : undefined;
}

/**
 * Incidents (issue 5): the evaluator opens one per SLO that burns its budget too fast (at most one open per SLO),
 * updates it when its severity, deciding pair or burn rate changes, and resolves it when no pair fires any more.
 * Each change is, in one transaction, a timeline entry, a ledger event and a webhook notification; operators add notes.
 */
@Injectable()
export class IncidentService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ledger: AuditLedgerService,
    private readonly policies: PolicyBundleService,
    @Inject(SLA_OPTIONS) private readonly options: SlaOptions,
  ) {}

  /**
   * Brings an SLO's incident in line with its evaluation at `at`: `deciding` is its most severe firing pair (none:
   * the SLO is within its budget, or without enough traffic to say). Answers what changed, if anything.
   */
  async reconcile(slo: Slo, deciding: PairAssessment | undefined, at: Date, quietReason: string): Promise<IncidentChange | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const [open]: IncidentRow[] = await manager.query(
        `SELECT ${INCIDENT_COLUMNS} FROM governance.sla_incident AS incident WHERE slo_id = $1 AND status = 'OPEN' FOR UPDATE`,
        [slo.id],
      );
      if (deciding && !open) {
        return this.open(manager, slo, deciding, at);
      }
      if (deciding && open) {
        const message = updateOf(open, deciding);
        if (message) {
          return this.update(manager, slo, open, deciding, message, at);
        }
        if (deciding.long.burnRate > open.peak_burn_rate) {
          await manager.query('UPDATE governance.sla_incident SET peak_burn_rate = $2 WHERE id = $1', [open.id, deciding.long.burnRate]);
        }
        return undefined;
      }
      if (open) {
        return this.resolve(manager, slo, open, quietReason, at);
      }
      return undefined;
    });
  }

  /** Resolves the open incidents of SLOs that are no longer evaluated (disabled). */
  async resolveUnevaluated(evaluatedSloIds: readonly string[], at: Date): Promise<IncidentChange[]> {
    const orphans: { id: string; slo_id: string }[] = await this.dataSource.query(
      `SELECT id, slo_id FROM governance.sla_incident WHERE status = 'OPEN' AND NOT (slo_id = ANY($1::uuid[]))`,
      [[...evaluatedSloIds]],
    );
    const changes: IncidentChange[] = [];
    for (const orphan of orphans) {
      const change = await this.dataSource.transaction(async (manager) => {
        const slo = sloOfRow(
          (await manager.query(`SELECT ${SLO_COLUMNS} FROM governance.service_level_objective WHERE id = $1`, [orphan.slo_id]))[0],
        );
        const [open]: IncidentRow[] = await manager.query(
          `SELECT ${INCIDENT_COLUMNS} FROM governance.sla_incident AS incident WHERE id = $1 AND status = 'OPEN' FOR UPDATE`,
          [orphan.id],
        );
        return open ? this.resolve(manager, slo, open, 'the SLO is disabled', at) : undefined;
      });
      if (change) {
        changes.push(change);
      }
    }
    return changes;
  }

  private async open(manager: EntityManager, slo: Slo, pair: PairAssessment, at: Date): Promise<IncidentChange> {
    const id = newId();
    const burn = pair.long.burnRate;
    const message = `${slo.name}: ${describePair(pair)}`;
    await manager.query(
      `INSERT INTO governance.sla_incident
         (id, slo_id, status, severity, burn_factor, burn_rate, peak_burn_rate, summary, opened_at, updated_at)
       VALUES ($1, $2, 'OPEN', $3, $4, $5, $5, $6, $7, $7)`,
      [id, slo.id, pair.severity, pair.factor, burn, message, at],
    );
    const row: IncidentRow = {
      id,
      slo_id: slo.id,
      status: IncidentStatus.OPEN,
      severity: pair.severity,
      burn_factor: pair.factor,
      burn_rate: burn,
      peak_burn_rate: burn,
      summary: message,
      opened_at: at,
      updated_at: at,
      resolved_at: null,
    };
    await this.record(manager, slo, null, row, IncidentEventKind.OPENED, message, at);
    return { incidentId: id, change: 'opened', severity: pair.severity, message };
  }

  private async update(
    manager: EntityManager,
    slo: Slo,
    open: IncidentRow,
    pair: PairAssessment,
    message: string,
    at: Date,
  ): Promise<IncidentChange> {
    const burn = pair.long.burnRate;
    const summary = `${slo.name}: ${describePair(pair)}`;
    const row: IncidentRow = {
      ...open,
      severity: pair.severity,
      burn_factor: pair.factor,
      burn_rate: burn,
      peak_burn_rate: Math.max(open.peak_burn_rate, burn),
      summary,
      updated_at: at,
    };
    await manager.query(
      `UPDATE governance.sla_incident SET severity = $2, burn_factor = $3, burn_rate = $4, peak_burn_rate = $5, summary = $6, updated_at = $7
       WHERE id = $1`,
      [open.id, row.severity, row.burn_factor, row.burn_rate, row.peak_burn_rate, summary, at],
    );
    await this.record(manager, slo, open, row, IncidentEventKind.UPDATED, message, at);
    return { incidentId: open.id, change: 'updated', severity: pair.severity, message };
  }

  private async resolve(manager: EntityManager, slo: Slo, open: IncidentRow, reason: string, at: Date): Promise<IncidentChange> {
    const message = `${slo.name}: resolved, ${reason}`;
    const row: IncidentRow = { ...open, status: IncidentStatus.RESOLVED, resolved_at: at, updated_at: at };
    await manager.query(`UPDATE governance.sla_incident SET status = 'RESOLVED', resolved_at = $2, updated_at = $2 WHERE id = $1`, [
      open.id,
      at,
    ]);
    await this.record(manager, slo, open, row, IncidentEventKind.RESOLVED, message, at);
    return { incidentId: open.id, change: 'resolved', severity: open.severity, message };
  }

  /** The timeline entry, the ledger event and the notification of one change, in the change's transaction. */
  private async record(
    manager: EntityManager,
    slo: Slo,
    before: IncidentRow | null,
    after: IncidentRow,
    kind: IncidentEventKind.OPENED | IncidentEventKind.UPDATED | IncidentEventKind.RESOLVED,
    message: string,
    at: Date,
  ): Promise<void> {
    await this.addTimeline(manager, after.id, {
      at,
      kind,
      severity: after.severity,
      burnRate: after.burn_rate,
      message,
      actor: SLA_EVALUATOR.sub,
    });
    const action = ({ OPENED: 'incident.open', UPDATED: 'incident.update', RESOLVED: 'incident.resolve' } as const)[kind];
    const previous = before ? stateOf(before) : null;
    const next = stateOf(after);
    await this.audit(manager, {
      action,
      actor: SLA_EVALUATOR,
      entityId: after.id,
      before: previous,
      after: { ...next, sloId: slo.id, sloName: slo.name },
      changedFields: Object.keys(next).filter((field) => previous?.[field] !== next[field]),
      reason: message,
    });
    const type: NotificationType = ({ OPENED: 'incident.opened', UPDATED: 'incident.updated', RESOLVED: 'incident.resolved' } as const)[
      kind
    ];
    const notificationId = newId();
    const payload = {
      id: notificationId,
      type,
      occurredAt: at.toISOString(),
      message,
      incident: {
        id: after.id,
        status: after.status,
        severity: after.severity,
        burnRate: after.burn_rate,
        peakBurnRate: after.peak_burn_rate,
        summary: after.summary,
        openedAt: after.opened_at.toISOString(),
        resolvedAt: after.resolved_at?.toISOString() ?? null,
      },
      slo: {
        id: slo.id,
        name: slo.name,
        kind: slo.kind,
        target: slo.target,
        indicator: slo.indicator,
        objective: slo.objective,
        latencyThresholdMs: slo.latencyThresholdMs,
        windowDays: slo.windowDays,
      },
    };
    await manager.query(
      `INSERT INTO governance.sla_notification (id, incident_id, type, payload, status, next_attempt_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6)`,
      [
        notificationId,
        after.id,
        type,
        JSON.stringify(payload),
        this.options.webhookUrl ? NotificationStatus.PENDING : NotificationStatus.SKIPPED,
        at,
      ],
    );
  }

  private async addTimeline(manager: EntityManager, incidentId: string, entry: IncidentTimelineEntry): Promise<void> {
    await manager.query(
      `INSERT INTO governance.sla_incident_event (incident_id, at, kind, severity, burn_rate, message, actor)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [incidentId, entry.at, entry.kind, entry.severity, entry.burnRate, entry.message, entry.actor],
    );
  }

  private async audit(
    manager: EntityManager,
    event: Pick<AuditEvent, 'actor' | 'before' | 'after' | 'changedFields' | 'entityId'> & {
      action: 'incident.open' | 'incident.update' | 'incident.resolve' | 'incident.note';
      actor: AuditActor;
      reason: string;
    },
  ): Promise<void> {
    const policyVersion = (await this.policies.latestVersion()) ?? 0;
    await this.ledger.ingestWithin(manager, [governanceAuditEvent({ ...event, entity: 'Incident', policyVersion })]);
  }

  /** An operator's note on the timeline (open or resolved incidents), a ledger event too. */
  async addNote(id: string, note: string, actor: AuditActor): Promise<Incident> {
    const text = note?.trim() ?? '';
    if (!text || text.length > MAX_NOTE_CHARS) {
      throw invalidInput([`note is a non-empty text of at most ${MAX_NOTE_CHARS} characters`], 'invalid note');
    }
    const incidentId = this.requireId(id);
    await this.dataSource.transaction(async (manager) => {
      const [row]: IncidentRow[] = await manager.query(
        `SELECT ${INCIDENT_COLUMNS} FROM governance.sla_incident AS incident WHERE id = $1 FOR UPDATE`,
        [incidentId],
      );
      if (!row) {
        throw new SlaException(SlaExceptionCode.INCIDENT_NOT_FOUND, `no incident ${id}`, { id });
      }
      const at = this.options.now();
      await this.addTimeline(manager, incidentId, {
        at,
        kind: IncidentEventKind.NOTE,
        severity: null,
        burnRate: null,
        message: text,
        actor: actor.sub,
      });
      await this.audit(manager, {
        action: 'incident.note',
        actor,
        entityId: incidentId,
        before: null,
        after: { note: text },
        changedFields: [],
        reason: text,
      });
    });
    const [incident] = await this.withDetails(
      await this.dataSource.query(`SELECT ${INCIDENT_COLUMNS} FROM governance.sla_incident AS incident WHERE id = $1`, [incidentId]),
    );
    return incident;
  }

  /** Incidents newest first (by opening), optionally of one status; keyset pagination. */
  async page(request: { status?: IncidentStatus | null; first?: number | null; after?: string | null }): Promise<Page<Incident>> {
    const limit = pageSize(request.first);
    const parameters: unknown[] = [request.status ?? null];
    let seek = '';
    if (request.after) {
      const cursor = decodeCursor(request.after, CURSOR_SORT);
      parameters.push(cursor.v, cursor.id);
      seek = 'AND (incident.opened_at, incident.id) < ($2::timestamptz, $3::uuid)';
    }
    parameters.push(limit + 1);
    const rows: IncidentRow[] = await this.dataSource.query(
      `SELECT ${INCIDENT_COLUMNS} FROM governance.sla_incident AS incident
       WHERE ($1::text IS NULL OR incident.status = $1) ${seek}
       ORDER BY incident.opened_at DESC, incident.id DESC LIMIT $${parameters.length}`,
      parameters,
    );
    const nodes = await this.withDetails(rows.slice(0, limit));
    return {
      nodes,
      cursors: nodes.map((incident) => encodeCursor({ s: CURSOR_SORT, v: incident.openedAt.toISOString(), id: incident.id })),
      hasNextPage: rows.length > limit,
      hasPreviousPage: Boolean(request.after),
    };
  }

  /** The incidents of these SLOs open at some time in [from, to). */
  async overlapping(sloIds: readonly string[], from: Date, to: Date): Promise<Incident[]> {
    const rows: IncidentRow[] = await this.dataSource.query(
      `SELECT ${INCIDENT_COLUMNS} FROM governance.sla_incident AS incident
       WHERE slo_id = ANY($1::uuid[]) AND opened_at < $3 AND (resolved_at IS NULL OR resolved_at >= $2)
       ORDER BY opened_at, id`,
      [[...sloIds], from, to],
    );
    return this.withDetails(rows);
  }

  /** Rows with their SLO and timeline: one query each for the whole list. */
  private async withDetails(rows: IncidentRow[]): Promise<Incident[]> {
    if (rows.length === 0) {
      return [];
    }
    const sloRows: SloRow[] = await this.dataSource.query(
      `SELECT ${SLO_COLUMNS} FROM governance.service_level_objective WHERE id = ANY($1::uuid[])`,
      [[...new Set(rows.map((row) => row.slo_id))]],
    );
    const slos = new Map(sloRows.map((row) => [row.id, sloOfRow(row)]));
    const entries: (IncidentTimelineEntry & { incident_id: string })[] = await this.dataSource.query(
      `SELECT incident_id, at, kind, severity, burn_rate AS "burnRate", message, actor
       FROM governance.sla_incident_event WHERE incident_id = ANY($1::uuid[]) ORDER BY id`,
      [rows.map((row) => row.id)],
    );
    return rows.map((row) => ({
      id: row.id,
      slo: slos.get(row.slo_id)!,
      status: row.status,
      severity: row.severity,
      burnFactor: row.burn_factor,
      burnRate: row.burn_rate,
      peakBurnRate: row.peak_burn_rate,
      summary: row.summary,
      openedAt: row.opened_at,
      updatedAt: row.updated_at,
      resolvedAt: row.resolved_at,
      timeline: entries.filter((entry) => entry.incident_id === row.id).map(({ incident_id: _incident, ...entry }) => entry),
    }));
  }

  private requireId(id: string): string {
    if (!isUuid(id)) {
      throw new SlaException(SlaExceptionCode.INCIDENT_NOT_FOUND, `no incident ${id}`, { id });
    }
    return id.toLowerCase();
  }
}
