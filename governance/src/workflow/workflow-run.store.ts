import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { decodeCursor, encodeCursor, isUuid, newId, pageSize, type AuditActor, type AuditEvent, type Page } from '@concord/common';
import { AuditLedgerService } from '../audit/audit-ledger.service';
import { governanceAuditEvent } from '../policy/policy-audit';
import { recordWorkflowSample } from '../sla/workflow-sample';
import { PolicyBundleService } from '../policy/policy-bundle.service';
import type { JsonObject, WorkflowKind, WorkflowStart } from './workflow-definition';
import { WorkflowException, WorkflowExceptionCode } from './workflow.exception';
import { WORKFLOW_OPTIONS, type WorkflowOptions } from './workflow.options';
import { ExceptionCaseStore, RETRY_SUCCEEDED, WORKFLOW_ENGINE_ACTOR } from './exception-case.store';
import { changedValues, payloadPatch } from './payload-diff';

/** The most runs one bulk replay reviews and replays. */
export const BULK_REPLAY_CAP = 100;

export interface BulkReplayFilter {
  kind?: WorkflowKind | null;
  /** the last error's code (GATE_FAILED, OWNERSHIP_VIOLATION…) */
  errorCode?: string | null;
  /** parked at least this many hours ago */
  minAgeHours?: number | null;
  /** parked at most this many hours ago */
  maxAgeHours?: number | null;
}

export enum WorkflowRunStatus {
  PENDING = 'PENDING',
  RUNNING = 'RUNNING',
  RETRYING = 'RETRYING',
  SUCCEEDED = 'SUCCEEDED',
  EXCEPTION = 'EXCEPTION',
  DISMISSED = 'DISMISSED',
}

export interface WorkflowRunError {
  code: string;
  message: string;
  permanent: boolean;
  step: string | null;
  reasons: string[];
  details: JsonObject | null;
}

export interface WorkflowRun {
  id: string;
  kind: WorkflowKind;
  businessKey: string;
  status: WorkflowRunStatus;
  correlationId: string;
  payload: JsonObject;
  state: JsonObject;
  step: number;
  attempts: number;
  nextAttemptAt: Date;
  lastError: WorkflowRunError | null;
  triggerEventId: string | null;
  startedAt: Date;
  completedAt: Date | null;
  updatedAt: Date;
}

export interface WorkflowRunEvent {
  at: Date;
  kind: 'started' | 'step' | 'failed' | 'exception' | 'succeeded' | 'replayed' | 'dismissed';
  step: string | null;
  attempt: number | null;
  message: string;
  details: JsonObject | null;
  actor: string | null;
}

interface RunRow {
  id: string;
  kind: WorkflowKind;
  business_key: string;
  status: WorkflowRunStatus;
  correlation_id: string;
  payload: JsonObject;
  state: JsonObject;
  step: number;
  attempts: number;
  next_attempt_at: Date;
  last_error: WorkflowRunError | null;
  trigger_event_id: string | null;
  started_at: Date;
  completed_at: Date | null;
  updated_at: Date;
}

const RUN_COLUMNS = `id, kind, business_key, status, correlation_id, payload, state, step, attempts, next_attempt_at, last_error,
  trigger_event_id, started_at, completed_at, updated_at`;
const CURSOR_SORT = 'updatedAt';
const LIVE = [WorkflowRunStatus.PENDING, WorkflowRunStatus.RUNNING, WorkflowRunStatus.RETRYING];

function runOf(row: RunRow): WorkflowRun {
  return {
    id: row.id,
    kind: row.kind,
    businessKey: row.business_key,
    status: row.status,
    correlationId: row.correlation_id,
    payload: row.payload,
    state: row.state,
    step: row.step,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    triggerEventId: row.trigger_event_id,
    startedAt: row.started_at,
    completedAt: row.completed_at,
    updatedAt: row.updated_at,
  };
}

/** Only the top-level keys whose values differ: what a steward's payload edit changed. */
function changedKeys(before: JsonObject, after: JsonObject): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key])).sort();
}

/** A steward's reason: 1 to 2000 characters, trimmed; INVALID_INPUT otherwise. */
function requireDecisionReason(reason: string | null | undefined): string {
  const text = reason?.trim() ?? '';
  if (!text || text.length > 2_000) {
    throw new WorkflowException(WorkflowExceptionCode.INVALID_INPUT, 'a reason of 1 to 2000 characters is required', {
      problems: ['reason is required'],
    });
  }
  return text;
}

/**
 * The durable queue of workflow runs in PostgreSQL (governance.workflow_run): starting runs (once per kind and
 * business key), claiming due runs with a lease (`FOR UPDATE SKIP LOCKED`, so replicas share the queue), recording
 * each step's output, retries with backoff, the exception queue, and stewards' replays and dismissals (audited).
 */
@Injectable()
export class WorkflowRunStore {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(WORKFLOW_OPTIONS) private readonly options: WorkflowOptions,
    private readonly ledger: AuditLedgerService,
    private readonly policies: PolicyBundleService,
    private readonly cases: ExceptionCaseStore,
  ) {}

  /** Starts the runs that do not exist yet (inside the caller's transaction); returns how many were new. */
  async start(manager: EntityManager, starts: readonly WorkflowStart[]): Promise<number> {
    let started = 0;
    for (const start of starts) {
      const id = newId();
      const inserted: { id: string }[] = await manager.query(
        `INSERT INTO governance.workflow_run (id, kind, business_key, correlation_id, payload, trigger_event_id)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (kind, business_key) DO NOTHING RETURNING id`,
        [id, start.kind, start.businessKey, start.correlationId ?? id, JSON.stringify(start.payload), start.triggerEventId ?? null],
      );
      if (inserted.length > 0) {
        started++;
        await this.addEvent(manager, id, {
          kind: 'started',
          message: `started by ${start.triggerEventId ? `ledger event ${start.triggerEventId}` : 'request'}`,
        });
      }
    }
    return started;
  }

  /**
   * A run a person asked for (finance's invoice run): started at once, with a `started` event naming them and a ledger
   * event (`create` of the WorkflowRun, with the payload and reason) under the run's own correlation id.
   */
  async request(
    actor: AuditActor,
    start: { kind: WorkflowKind; businessKey: string; payload: JsonObject },
    reason: string,
  ): Promise<WorkflowRun> {
    const id = newId();
    await this.dataSource.transaction(async (manager) => {
      const inserted: { id: string }[] = await manager.query(
        `INSERT INTO governance.workflow_run (id, kind, business_key, correlation_id, payload)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kind, business_key) DO NOTHING RETURNING id`,
        [id, start.kind, start.businessKey, id, JSON.stringify(start.payload)],
      );
      if (inserted.length === 0) {
        throw new WorkflowException(WorkflowExceptionCode.RUN_EXISTS, `a ${start.kind} run for ${start.businessKey} exists already`);
      }
      await this.addEvent(manager, id, { kind: 'started', actor: actor.sub, message: `started by ${actor.sub}: ${reason}` });
      const policyVersion = (await this.policies.latestVersion()) ?? 0;
      // a plain `create` of the run (the ledger's action list needs no new entry); triggers skip governance's events
      const event: AuditEvent = {
        eventId: newId(),
        occurredAt: new Date().toISOString(),
        service: 'governance',
        action: 'create',
        actor: { sub: actor.sub, roles: [...actor.roles] },
        entity: 'WorkflowRun',
        entityId: id,
        before: null,
        after: { kind: start.kind, businessKey: start.businessKey, status: WorkflowRunStatus.PENDING, payload: start.payload },
        changedFields: ['kind', 'businessKey', 'status', 'payload'],
        reason,
        correlationId: id,
        policyVersion: String(policyVersion),
      };
      await this.ledger.ingestWithin(manager, [event]);
    });
    return (await this.get(id))!;
  }

  /**
   * A run asked for once per kind and business key (a month's snapshot, a period's recognition): the one already
   * there, whatever its state, or a new one started as `request` does. Two concurrent askers get the same run.
   */
  async requestOnce(
    actor: AuditActor,
    start: { kind: WorkflowKind; businessKey: string; payload: JsonObject },
    reason: string,
  ): Promise<{ run: WorkflowRun; created: boolean }> {
    const existing = await this.byKey(start.kind, start.businessKey);
    if (existing) {
      return { run: existing, created: false };
    }
    try {
      return { run: await this.request(actor, start, reason), created: true };
    } catch (error) {
      const raced =
        error instanceof WorkflowException && error.code === WorkflowExceptionCode.RUN_EXISTS
          ? await this.byKey(start.kind, start.businessKey)
          : null;
      if (raced) {
        return { run: raced, created: false };
      }
      throw error;
    }
  }

  /**
   * Claims up to `limit` due runs for `owner`: pending or retrying ones whose time has come, and running ones whose
   * worker's lease ran out (it died or hangs). Each claim is one attempt.
   */
  async claim(owner: string, limit: number): Promise<WorkflowRun[]> {
    // an UPDATE … RETURNING answers [rows, affected count]
    const [rows]: [RunRow[], number] = await this.dataSource.query(
      `UPDATE governance.workflow_run AS run
          SET status = 'RUNNING', lease_owner = $1, lease_until = now() + make_interval(secs => $3::float8 / 1000),
              attempts = run.attempts + 1, updated_at = now()
        WHERE run.id IN (
          SELECT id FROM governance.workflow_run
           WHERE status IN ('PENDING', 'RUNNING', 'RETRYING') AND next_attempt_at <= now()
             AND (status <> 'RUNNING' OR lease_until < now())
           ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
        RETURNING run.*`,
      [owner, limit, this.options.leaseMs],
    );
    return rows.map(runOf);
  }

  /** Records a finished step and renews the lease; false when the lease was lost (another worker has the run). */
  async recordStep(run: WorkflowRun, owner: string, step: { index: number; name: string; output: JsonObject }): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const [, updated]: [unknown, number] = await manager.query(
        `UPDATE governance.workflow_run
            SET state = state || $3::jsonb, step = $4, lease_until = now() + make_interval(secs => $5::float8 / 1000), updated_at = now()
          WHERE id = $1 AND lease_owner = $2 AND status = 'RUNNING'`,
        [run.id, owner, JSON.stringify(step.output), step.index + 1, this.options.leaseMs],
      );
      if (updated === 0) {
        return false;
      }
      await this.addEvent(manager, run.id, {
        kind: 'step',
        step: step.name,
        attempt: run.attempts,
        message: `${step.name} done`,
        details: step.output,
      });
      return true;
    });
  }

  /** Extends the lease of a run this worker holds; false when it holds it no more. */
  async renewLease(run: WorkflowRun, owner: string): Promise<boolean> {
    const [, updated]: [unknown, number] = await this.dataSource.query(
      `UPDATE governance.workflow_run SET lease_until = now() + make_interval(secs => $3::float8 / 1000)
        WHERE id = $1 AND lease_owner = $2 AND status = 'RUNNING'`,
      [run.id, owner, this.options.leaseMs],
    );
    return updated > 0;
  }

  async succeed(run: WorkflowRun, owner: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const [finished, updated]: [{ started_at: Date; completed_at: Date }[], number] = await manager.query(
        `UPDATE governance.workflow_run
            SET status = 'SUCCEEDED', completed_at = now(), lease_owner = NULL, lease_until = NULL, last_error = NULL, updated_at = now()
          WHERE id = $1 AND lease_owner = $2 AND status = 'RUNNING' RETURNING started_at, completed_at`,
        [run.id, owner],
      );
      if (updated > 0) {
        await this.addEvent(manager, run.id, { kind: 'succeeded', attempt: run.attempts, message: 'succeeded' });
        await this.cases.closeWithin(manager, run.id, WORKFLOW_ENGINE_ACTOR, RETRY_SUCCEEDED);
        await recordWorkflowSample(manager, { kind: run.kind, startedAt: finished[0].started_at, finishedAt: finished[0].completed_at, ok: true });
      }
      return updated > 0;
    });
  }

  /**
   * A failed attempt: retried after a backoff while attempts are left and the failure is transient, else into the
   * exception queue (with a ledger event, so auditors see every flow that needed a person).
   */
  async fail(run: WorkflowRun, owner: string, error: WorkflowRunError): Promise<WorkflowRunStatus | null> {
    const exhausted = error.permanent || run.attempts >= this.options.maxAttempts;
    const backoffMs = Math.min(this.options.maxBackoffMs, this.options.firstBackoffMs * 2 ** Math.max(0, run.attempts - 1));
    const status = exhausted ? WorkflowRunStatus.EXCEPTION : WorkflowRunStatus.RETRYING;
    return this.dataSource.transaction(async (manager) => {
      const [, updated]: [unknown, number] = await manager.query(
        `UPDATE governance.workflow_run
            SET status = $3, last_error = $4, lease_owner = NULL, lease_until = NULL, updated_at = now(),
                next_attempt_at = now() + make_interval(secs => $5::float8 / 1000)
          WHERE id = $1 AND lease_owner = $2 AND status = 'RUNNING'`,
        [run.id, owner, status, JSON.stringify(error), exhausted ? 0 : backoffMs],
      );
      if (updated === 0) {
        return null;
      }
      await this.addEvent(manager, run.id, {
        kind: exhausted ? 'exception' : 'failed',
        step: error.step,
        attempt: run.attempts,
        message: exhausted
          ? `${error.permanent ? 'cannot succeed without a fix' : `failed ${run.attempts} times`}: ${error.message}`
          : `${error.message}; retry in ${Math.round(backoffMs / 1000)} s`,
        details: { code: error.code, reasons: error.reasons, ...(error.details ?? {}) },
      });
      if (exhausted) {
        // a run in the exception queue has finished, badly: it counts against the workflow's SLOs
        await recordWorkflowSample(manager, { kind: run.kind, startedAt: run.startedAt, finishedAt: new Date(), ok: false });
        await this.audit(manager, 'workflow.exception', { sub: 'workflow-engine', roles: ['integration'] }, run, {
          before: { status: WorkflowRunStatus.RUNNING },
          after: { status, error },
          reason: error.message,
        });
        await this.cases.openWithin(manager, run.id, error.message);
      }
      return status;
    });
  }

  async get(id: string): Promise<WorkflowRun | null> {
    if (!isUuid(id)) {
      return null;
    }
    const [row]: RunRow[] = await this.dataSource.query(`SELECT ${RUN_COLUMNS} FROM governance.workflow_run WHERE id = $1`, [id]);
    return row ? runOf(row) : null;
  }

  /** The run of a kind and business key, e.g. the OPPORTUNITY_TO_PROJECT run of an opportunity. */
  async byKey(kind: WorkflowKind, businessKey: string): Promise<WorkflowRun | null> {
    const [row]: RunRow[] = await this.dataSource.query(
      `SELECT ${RUN_COLUMNS} FROM governance.workflow_run WHERE kind = $1 AND business_key = $2`,
      [kind, businessKey],
    );
    return row ? runOf(row) : null;
  }

  async events(runIds: readonly string[]): Promise<Map<string, WorkflowRunEvent[]>> {
    const rows: (WorkflowRunEvent & { run_id: string })[] = await this.dataSource.query(
      `SELECT run_id, at, kind, step, attempt, message, details, actor FROM governance.workflow_run_event
        WHERE run_id = ANY($1::uuid[]) ORDER BY run_id, id`,
      [[...runIds]],
    );
    const byRun = new Map<string, WorkflowRunEvent[]>();
    for (const { run_id: runId, ...event } of rows) {
      byRun.set(runId, [...(byRun.get(runId) ?? []), event]);
    }
    return byRun;
  }

  /** Runs, the most recently changed first; filters by status, kind and correlation id. */
  async page(request: {
    statusIn?: WorkflowRunStatus[] | null;
    kind?: WorkflowKind | null;
    correlationId?: string | null;
    businessKey?: string | null;
    first?: number | null;
    after?: string | null;
  }): Promise<Page<WorkflowRun>> {
    const limit = pageSize(request.first);
    const parameters: unknown[] = [
      request.statusIn?.length ? request.statusIn : null,
      request.kind ?? null,
      request.correlationId ?? null,
      request.businessKey ?? null,
    ];
    let seek = '';
    if (request.after) {
      const cursor = decodeCursor(request.after, CURSOR_SORT);
      parameters.push(cursor.v, cursor.id);
      seek = 'AND (updated_at, id) < ($5::timestamptz, $6::uuid)';
    }
    parameters.push(limit + 1);
    const rows: RunRow[] = await this.dataSource.query(
      `SELECT ${RUN_COLUMNS} FROM governance.workflow_run
        WHERE ($1::text[] IS NULL OR status = ANY($1::text[])) AND ($2::text IS NULL OR kind = $2)
          AND ($3::text IS NULL OR correlation_id = $3) AND ($4::text IS NULL OR business_key = $4) ${seek}
        ORDER BY updated_at DESC, id DESC LIMIT $${parameters.length}`,
      parameters,
    );
    const nodes = rows.slice(0, limit).map(runOf);
    return {
      nodes,
      cursors: nodes.map((run) => encodeCursor({ s: CURSOR_SORT, v: run.updatedAt.toISOString(), id: run.id })),
      hasNextPage: rows.length > limit,
      hasPreviousPage: Boolean(request.after),
    };
  }

  /**
   * A steward sends a run from the exception queue back to work, from the step that failed, with a fresh set of
   * attempts; `payload` replaces the run's payload (the fix), and the ledger keeps before and after.
   */
  async replay(id: string, actor: AuditActor, reason: string, payload?: JsonObject | null): Promise<WorkflowRun> {
    return this.decide(id, actor, reason, (manager, run) => this.replayWithin(manager, run, actor, reason, payload ?? run.payload));
  }

  /**
   * The runs a bulk replay with this filter would send back to work: runs in the exception queue, oldest parked
   * first, at most BULK_REPLAY_CAP of them (`total` says how many match).
   */
  async bulkReplayCandidates(filter: BulkReplayFilter): Promise<{ total: number; runs: WorkflowRun[] }> {
    const minAge = filter.minAgeHours ?? null;
    const maxAge = filter.maxAgeHours ?? null;
    const problems = [
      ...(minAge !== null && !(minAge >= 0) ? ['minAgeHours must be 0 or more'] : []),
      ...(maxAge !== null && !(maxAge >= 0) ? ['maxAgeHours must be 0 or more'] : []),
      ...(minAge !== null && maxAge !== null && minAge > maxAge ? ['minAgeHours must not exceed maxAgeHours'] : []),
    ];
    if (problems.length) {
      throw new WorkflowException(WorkflowExceptionCode.INVALID_INPUT, problems.join('; '), { problems });
    }
    const where = `status = 'EXCEPTION' AND ($1::text IS NULL OR kind = $1) AND ($2::text IS NULL OR last_error ->> 'code' = $2)
      AND ($3::float8 IS NULL OR updated_at <= now() - make_interval(secs => $3::float8 * 3600))
      AND ($4::float8 IS NULL OR updated_at >= now() - make_interval(secs => $4::float8 * 3600))`;
    const parameters = [filter.kind ?? null, filter.errorCode ?? null, minAge, maxAge];
    const [{ total }]: { total: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM governance.workflow_run WHERE ${where}`,
      parameters,
    );
    const rows: RunRow[] = await this.dataSource.query(
      `SELECT ${RUN_COLUMNS} FROM governance.workflow_run WHERE ${where} ORDER BY updated_at, id LIMIT ${BULK_REPLAY_CAP}`,
      parameters,
    );
    return { total, runs: rows.map(runOf) };
  }

  /**
   * Replays exactly the reviewed runs with one reason, all or none: each must still wait in the exception queue
   * (else RUN_NOT_IN_EXCEPTION naming the others), at most BULK_REPLAY_CAP. Each replay is its own ledger event,
   * tied together by the batch id.
   */
  async bulkReplay(ids: readonly string[], actor: AuditActor, reason: string): Promise<{ batchId: string; runs: WorkflowRun[] }> {
    const text = requireDecisionReason(reason);
    const unique = [...new Set(ids)];
    const problems = [
      ...(unique.length === 0 ? ['ids must name at least one run'] : []),
      ...(unique.length > BULK_REPLAY_CAP ? [`at most ${BULK_REPLAY_CAP} runs per bulk replay`] : []),
      ...(unique.length !== ids.length ? ['ids must not repeat'] : []),
      ...(unique.some((id) => !isUuid(id)) ? ['ids must be UUIDs'] : []),
    ];
    if (problems.length) {
      throw new WorkflowException(WorkflowExceptionCode.INVALID_INPUT, problems.join('; '), { problems });
    }
    const batchId = newId();
    const runs = await this.dataSource.transaction(async (manager) => {
      const rows: RunRow[] = await manager.query(
        `SELECT ${RUN_COLUMNS} FROM governance.workflow_run WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
        [unique],
      );
      const found = new Map(rows.map((row) => [row.id, row]));
      const missing = unique.filter((id) => !found.has(id));
      if (missing.length) {
        throw new WorkflowException(WorkflowExceptionCode.RUN_NOT_FOUND, `no workflow run ${missing.join(', ')}`, { ids: missing });
      }
      const notParked = rows.filter((row) => row.status !== WorkflowRunStatus.EXCEPTION).map((row) => row.id);
      if (notParked.length) {
        throw new WorkflowException(
          WorkflowExceptionCode.RUN_NOT_IN_EXCEPTION,
          `${notParked.length} of the reviewed runs left the exception queue since the review: review again`,
          { ids: notParked },
        );
      }
      const replayed: WorkflowRun[] = [];
      for (const id of unique) {
        const run = runOf(found.get(id)!);
        replayed.push(await this.replayWithin(manager, run, actor, text, run.payload, { id: batchId, size: unique.length }));
      }
      return replayed;
    });
    return { batchId, runs };
  }

  /**
   * Sends a parked run back to work with `payload`; the ledger event keeps the payload edit as a diff: the changed
   * keys' values before and after, and the JSON patch (RFC 6902) that makes the new payload of the old.
   */
  private async replayWithin(
    manager: EntityManager,
    run: WorkflowRun,
    actor: AuditActor,
    reason: string,
    nextPayload: JsonObject,
    batch?: { id: string; size: number },
  ): Promise<WorkflowRun> {
    const [[row]]: [RunRow[], number] = await manager.query(
      `UPDATE governance.workflow_run
          SET status = 'PENDING', attempts = 0, next_attempt_at = now(), payload = $2, updated_at = now()
        WHERE id = $1 RETURNING ${RUN_COLUMNS}`,
      [run.id, JSON.stringify(nextPayload)],
    );
    const changed = changedKeys(run.payload, nextPayload);
    const patch = payloadPatch(run.payload, nextPayload);
    const values = changedValues(run.payload, nextPayload, changed);
    await this.addEvent(manager, run.id, {
      kind: 'replayed',
      actor: actor.sub,
      message: `replayed by ${actor.sub}${batch ? ` (bulk replay of ${batch.size})` : ''}: ${reason}${changed.length ? ` (payload changed: ${changed.join(', ')})` : ''}`,
      details: changed.length ? { before: values.before, after: values.after, patch } : null,
    });
    await this.audit(manager, 'workflow.replay', actor, run, {
      before: { status: run.status, ...(changed.length ? { payload: values.before } : {}) },
      after: {
        status: WorkflowRunStatus.PENDING,
        ...(changed.length ? { payload: values.after, payloadPatch: patch } : {}),
        ...(batch ? { bulkReplay: batch } : {}),
      },
      reason,
      changedFields: ['status', ...changed.map((key) => `payload.${key}`)],
    });
    return runOf(row);
  }

  /** A steward closes a run from the exception queue without running it again. */
  async dismiss(id: string, actor: AuditActor, reason: string): Promise<WorkflowRun> {
    return this.decide(id, actor, reason, async (manager, run) => {
      const [[row]]: [RunRow[], number] = await manager.query(
        `UPDATE governance.workflow_run SET status = 'DISMISSED', completed_at = now(), updated_at = now() WHERE id = $1 RETURNING ${RUN_COLUMNS}`,
        [run.id],
      );
      await this.addEvent(manager, run.id, { kind: 'dismissed', actor: actor.sub, message: `dismissed by ${actor.sub}: ${reason}` });
      await this.cases.closeWithin(manager, run.id, actor, `run dismissed: ${reason}`);
      await this.audit(manager, 'workflow.dismiss', actor, run, {
        before: { status: run.status },
        after: { status: WorkflowRunStatus.DISMISSED },
        reason,
      });
      return runOf(row);
    });
  }

  private async decide(
    id: string,
    actor: AuditActor,
    reason: string,
    change: (manager: EntityManager, run: WorkflowRun) => Promise<WorkflowRun>,
  ): Promise<WorkflowRun> {
    requireDecisionReason(reason);
    if (!isUuid(id)) {
      throw new WorkflowException(WorkflowExceptionCode.RUN_NOT_FOUND, `no workflow run ${id}`);
    }
    // the run as this decision left it (a worker may take a replayed run the moment it commits)
    return this.dataSource.transaction(async (manager) => {
      const [row]: RunRow[] = await manager.query(`SELECT ${RUN_COLUMNS} FROM governance.workflow_run WHERE id = $1 FOR UPDATE`, [id]);
      if (!row) {
        throw new WorkflowException(WorkflowExceptionCode.RUN_NOT_FOUND, `no workflow run ${id}`);
      }
      if (row.status !== WorkflowRunStatus.EXCEPTION) {
        throw new WorkflowException(
          WorkflowExceptionCode.RUN_NOT_IN_EXCEPTION,
          `workflow run ${id} is ${row.status}: only runs in the exception queue can be replayed or dismissed`,
          { status: row.status },
        );
      }
      return change(manager, runOf(row));
    });
  }

  private async audit(
    manager: EntityManager,
    action: 'workflow.exception' | 'workflow.replay' | 'workflow.dismiss',
    actor: AuditActor,
    run: WorkflowRun,
    change: { before: JsonObject; after: JsonObject; reason: string; changedFields?: string[] },
  ): Promise<void> {
    const policyVersion = (await this.policies.latestVersion()) ?? 0;
    const event = governanceAuditEvent({
      action,
      actor,
      entity: 'WorkflowRun',
      entityId: run.id,
      before: { kind: run.kind, businessKey: run.businessKey, ...change.before },
      after: { kind: run.kind, businessKey: run.businessKey, ...change.after },
      changedFields: change.changedFields ?? ['status'],
      reason: change.reason,
      policyVersion,
    });
    // the flow's correlation id, so the ledger shows the exception and its replay next to the flow's writes
    await this.ledger.ingestWithin(manager, [{ ...event, correlationId: run.correlationId }]);
  }

  private async addEvent(
    manager: EntityManager,
    runId: string,
    event: {
      kind: WorkflowRunEvent['kind'];
      message: string;
      step?: string | null;
      attempt?: number | null;
      details?: JsonObject | null;
      actor?: string | null;
    },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO governance.workflow_run_event (run_id, kind, step, attempt, message, details, actor) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        runId,
        event.kind,
        event.step ?? null,
        event.attempt ?? null,
        event.message,
        event.details ? JSON.stringify(event.details) : null,
        event.actor ?? null,
      ],
    );
  }

  /**
   * Deletes finished runs (SUCCEEDED, DISMISSED) last changed before `cutoff`, with their events, in batches of
   * `batch` so no long transaction holds the queue; returns how many. Live runs and the exception queue stay whatever
   * their age; the ledger keeps every audited decision about the deleted ones.
   */
  async deleteFinishedBefore(cutoff: Date, batch = 1_000): Promise<number> {
    let deleted = 0;
    for (;;) {
      const rows: { id: string }[] = await this.dataSource.query(
        `DELETE FROM governance.workflow_run WHERE id IN (
           SELECT id FROM governance.workflow_run WHERE status IN ('SUCCEEDED', 'DISMISSED') AND updated_at < $1 LIMIT $2)
         RETURNING id`,
        [cutoff, batch],
      );
      deleted += rows.length;
      if (rows.length < batch) {
        return deleted;
      }
    }
  }

  /** Live runs (pending, running, retrying) and the exception queue's size, for /health and metrics. */
  async backlog(): Promise<{ live: number; exceptions: number }> {
    const [row]: { live: number; exceptions: number }[] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE status = ANY($1::text[]))::int AS live, count(*) FILTER (WHERE status = 'EXCEPTION')::int AS exceptions
         FROM governance.workflow_run WHERE status = ANY($1::text[]) OR status = 'EXCEPTION'`,
      [LIVE],
    );
    return row ?? { live: 0, exceptions: 0 };
  }
}
