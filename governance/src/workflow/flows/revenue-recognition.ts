import { isFirstOfMonth, isUuid, lastDayOfMonth, type AuditActor } from '@concord/common';
import { WorkflowKind, WorkflowStepError, type JsonObject, type StepContext, type WorkflowDefinition } from '../workflow-definition';
import type { WorkflowRun, WorkflowRunStore } from '../workflow-run.store';
import { WorkflowException, WorkflowExceptionCode } from '../workflow.exception';
import { nodes, type Edges } from './graph';

/**
 * Revenue recognition of a month (issue 6, DOMAIN.md §1 RevenueEntry), started by finance (startRevenueRecognition)
 * or by a monthly job (requestRevenueRecognition): once per period and scope (business key `period:contractId|all`).
 *
 * 1. read-psa-facts: PSA's revenueDeliveries of the month (APPROVED and INVOICED billable time and expenses per
 *    project and contract line, and each project's percent complete), kept in the run's state per contract.
 * 2. recognize: per contract in a billable state started by the period end, ERP's recognizeRevenue with that
 *    contract's facts. Work PSA could not tie to a contract line (expenses, time without a task naming a line) goes to
 *    the contract's only TM_AS_DELIVERED line; with none or several it is reported as unassigned, as is work in
 *    another currency than the contract's. ERP keeps an entry already recognised for the period, so a retried or
 *    replayed step writes nothing twice; a missing FX rate (BAD_USER_INPUT) parks the run for a steward.
 */

const PAGE = 100;
const BILLABLE_CONTRACT_STATUSES = ['ACTIVE', 'SUSPENDED', 'COMPLETED', 'TERMINATED'];

interface Money {
  amount: string;
  currency: string;
}

interface Delivery {
  contractId: string;
  projectId: string;
  contractLineId: string | null;
  sourceType: string;
  amount: Money;
}

interface Progress {
  projectId: string;
  contractId: string;
  percentComplete: string;
  contractLineIds: string[];
}

interface ContractFacts {
  delivered: Delivery[];
  progress: Progress[];
}

interface ContractView {
  id: string;
  number: string;
  currency: string;
  lines: { id: string; revRecMethod: string }[];
}

interface ContractPage {
  contracts: Edges<ContractView> & { pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

const periodOf = (context: StepContext): string => String(context.payload.period);
const contractIdOf = (context: StepContext): string | null =>
  typeof context.payload.contractId === 'string' ? context.payload.contractId : null;

async function readPsaFacts(context: StepContext): Promise<JsonObject> {
  const period = periodOf(context);
  const only = contractIdOf(context);
  const { revenueDeliveries } = await context.gateway.request<{ revenueDeliveries: { delivered: Delivery[]; progress: Progress[] } }>(
    `query ($from: String!, $to: String!, $contractIds: [ID!]) { revenueDeliveries(from: $from, to: $to, contractIds: $contractIds) {
       delivered { contractId projectId contractLineId sourceType amount { amount currency } }
       progress { projectId contractId percentComplete contractLineIds } } }`,
    { from: period, to: lastDayOfMonth(period), contractIds: only ? [only] : null },
  );
  const facts: Record<string, ContractFacts> = {};
  const of = (contractId: string): ContractFacts => (facts[contractId] ??= { delivered: [], progress: [] });
  revenueDeliveries.delivered.forEach((delivery) => of(delivery.contractId).delivered.push(delivery));
  revenueDeliveries.progress.forEach((progress) => of(progress.contractId).progress.push(progress));
  return { facts: facts as unknown as JsonObject };
}

async function contractsInScope(context: StepContext): Promise<ContractView[]> {
  const only = contractIdOf(context);
  if (only) {
    const { contract } = await context.gateway.request<{ contract: (ContractView & { status: string }) | null }>(
      `query ($id: ID!) { contract(id: $id) { id number status currency lines { id revRecMethod } } }`,
      { id: only },
    );
    if (!contract) {
      throw new WorkflowStepError(`contract ${only} does not exist`, { permanent: true, code: 'NOT_FOUND' });
    }
    return [contract];
  }
  const contracts: ContractView[] = [];
  let after: string | null = null;
  for (;;) {
    const page: ContractPage = await context.gateway.request<ContractPage>(
      `query ($statuses: [ContractStatus!], $startedBy: String, $after: String) {
         contracts(filter: { statusIn: $statuses, startDateTo: $startedBy }, orderBy: { field: NUMBER, direction: ASC }, first: ${PAGE}, after: $after) {
           edges { node { id number currency lines { id revRecMethod } } } pageInfo { hasNextPage endCursor } } }`,
      { statuses: BILLABLE_CONTRACT_STATUSES, startedBy: lastDayOfMonth(periodOf(context)), after },
    );
    contracts.push(...nodes(page.contracts));
    if (!page.contracts.pageInfo.hasNextPage) {
      break;
    }
    after = page.contracts.pageInfo.endCursor;
  }
  return contracts;
}

/** The contract's deliveries as ERP takes them: on a line of the contract, in the contract currency. */
export function deliveriesFor(
  contract: ContractView,
  delivered: readonly Delivery[],
): { input: JsonObject[]; unassigned: Delivery[]; otherCurrency: Delivery[] } {
  const lineIds = new Set(contract.lines.map((line) => line.id));
  const asDelivered = contract.lines.filter((line) => line.revRecMethod === 'TM_AS_DELIVERED');
  const input: JsonObject[] = [];
  const unassigned: Delivery[] = [];
  const otherCurrency: Delivery[] = [];
  for (const delivery of delivered) {
    if (delivery.amount.currency !== contract.currency) {
      otherCurrency.push(delivery);
      continue;
    }
    const contractLineId =
      delivery.contractLineId && lineIds.has(delivery.contractLineId)
        ? delivery.contractLineId
        : asDelivered.length === 1
          ? asDelivered[0].id
          : null;
    if (!contractLineId) {
      unassigned.push(delivery);
      continue;
    }
    input.push({ contractLineId, amount: delivery.amount.amount, currency: delivery.amount.currency, projectId: delivery.projectId });
  }
  return { input, unassigned, otherCurrency };
}

async function recognize(context: StepContext): Promise<JsonObject> {
  const period = periodOf(context);
  const facts = (context.state.facts ?? {}) as unknown as Record<string, ContractFacts>;
  const contracts = await contractsInScope(context);
  let entries = 0;
  let skipped = 0;
  const unassigned: JsonObject[] = [];
  const otherCurrency: JsonObject[] = [];
  for (const contract of contracts) {
    const own = facts[contract.id] ?? { delivered: [], progress: [] };
    const delivered = deliveriesFor(contract, own.delivered);
    const { recognizeRevenue } = await context.gateway.request<{ recognizeRevenue: { entries: { id: string }[]; skipped: unknown[] } }>(
      `mutation ($input: RecognizeRevenueInput!) { recognizeRevenue(input: $input) { entries { id } skipped { contractLineId reason } } }`,
      {
        input: {
          period,
          contractId: contract.id,
          delivered: delivered.input,
          progress: own.progress.map((progress) => ({
            projectId: progress.projectId,
            contractId: progress.contractId,
            percentComplete: progress.percentComplete,
            contractLineIds: progress.contractLineIds,
          })),
        },
      },
    );
    entries += recognizeRevenue.entries.length;
    skipped += recognizeRevenue.skipped.length;
    delivered.unassigned.forEach((delivery) =>
      unassigned.push({
        contractId: contract.id,
        projectId: delivery.projectId,
        sourceType: delivery.sourceType,
        amount: delivery.amount.amount,
      }),
    );
    delivered.otherCurrency.forEach((delivery) =>
      otherCurrency.push({ contractId: contract.id, projectId: delivery.projectId, amount: delivery.amount as unknown as JsonObject }),
    );
  }
  return { contracts: contracts.length, entries, linesSkipped: skipped, unassigned, otherCurrency };
}

export const revenueRecognition: WorkflowDefinition = {
  kind: WorkflowKind.REVENUE_RECOGNITION,
  description: 'Revenue recognition of a month: PSA delivered work and progress → ERP revenue entries per contract line',
  steps: [
    { name: 'read-psa-facts', run: readPsaFacts },
    { name: 'recognize', run: recognize },
  ],
  // started by finance (startRevenueRecognition) or the calendar, never by a ledger event
  trigger: () => null,
  // every month, the month before (closed by then): its time and expenses approved, its milestones accepted
  scheduled: (now) => {
    const previous = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 10);
    return {
      kind: WorkflowKind.REVENUE_RECOGNITION,
      businessKey: revenueRecognitionKey(previous, null),
      payload: { period: previous, contractId: null },
    };
  },
};

/** The business key of a period's recognition: once per period and scope. */
export const revenueRecognitionKey = (period: string, contractId: string | null): string => `${period}:${contractId ?? 'all'}`;

/**
 * Requests the recognition of `period` (YYYY-MM-01) for every contract, or one: a new run, or the one already
 * requested for that period and scope. For finance's mutation and for a monthly job (e.g. on the 1st, the month
 * before, as a service actor).
 */
export async function requestRevenueRecognition(
  store: WorkflowRunStore,
  actor: AuditActor,
  period: string,
  contractId: string | null = null,
): Promise<{ run: WorkflowRun; created: boolean }> {
  const problems = [
    ...(isFirstOfMonth(period) ? [] : ['period must be the first day of a month (YYYY-MM-01)']),
    ...(contractId && !isUuid(contractId) ? ['contractId must be a UUID'] : []),
  ];
  if (problems.length > 0) {
    throw new WorkflowException(WorkflowExceptionCode.INVALID_INPUT, problems.join('; '), { problems });
  }
  return store.requestOnce(
    actor,
    { kind: WorkflowKind.REVENUE_RECOGNITION, businessKey: revenueRecognitionKey(period, contractId), payload: { period, contractId } },
    `revenue recognition of ${period}${contractId ? ` for contract ${contractId}` : ''}`,
  );
}
