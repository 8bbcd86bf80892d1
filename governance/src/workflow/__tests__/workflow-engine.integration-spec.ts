import { ErrorCode, newId, type AuditEvent } from '@concord/common';
import { asCaller, postGraphQL } from '@concord/testing';
import { useGovernance } from '../../__tests__/use-governance';
import { AuditLedgerService } from '../../audit/audit-ledger.service';
import { WorkflowEngine } from '../workflow-engine';
import { WorkflowRunStatus, WorkflowRunStore } from '../workflow-run.store';
import { gateFailure, WorkflowKind, WorkflowStepError, type StepContext, type WorkflowDefinition } from '../workflow-definition';

const steward = { sub: 'steward-sam', roles: ['data_steward'] };
const otherSteward = { sub: 'steward-sue', roles: ['data_steward'] };
const auditor = { sub: 'aud-ada', roles: ['auditor'] };
const consultant = { sub: 'con-carl', roles: ['consultant'] };

/** What the fake flow's steps do, per business key: programmable failures and a log of every call. */
const script = new Map<
  string,
  { failStep?: string; failTimes?: number; permanent?: boolean; gate?: string[]; slowStep?: string; slowMs?: number }
>();
const calls: string[] = [];

function step(name: string) {
  return {
    name,
    run: async (context: StepContext) => {
      calls.push(`${context.businessKey}:${name}`);
      const plan = script.get(context.businessKey) ?? {};
      if (plan.slowStep === name) {
        await new Promise((resolve) => setTimeout(resolve, plan.slowMs));
      }
      if (plan.gate && name === 'check' && !context.payload.fixed) {
        throw gateFailure(plan.gate);
      }
      if (plan.failStep === name && (plan.failTimes ?? 0) > 0) {
        plan.failTimes = (plan.failTimes ?? 0) - 1;
        throw new WorkflowStepError(`${name} failed`, {
          permanent: plan.permanent ?? false,
          code: plan.permanent ? ErrorCode.BAD_USER_INPUT : ErrorCode.SERVICE_UNAVAILABLE,
        });
      }
      return { [`${name}Done`]: true, seenBefore: Object.keys(context.state).sort() };
    },
  };
}

/** A three-step flow started by a CRM opportunity reaching CLOSED_WON. */
const fakeFlow: WorkflowDefinition = {
  kind: WorkflowKind.OPPORTUNITY_TO_PROJECT,
  description: 'test flow',
  steps: [step('check'), step('erp'), step('psa')],
  trigger: (event) =>
    event.entity === 'Opportunity' && event.after?.stage === 'CLOSED_WON' && event.before?.stage !== 'CLOSED_WON'
      ? { kind: WorkflowKind.OPPORTUNITY_TO_PROJECT, businessKey: event.entityId, payload: { opportunityId: event.entityId } }
      : null,
};

function closedWon(opportunityId: string, correlationId = `corr-${opportunityId.slice(-6)}`): AuditEvent {
  return {
    eventId: newId(),
    occurredAt: new Date().toISOString(),
    service: 'crm',
    actor: { sub: 'rep-1', roles: ['sales'] },
    action: 'transition',
    entity: 'Opportunity',
    entityId: opportunityId,
    before: { stage: 'NEGOTIATION' },
    after: { stage: 'CLOSED_WON' },
    changedFields: ['stage'],
    reason: null,
    correlationId,
    policyVersion: '1',
  };
}

const RUN_FIELDS = `id kind businessKey status correlationId payload state steps stepsDone attempts
  lastError { code message permanent step reasons } events { kind step attempt message actor }`;

describe('workflow engine and exception queue', () => {
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
      maxAttempts: 3,
      // short, so the heartbeat test outlasts it
      leaseMs: 1_000,
      firstBackoffMs: 1,
      maxBackoffMs: 5,
      definitions: [fakeFlow],
    },
  });
  const gql = (caller: { sub: string; roles: string[] }, query: string, variables?: Record<string, unknown>) =>
    postGraphQL(service.graphqlUrl, query, variables, asCaller(caller));
  const store = () => service.app.get(WorkflowRunStore);
  const ingest = (...events: AuditEvent[]) => service.app.get(AuditLedgerService).ingest(events);
  /** Runs due runs until none is due (backoffs here are milliseconds). */
  async function drain(): Promise<void> {
    for (let round = 0; round < 20; round++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      const ran = await service.app.get(WorkflowEngine).runDue();
      if (ran === 0 && round > 2) {
        return;
      }
    }
  }
  const ledger = (
    action: string,
    entityId: string,
  ): Promise<{ actor: any; before: any; after: any; reason: string; correlation_id: string; changed_fields: string[] }[]> =>
    service.dataSource.query(
      `SELECT actor, before, after, reason, correlation_id, changed_fields FROM governance.audit_event WHERE action = $1 AND entity_id = $2 ORDER BY position`,
      [action, entityId],
    );

  beforeEach(() => {
    calls.length = 0;
    script.clear();
  });

  it('should start one run per opportunity however often its closed-won event arrives, with the event’s correlation id', async () => {
    const opportunityId = newId();
    const event = closedWon(opportunityId);

    await ingest(event);
    await ingest(event, closedWon(opportunityId, 'a-later-request'));
    await ingest({ ...closedWon(newId()), after: { stage: 'PROPOSAL' } });

    const runs = await service.dataSource.query(
      `SELECT business_key, status, correlation_id, trigger_event_id FROM governance.workflow_run`,
    );
    expect(runs).toEqual([
      { business_key: opportunityId, status: 'PENDING', correlation_id: event.correlationId, trigger_event_id: event.eventId },
    ]);
  });

  it('should run every step once, in order, each seeing the outputs before it, and succeed', async () => {
    const opportunityId = newId();
    await ingest(closedWon(opportunityId));

    await drain();

    const run = (await store().byKey(WorkflowKind.OPPORTUNITY_TO_PROJECT, opportunityId))!;
    expect(calls.filter((call) => call.startsWith(opportunityId))).toEqual([
      `${opportunityId}:check`,
      `${opportunityId}:erp`,
      `${opportunityId}:psa`,
    ]);
    expect(run).toMatchObject({ status: WorkflowRunStatus.SUCCEEDED, step: 3, attempts: 1, lastError: null });
    expect(run.state).toEqual({ checkDone: true, erpDone: true, psaDone: true, seenBefore: ['checkDone', 'erpDone', 'seenBefore'] });
    expect(run.completedAt).toBeInstanceOf(Date);
  });

  it('should retry a transient failure from the failed step, not from the start', async () => {
    const opportunityId = newId();
    script.set(opportunityId, { failStep: 'erp', failTimes: 2 });
    await ingest(closedWon(opportunityId));

    await drain();

    const run = (await store().byKey(WorkflowKind.OPPORTUNITY_TO_PROJECT, opportunityId))!;
    expect(calls).toEqual([
      `${opportunityId}:check`,
      `${opportunityId}:erp`,
      `${opportunityId}:erp`,
      `${opportunityId}:erp`,
      `${opportunityId}:psa`,
    ]);
    expect(run).toMatchObject({ status: WorkflowRunStatus.SUCCEEDED, attempts: 3 });
    const events = (await store().events([run.id])).get(run.id)!;
    expect(events.map((event) => [event.kind, event.step, event.attempt])).toEqual([
      ['started', null, null],
      ['step', 'check', 1],
      ['failed', 'erp', 1],
      ['failed', 'erp', 2],
      ['step', 'erp', 3],
      ['step', 'psa', 3],
      ['succeeded', null, 3],
    ]);
  });

  it('should park a run in the exception queue after its last attempt, in the ledger under the flow’s correlation id', async () => {
    const opportunityId = newId();
    script.set(opportunityId, { failStep: 'psa', failTimes: 99 });
    const event = closedWon(opportunityId);
    await ingest(event);

    await drain();

    const run = (await store().byKey(WorkflowKind.OPPORTUNITY_TO_PROJECT, opportunityId))!;
    expect(run).toMatchObject({ status: WorkflowRunStatus.EXCEPTION, attempts: 3, step: 2 });
    expect(run.lastError).toMatchObject({ code: ErrorCode.SERVICE_UNAVAILABLE, step: 'psa', permanent: false, message: 'psa failed' });
    const [audit] = await ledger('workflow.exception', run.id);
    expect(audit).toMatchObject({
      actor: { sub: 'workflow-engine', roles: ['integration'] },
      correlation_id: event.correlationId,
      reason: 'psa failed',
      after: { status: 'EXCEPTION', kind: 'OPPORTUNITY_TO_PROJECT', businessKey: opportunityId },
    });
  });

  it('should send a gate failure to the exception queue at once with every reason, and replay it with a fixed payload', async () => {
    const opportunityId = newId();
    script.set(opportunityId, { gate: ['no accepted quote', 'no legal entity in EUR'] });
    await ingest(closedWon(opportunityId));
    await drain();
    const parked = (await store().byKey(WorkflowKind.OPPORTUNITY_TO_PROJECT, opportunityId))!;
    expect(parked).toMatchObject({ status: 'EXCEPTION', attempts: 1, step: 0 });
    expect(parked.lastError).toMatchObject({
      code: 'GATE_FAILED',
      permanent: true,
      reasons: ['no accepted quote', 'no legal entity in EUR'],
    });

    const queue = await gql(
      auditor,
      `{ workflowRuns(statusIn: [EXCEPTION], kind: OPPORTUNITY_TO_PROJECT, businessKey: "${opportunityId}", first: 100) { edges { node { ${RUN_FIELDS} } } } }`,
    );
    expect(queue.errors).toBeUndefined();
    expect(queue.data!.workflowRuns.edges.map((edge: any) => edge.node.businessKey)).toContain(opportunityId);

    const replay = await gql(
      steward,
      `mutation ($id: ID!, $payload: JSON) { replayWorkflowRun(id: $id, reason: "entity set by finance", payload: $payload) { ${RUN_FIELDS} } }`,
      {
        id: parked.id,
        payload: { opportunityId, fixed: true },
      },
    );
    expect(replay.errors).toBeUndefined();
    expect(replay.data!.replayWorkflowRun).toMatchObject({ status: 'PENDING', attempts: 0, payload: { opportunityId, fixed: true } });
    await drain();

    const done = (await store().byKey(WorkflowKind.OPPORTUNITY_TO_PROJECT, opportunityId))!;
    expect(done.status).toBe(WorkflowRunStatus.SUCCEEDED);
    const [audit] = await ledger('workflow.replay', parked.id);
    expect(audit).toMatchObject({
      actor: { sub: steward.sub, roles: steward.roles },
      reason: 'entity set by finance',
      before: { status: 'EXCEPTION' },
      after: { status: 'PENDING', payload: { fixed: true }, payloadPatch: [{ op: 'add', path: '/fixed', value: true }] },
      changed_fields: ['status', 'payload.fixed'],
    });
    // the edit as a diff: only the changed keys, not the whole payload
    expect(audit.before.payload).toEqual({});
    expect(audit.after.payload).toEqual({ fixed: true });
  });

  it('should let a steward dismiss a parked run with a reason, and refuse to replay or dismiss one that is not parked', async () => {
    const opportunityId = newId();
    script.set(opportunityId, { failStep: 'check', failTimes: 1, permanent: true });
    await ingest(closedWon(opportunityId));
    await drain();
    const parked = (await store().byKey(WorkflowKind.OPPORTUNITY_TO_PROJECT, opportunityId))!;
    const dismiss = `mutation ($id: ID!, $reason: String!) { dismissWorkflowRun(id: $id, reason: $reason) { status events { kind actor message } } }`;

    const blank = await gql(steward, dismiss, { id: parked.id, reason: '  ' });
    const dismissed = await gql(otherSteward, dismiss, { id: parked.id, reason: 'duplicate deal, handled by hand' });
    const again = await gql(steward, dismiss, { id: parked.id, reason: 'again' });
    const missing = await gql(steward, dismiss, { id: newId(), reason: 'x' });

    expect(blank.errors![0].extensions!.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(dismissed.errors).toBeUndefined();
    expect(dismissed.data!.dismissWorkflowRun.status).toBe('DISMISSED');
    expect(dismissed.data!.dismissWorkflowRun.events.at(-1)).toEqual({
      kind: 'dismissed',
      actor: otherSteward.sub,
      message: 'dismissed by steward-sue: duplicate deal, handled by hand',
    });
    expect(again.errors![0].extensions!.code).toBe(ErrorCode.CONFLICT);
    expect(missing.errors![0].extensions!.code).toBe(ErrorCode.NOT_FOUND);
    expect(await ledger('workflow.dismiss', parked.id)).toHaveLength(1);
  });

  it('should refuse the queue to a consultant and replays to an auditor', async () => {
    const opportunityId = newId();
    script.set(opportunityId, { failStep: 'check', failTimes: 1, permanent: true });
    await ingest(closedWon(opportunityId));
    await drain();
    const parked = (await store().byKey(WorkflowKind.OPPORTUNITY_TO_PROJECT, opportunityId))!;

    const read = await gql(consultant, `{ workflowRuns { edges { node { id } } } }`);
    const replay = await gql(auditor, `mutation ($id: ID!) { replayWorkflowRun(id: $id, reason: "x") { id } }`, { id: parked.id });

    expect(read.errors![0].extensions!.code).toBe(ErrorCode.FORBIDDEN);
    expect(replay.errors![0].extensions!.code).toBe(ErrorCode.FORBIDDEN);
    expect((await store().get(parked.id))!.status).toBe(WorkflowRunStatus.EXCEPTION);
  });

  it('should let another worker take over a run whose worker stopped reporting, and ignore the old worker afterwards', async () => {
    const opportunityId = newId();
    await ingest(closedWon(opportunityId));
    const [claimed] = await store().claim('worker-a', 10);
    expect(claimed.businessKey).toBe(opportunityId);
    expect(await store().claim('worker-b', 10)).toEqual([]);

    await service.dataSource.query(`UPDATE governance.workflow_run SET lease_until = now() - interval '1 second' WHERE id = $1`, [
      claimed.id,
    ]);
    const [taken] = await store().claim('worker-b', 10);
    const stale = await store().recordStep(claimed, 'worker-a', { index: 0, name: 'check', output: { stale: true } });

    expect(taken).toMatchObject({ id: claimed.id, attempts: 2 });
    expect(stale).toBe(false);
    expect((await store().get(claimed.id))!.state).toEqual({});
  });

  it('should keep the lease of a step that outlasts it, so no other worker takes the run meanwhile', async () => {
    const opportunityId = newId();
    script.set(opportunityId, { slowStep: 'erp', slowMs: 2_500 });
    await ingest(closedWon(opportunityId));

    const running = service.app.get(WorkflowEngine).runDue();
    await new Promise((resolve) => setTimeout(resolve, 1_800));
    // (runs of earlier tests whose short leases lapsed may be taken: not this one)
    const stolen = (await store().claim('worker-b', 10)).filter((run) => run.businessKey === opportunityId);
    await running;

    expect(stolen).toEqual([]);
    expect(await store().byKey(WorkflowKind.OPPORTUNITY_TO_PROJECT, opportunityId)).toMatchObject({
      status: WorkflowRunStatus.SUCCEEDED,
      attempts: 1,
    });
    expect(calls.filter((call) => call === `${opportunityId}:erp`)).toHaveLength(1);
  });
});
