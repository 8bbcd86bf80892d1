import { ErrorCode, newId, type AuditEvent } from '@concord/common';
import { asCaller, postGraphQL } from '@concord/testing';
import { useGovernance } from '../../__tests__/use-governance';
import { AuditLedgerService } from '../../audit/audit-ledger.service';
import { WorkflowEngine } from '../workflow-engine';
import { WorkflowRunStatus, WorkflowRunStore } from '../workflow-run.store';
import { WorkflowKind, WorkflowStepError, type StepContext, type WorkflowDefinition } from '../workflow-definition';

const steward = { sub: 'steward-sam', roles: ['data_steward'] };
const otherSteward = { sub: 'steward-sue', roles: ['data_steward'] };
const auditor = { sub: 'aud-ada', roles: ['auditor'] };

/** Business keys whose `check` step fails (permanently, with this code) until the payload says `fixed`. */
const failing = new Map<string, string>();

const flow: WorkflowDefinition = {
  kind: WorkflowKind.RENEWAL,
  description: 'test flow',
  steps: [
    {
      name: 'check',
      run: (context: StepContext) => {
        const code = failing.get(context.businessKey);
        if (code && !context.payload.fixed) {
          return Promise.reject(new WorkflowStepError(`check failed: ${code}`, { permanent: true, code }));
        }
        return Promise.resolve({ checked: true });
      },
    },
  ],
  trigger: (event) =>
    event.entity === 'Contract' && event.action === 'update' && event.after?.renew === true
      ? { kind: WorkflowKind.RENEWAL, businessKey: event.entityId, payload: { contractId: event.entityId } }
      : null,
};

function renewalEvent(contractId: string): AuditEvent {
  return {
    eventId: newId(),
    occurredAt: new Date().toISOString(),
    service: 'erp',
    actor: { sub: 'fin-1', roles: ['finance'] },
    action: 'update',
    entity: 'Contract',
    entityId: contractId,
    before: { renew: false },
    after: { renew: true },
    changedFields: ['renew'],
    reason: null,
    correlationId: `corr-${contractId.slice(-8)}`,
    policyVersion: '1',
  };
}

const CASE_FIELDS = `id runId kind businessKey runStatus state assignee resolution resolvedBy failureCode failureReason failedStep
  attempts openedAt ageSeconds resolvedAt`;

describe('exception cases and bulk replay', () => {
  const service = useGovernance({
    workflows: {
      workers: false,
      identity: {
        gatewayUrl: 'http://127.0.0.1:9/graphql',
        signingKey: 'unused',
        issuer: 'i',
        audience: 'a',
        subject: 'workflow-engine',
        requestTimeoutMs: 1000,
      },
      maxAttempts: 2,
      leaseMs: 5_000,
      firstBackoffMs: 1,
      maxBackoffMs: 5,
      definitions: [flow],
    },
  });
  const gql = (caller: { sub: string; roles: string[] }, query: string, variables?: Record<string, unknown>) =>
    postGraphQL(service.graphqlUrl, query, variables, asCaller(caller));
  const store = () => service.app.get(WorkflowRunStore);
  async function drain(): Promise<void> {
    for (let round = 0; round < 20; round++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      const ran = await service.app.get(WorkflowEngine).runDue();
      if (ran === 0 && round > 2) {
        return;
      }
    }
  }
  /** A RENEWAL run parked in the exception queue with `code`. */
  async function parkedRun(code = 'GATE_FAILED') {
    const contractId = newId();
    failing.set(contractId, code);
    await service.app.get(AuditLedgerService).ingest([renewalEvent(contractId)]);
    await drain();
    const run = (await store().byKey(WorkflowKind.RENEWAL, contractId))!;
    expect(run.status).toBe(WorkflowRunStatus.EXCEPTION);
    return run;
  }
  async function caseOf(runId: string) {
    const { data, errors } = await gql(steward, `{ exceptionCases(first: 100) { edges { node { ${CASE_FIELDS} } } } }`);
    expect(errors).toBeUndefined();
    return data!.exceptionCases.edges.map((edge: any) => edge.node).find((node: any) => node.runId === runId);
  }
  const caseLedger = (caseId: string): Promise<{ action: string; actor: any; before: any; after: any; reason: string }[]> =>
    service.dataSource.query(
      `SELECT action, actor, before, after, reason FROM governance.audit_event WHERE entity = 'ExceptionCase' AND entity_id = $1 ORDER BY position`,
      [caseId],
    );
  const transition = (caller: typeof steward, mutation: string, variables: Record<string, unknown>) =>
    gql(
      caller,
      `mutation ($id: ID!${'assignee' in variables ? ', $assignee: String!' : ''}${'reason' in variables ? ', $reason: String!' : ''}) {
        ${mutation}(id: $id${'assignee' in variables ? ', assignee: $assignee' : ''}${'reason' in variables ? ', reason: $reason' : ''}) { ${CASE_FIELDS} } }`,
      variables,
    );

  it('should open one NEW case per parked run with the failure reason and age as columns', async () => {
    const run = await parkedRun('OWNERSHIP_VIOLATION');

    const item = await caseOf(run.id);

    expect(item).toMatchObject({
      kind: 'RENEWAL',
      businessKey: run.businessKey,
      runStatus: 'EXCEPTION',
      state: 'NEW',
      assignee: null,
      failureCode: 'OWNERSHIP_VIOLATION',
      failureReason: 'check failed: OWNERSHIP_VIOLATION',
      failedStep: 'check',
    });
    expect(item.ageSeconds).toBeGreaterThanOrEqual(0);
    expect(item.ageSeconds).toBeLessThan(60);
    expect((await caseLedger(item.id)).map((event) => event.action)).toEqual(['create']);
  });

  it('should walk New → Acknowledged → Assigned → Resolved → Reopened, audit each step and refuse other moves', async () => {
    const run = await parkedRun();
    const { id } = await caseOf(run.id);

    const skipped = await transition(steward, 'reopenExceptionCase', { id, reason: 'not resolved yet' });
    const acknowledged = await transition(steward, 'acknowledgeExceptionCase', { id });
    const assigned = await transition(steward, 'assignExceptionCase', { id, assignee: 'steward-sue' });
    const blankReason = await transition(otherSteward, 'resolveExceptionCase', { id, reason: ' ' });
    const resolved = await transition(otherSteward, 'resolveExceptionCase', { id, reason: 'fixed the tax id in ERP' });
    const reopened = await transition(steward, 'reopenExceptionCase', { id, reason: 'the tax id is still wrong' });
    const byAuditor = await transition(auditor, 'acknowledgeExceptionCase', { id });

    expect(skipped.errors![0].extensions).toMatchObject({ code: ErrorCode.CONFLICT, reason: 'INVALID_CASE_TRANSITION' });
    expect(acknowledged.data!.acknowledgeExceptionCase.state).toBe('ACKNOWLEDGED');
    expect(assigned.data!.assignExceptionCase).toMatchObject({ state: 'ASSIGNED', assignee: 'steward-sue' });
    expect(blankReason.errors![0].extensions!.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(resolved.data!.resolveExceptionCase).toMatchObject({
      state: 'RESOLVED',
      resolution: 'fixed the tax id in ERP',
      resolvedBy: 'steward-sue',
    });
    expect(reopened.data!.reopenExceptionCase).toMatchObject({ state: 'REOPENED', resolution: null, assignee: 'steward-sue' });
    expect(byAuditor.errors![0].extensions!.code).toBe(ErrorCode.FORBIDDEN);
    const events = await caseLedger(id);
    expect(events.map((event) => [event.action, event.actor.sub, event.before?.state ?? null, event.after.state])).toEqual([
      ['create', 'workflow-engine', null, 'NEW'],
      ['transition', 'steward-sam', 'NEW', 'ACKNOWLEDGED'],
      ['transition', 'steward-sam', 'ACKNOWLEDGED', 'ASSIGNED'],
      ['transition', 'steward-sue', 'ASSIGNED', 'RESOLVED'],
      ['transition', 'steward-sam', 'RESOLVED', 'REOPENED'],
    ]);
    expect(events[4].reason).toBe('the tax id is still wrong');
  });

  it('should close the case on its own when a replayed run succeeds, and keep the payload edit as a patch in the ledger', async () => {
    const run = await parkedRun();
    const { id } = await caseOf(run.id);
    await transition(steward, 'assignExceptionCase', { id, assignee: 'steward-sam' });

    const replay = await gql(
      steward,
      `mutation ($id: ID!, $payload: JSON) { replayWorkflowRun(id: $id, reason: "flag set", payload: $payload) { status } }`,
      {
        id: run.id,
        payload: { ...run.payload, fixed: true },
      },
    );
    await drain();

    expect(replay.errors).toBeUndefined();
    expect((await store().get(run.id))!.status).toBe(WorkflowRunStatus.SUCCEEDED);
    expect(await caseOf(run.id)).toMatchObject({
      state: 'RESOLVED',
      resolution: 'retry succeeded',
      resolvedBy: 'workflow-engine',
      runStatus: 'SUCCEEDED',
    });
    const [audit]: { before: any; after: any }[] = await service.dataSource.query(
      `SELECT before, after FROM governance.audit_event WHERE action = 'workflow.replay' AND entity_id = $1`,
      [run.id],
    );
    expect(audit.before.payload).toEqual({});
    expect(audit.after.payload).toEqual({ fixed: true });
    expect(audit.after.payloadPatch).toEqual([{ op: 'add', path: '/fixed', value: true }]);
  });

  it('should review the parked runs a filter matches, then replay exactly the reviewed ones with one reason', async () => {
    const code = `CODE_${newId().slice(-6).toUpperCase()}`;
    const first = await parkedRun(code);
    const second = await parkedRun(code);
    const other = await parkedRun('GATE_FAILED');
    const review = `query ($filter: BulkReplayFilter!) { bulkReplayReview(filter: $filter) { cap matching capped runs { id status lastError { code } } } }`;

    const reviewed = await gql(steward, review, { filter: { kind: 'RENEWAL', errorCode: code } });
    const tooOld = await gql(steward, review, { filter: { errorCode: code, minAgeHours: 1 } });
    const byAuditor = await gql(auditor, review, { filter: { errorCode: code } });

    expect(reviewed.errors).toBeUndefined();
    expect(reviewed.data!.bulkReplayReview).toMatchObject({ cap: 100, matching: 2, capped: false });
    expect(reviewed.data!.bulkReplayReview.runs.map((run: any) => run.id).sort()).toEqual([first.id, second.id].sort());
    expect(tooOld.data!.bulkReplayReview.matching).toBe(0);
    expect(byAuditor.errors![0].extensions!.code).toBe(ErrorCode.FORBIDDEN);

    // one of the reviewed runs is dismissed meanwhile: the whole batch is refused, nothing replayed
    await gql(otherSteward, `mutation { dismissWorkflowRun(id: "${second.id}", reason: "duplicate") { status } }`);
    const bulk = `mutation ($ids: [ID!]!, $reason: String!) { bulkReplayWorkflowRuns(ids: $ids, reason: $reason) { batchId runs { id status } } }`;
    const stale = await gql(steward, bulk, { ids: [first.id, second.id], reason: 'upstream fixed' });
    expect(stale.errors![0].extensions).toMatchObject({ code: ErrorCode.CONFLICT, reason: 'RUN_NOT_IN_EXCEPTION', ids: [second.id] });
    expect((await store().get(first.id))!.status).toBe(WorkflowRunStatus.EXCEPTION);
    expect(await caseOf(second.id)).toMatchObject({ state: 'RESOLVED', resolution: 'run dismissed: duplicate' });

    const replayed = await gql(steward, bulk, { ids: [first.id, other.id], reason: 'upstream fixed' });

    expect(replayed.errors).toBeUndefined();
    expect(replayed.data!.bulkReplayWorkflowRuns.runs.map((run: any) => run.status)).toEqual(['PENDING', 'PENDING']);
    const audits: { entity_id: string; reason: string; after: any }[] = await service.dataSource.query(
      `SELECT entity_id, reason, after FROM governance.audit_event WHERE action = 'workflow.replay' AND entity_id = ANY($1::text[])`,
      [[first.id, other.id]],
    );
    expect(audits).toHaveLength(2);
    expect(new Set(audits.map((audit) => audit.after.bulkReplay.id))).toEqual(new Set([replayed.data!.bulkReplayWorkflowRuns.batchId]));
    expect(audits.every((audit) => audit.reason === 'upstream fixed' && audit.after.bulkReplay.size === 2)).toBe(true);
  });

  it('should refuse a bulk replay over the cap', async () => {
    const ids = Array.from({ length: 101 }, () => newId());

    const { errors } = await gql(steward, `mutation ($ids: [ID!]!) { bulkReplayWorkflowRuns(ids: $ids, reason: "x") { batchId } }`, {
      ids,
    });

    expect(errors![0].extensions).toMatchObject({ code: ErrorCode.BAD_USER_INPUT, problems: ['at most 100 runs per bulk replay'] });
  });
});
