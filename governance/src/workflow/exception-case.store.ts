import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  currentContext,
  decodeCursor,
  encodeCursor,
  isUuid,
  newId,
  pageSize,
  StateMachine,
  type AuditActor,
  type AuditEvent,
  type Page,
} from '@concord/common';
import { AuditLedgerService } from '../audit/audit-ledger.service';
import { PolicyBundleService } from '../policy/policy-bundle.service';
import type { WorkflowKind } from './workflow-definition';
import { WorkflowException, WorkflowExceptionCode } from './workflow.exception';

export enum ExceptionCaseState {
  NEW = 'NEW',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  ASSIGNED = 'ASSIGNED',
  RESOLVED = 'RESOLVED',
  REOPENED = 'REOPENED',
}

/** New → Acknowledged → Assigned → Resolved (with a reason) → Reopened; assigning again hands the case over. */
export const EXCEPTION_CASE_STATES = new StateMachine<ExceptionCaseState>('ExceptionCase', {
  [ExceptionCaseState.NEW]: [ExceptionCaseState.ACKNOWLEDGED, ExceptionCaseState.ASSIGNED, ExceptionCaseState.RESOLVED],
  [ExceptionCaseState.ACKNOWLEDGED]: [ExceptionCaseState.ASSIGNED, ExceptionCaseState.RESOLVED],
  [ExceptionCaseState.ASSIGNED]: [ExceptionCaseState.ASSIGNED, ExceptionCaseState.RESOLVED],
  [ExceptionCaseState.RESOLVED]: [ExceptionCaseState.REOPENED],
  [ExceptionCaseState.REOPENED]: [ExceptionCaseState.ACKNOWLEDGED, ExceptionCaseState.ASSIGNED, ExceptionCaseState.RESOLVED],
});

/** Who closes a case when its run succeeds on a retry. */
export const WORKFLOW_ENGINE_ACTOR: AuditActor = { sub: 'workflow-engine', roles: ['integration'] };
export const RETRY_SUCCEEDED = 'retry succeeded';

export interface ExceptionCase {
  id: string;
  runId: string;
  kind: WorkflowKind;
  businessKey: string;
  runStatus: string;
  correlationId: string;
  state: ExceptionCaseState;
  assignee: string | null;
  resolution: string | null;
  resolvedBy: string | null;
  failureCode: string | null;
  failureReason: string | null;
  failedStep: string | null;
  attempts: number;
  openedAt: Date;
  resolvedAt: Date | null;
  updatedAt: Date;
}

interface CaseRow {
  id: string;
  run_id: string;
  kind: WorkflowKind;
  business_key: string;
  run_status: string;
  correlation_id: string;
  state: ExceptionCaseState;
  assignee: string | null;
  resolution: string | null;
  resolved_by: string | null;
  last_error: { code?: string; message?: string; step?: string | null } | null;
  attempts: number;
  opened_at: Date;
  resolved_at: Date | null;
  updated_at: Date;
}

const CASE_SELECT = `SELECT c.id, c.run_id, r.kind, r.business_key, r.status AS run_status, r.correlation_id, c.state, c.assignee,
    c.resolution, c.resolved_by, r.last_error, r.attempts, c.opened_at, c.resolved_at, c.updated_at
  FROM governance.exception_case c JOIN governance.workflow_run r ON r.id = c.run_id`;
const CURSOR_SORT = 'openedAt';

function caseOf(row: CaseRow): ExceptionCase {
  return {
    id: row.id,
    runId: row.run_id,
    kind: row.kind,
    businessKey: row.business_key,
    runStatus: row.run_status,
    correlationId: row.correlation_id,
    state: row.state,
    assignee: row.assignee,
    resolution: row.resolution,
    resolvedBy: row.resolved_by,
    failureCode: row.last_error?.code ?? null,
    failureReason: row.last_error?.message ?? null,
    failedStep: row.last_error?.step ?? null,
    attempts: row.attempts,
    openedAt: row.opened_at,
    resolvedAt: row.resolved_at,
    updatedAt: row.updated_at,
  };
}

/**
 * The exception queue as cases (issue 7): one case per workflow run that reached EXCEPTION, worked by stewards
 * through New → Acknowledged → Assigned → Resolved (reason) → Reopened. A run that fails again reopens its resolved
 * case; a run that succeeds on a retry closes its case (Resolved, "retry succeeded"), a dismissed run's case is
 * resolved with the dismissal's reason. Every transition is a `transition` ledger event of the ExceptionCase under
 * the run's correlation id.
 */
@Injectable()
export class ExceptionCaseStore {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ledger: AuditLedgerService,
    private readonly policies: PolicyBundleService,
  ) {}

  /** The run reached EXCEPTION (inside the run's transaction): a NEW case, or its RESOLVED case REOPENED. */
  async openWithin(manager: EntityManager, runId: string, reason: string): Promise<void> {
    const [existing]: { id: string; state: ExceptionCaseState }[] = await manager.query(
      `SELECT id, state FROM governance.exception_case WHERE run_id = $1 FOR UPDATE`,
      [runId],
    );
    if (!existing) {
      const id = newId();
      await manager.query(`INSERT INTO governance.exception_case (id, run_id) VALUES ($1, $2)`, [id, runId]);
      await this.audit(manager, WORKFLOW_ENGINE_ACTOR, id, runId, null, { state: ExceptionCaseState.NEW }, reason);
    } else if (existing.state === ExceptionCaseState.RESOLVED) {
      await this.move(manager, WORKFLOW_ENGINE_ACTOR, existing.id, ExceptionCaseState.REOPENED, `failed again: ${reason}`);
    }
  }

  /** The run succeeded or was dismissed (inside its transaction): its open case, if any, is RESOLVED with `reason`. */
  async closeWithin(manager: EntityManager, runId: string, actor: AuditActor, reason: string): Promise<void> {
    const [open]: { id: string }[] = await manager.query(
      `SELECT id FROM governance.exception_case WHERE run_id = $1 AND state <> 'RESOLVED' FOR UPDATE`,
      [runId],
    );
    if (open) {
      await this.move(manager, actor, open.id, ExceptionCaseState.RESOLVED, reason);
    }
  }

  /** A steward's transition: acknowledge, assign (assignee), resolve (reason) or reopen (reason). */
  async transition(id: string, actor: AuditActor, to: ExceptionCaseState, input: { assignee?: string | null; reason?: string | null }) {
    const assignee = input.assignee?.trim() || null;
    const reason = input.reason?.trim() || null;
    const problems = [
      ...(to === ExceptionCaseState.ASSIGNED && (!assignee || assignee.length > 200)
        ? ['an assignee of 1 to 200 characters is required']
        : []),
      ...((to === ExceptionCaseState.RESOLVED || to === ExceptionCaseState.REOPENED) && (!reason || reason.length > 2_000)
        ? ['a reason of 1 to 2000 characters is required']
        : []),
    ];
    if (problems.length) {
      throw new WorkflowException(WorkflowExceptionCode.INVALID_INPUT, problems.join('; '), { problems });
    }
    if (!isUuid(id)) {
      throw new WorkflowException(WorkflowExceptionCode.CASE_NOT_FOUND, `no exception case ${id}`);
    }
    await this.dataSource.transaction(async (manager) => {
      await this.move(manager, actor, id, to, reason ?? `${to.toLowerCase()} by ${actor.sub}`, assignee);
    });
    return (await this.get(id))!;
  }

  async get(id: string): Promise<ExceptionCase | null> {
    if (!isUuid(id)) {
      return null;
    }
    const [row]: CaseRow[] = await this.dataSource.query(`${CASE_SELECT} WHERE c.id = $1`, [id]);
    return row ? caseOf(row) : null;
  }

  async byRun(runId: string): Promise<ExceptionCase | null> {
    const [row]: CaseRow[] = isUuid(runId) ? await this.dataSource.query(`${CASE_SELECT} WHERE c.run_id = $1`, [runId]) : [];
    return row ? caseOf(row) : null;
  }

  /** Cases, the oldest open first (the queue's order); filters by state, kind, assignee. */
  async page(request: {
    stateIn?: ExceptionCaseState[] | null;
    kind?: WorkflowKind | null;
    assignee?: string | null;
    first?: number | null;
    after?: string | null;
  }): Promise<Page<ExceptionCase>> {
    const limit = pageSize(request.first);
    const parameters: unknown[] = [request.stateIn?.length ? request.stateIn : null, request.kind ?? null, request.assignee ?? null];
    let seek = '';
    if (request.after) {
      const cursor = decodeCursor(request.after, CURSOR_SORT);
      parameters.push(cursor.v, cursor.id);
      seek = 'AND (c.opened_at, c.id) > ($4::timestamptz, $5::uuid)';
    }
    parameters.push(limit + 1);
    const rows: CaseRow[] = await this.dataSource.query(
      `${CASE_SELECT}
        WHERE ($1::text[] IS NULL OR c.state = ANY($1::text[])) AND ($2::text IS NULL OR r.kind = $2)
          AND ($3::text IS NULL OR c.assignee = $3) ${seek}
        ORDER BY c.opened_at, c.id LIMIT $${parameters.length}`,
      parameters,
    );
    const nodes = rows.slice(0, limit).map(caseOf);
    return {
      nodes,
      cursors: nodes.map((item) => encodeCursor({ s: CURSOR_SORT, v: item.openedAt.toISOString(), id: item.id })),
      hasNextPage: rows.length > limit,
      hasPreviousPage: Boolean(request.after),
    };
  }

  private async move(
    manager: EntityManager,
    actor: AuditActor,
    id: string,
    to: ExceptionCaseState,
    reason: string,
    assignee: string | null = null,
  ): Promise<void> {
    const [row]: { run_id: string; state: ExceptionCaseState; assignee: string | null }[] = await manager.query(
      `SELECT run_id, state, assignee FROM governance.exception_case WHERE id = $1 FOR UPDATE`,
      [id],
    );
    if (!row) {
      throw new WorkflowException(WorkflowExceptionCode.CASE_NOT_FOUND, `no exception case ${id}`);
    }
    if (!EXCEPTION_CASE_STATES.canTransition(row.state, to)) {
      throw new WorkflowException(
        WorkflowExceptionCode.INVALID_CASE_TRANSITION,
        `exception case ${id} cannot go from ${row.state} to ${to}`,
        {
          from: row.state,
          to,
        },
      );
    }
    const resolved = to === ExceptionCaseState.RESOLVED;
    const nextAssignee = to === ExceptionCaseState.ASSIGNED ? assignee : row.assignee;
    await manager.query(
      `UPDATE governance.exception_case
          SET state = $2, assignee = $3, resolution = $4, resolved_by = $5, resolved_at = $6, updated_at = now()
        WHERE id = $1`,
      [id, to, nextAssignee, resolved ? reason : null, resolved ? actor.sub : null, resolved ? new Date() : null],
    );
    await this.audit(
      manager,
      actor,
      id,
      row.run_id,
      { state: row.state, assignee: row.assignee },
      { state: to, assignee: nextAssignee, ...(resolved ? { resolution: reason } : {}) },
      reason,
    );
  }

  private async audit(
    manager: EntityManager,
    actor: AuditActor,
    id: string,
    runId: string,
    before: { state: ExceptionCaseState; assignee: string | null } | null,
    after: { state: ExceptionCaseState; assignee?: string | null; resolution?: string },
    reason: string,
  ): Promise<void> {
    const [run]: { correlation_id: string }[] = await manager.query(`SELECT correlation_id FROM governance.workflow_run WHERE id = $1`, [
      runId,
    ]);
    const assigneeChanged = before !== null && after.assignee !== undefined && before.assignee !== after.assignee;
    // a plain create / transition of the case: the ledger's action list needs no new entry
    const event: AuditEvent = {
      eventId: newId(),
      occurredAt: new Date().toISOString(),
      service: 'governance',
      action: before ? 'transition' : 'create',
      actor: { sub: actor.sub, roles: [...actor.roles] },
      entity: 'ExceptionCase',
      entityId: id,
      before: before ? { ...before, runId } : null,
      after: { ...after, runId },
      changedFields: before
        ? ['state', ...(assigneeChanged ? ['assignee'] : []), ...(after.resolution ? ['resolution'] : [])]
        : ['state', 'runId'],
      reason,
      // the flow's correlation id: the ledger shows the case next to the run's exception and replays
      correlationId: run?.correlation_id ?? currentContext()?.correlationId ?? null,
      policyVersion: String((await this.policies.latestVersion()) ?? 0),
    };
    await this.ledger.ingestWithin(manager, [event]);
  }
}
