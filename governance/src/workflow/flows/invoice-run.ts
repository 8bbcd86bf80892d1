import { decimal, toAmount } from '@concord/common';
import { WorkflowKind, WorkflowStepError, type JsonObject, type StepContext, type WorkflowDefinition } from '../workflow-definition';
import { entered, nodes, type Edges } from './graph';

/**
 * Time and expenses to cash (DOMAIN.md §2). Two flows:
 *
 * - MILESTONE_ACCEPTED: a PSA milestone entering ACCEPTED makes its ERP billing schedule lines READY.
 * - INVOICE_RUN (started by finance with startInvoiceRun): makes the date-based schedule lines due by the period end
 *   READY, then per contract creates ONE draft invoice for the period from PSA's billableWork (APPROVED billable
 *   uninvoiced time per project and bill rate, expenses per project and category, exact sums and the source ids) and
 *   the contract's READY schedule lines (one line each), in one createInvoice each.
 *
 * Idempotent: a contract that already has a live invoice for the period end (the natural key contract +
 * billingPeriodEnd) is left alone, so a retried step finds the draft it made; sources already on a live invoice
 * (an earlier period's draft not yet posted: PSA marks them INVOICED only on POST) are left out, and ERP refuses a
 * source on two live invoices (CONFLICT) should two runs race.
 */

const PAGE = 100;

interface Money {
  amount: string;
  currency: string;
}

interface WorkGroup {
  contractId: string;
  projectId: string;
  projectCode: string;
  sourceType: 'TIME' | 'EXPENSE';
  billRate: Money | null;
  category: string | null;
  hours: string | null;
  amount: Money;
  from: string;
  to: string;
  count: number;
  sourceIds: string[];
}

interface ScheduleLineView {
  id: string;
  contractId: string;
  plannedDate: string;
  description: string | null;
  milestoneId: string | null;
  amount: Money | null;
  billingSchedule: { contractLineId: string };
}

interface ScheduleLinePage {
  billingScheduleLines: Edges<ScheduleLineView> & { pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

interface ContractView {
  id: string;
  number: string;
  status: string;
  customerId: string;
  legalEntityId: string;
  currency: string;
}

interface InvoiceLineInput {
  sourceType: string;
  sourceIds?: string[];
  description: string;
  qty: string;
  rate: string;
  amount?: string;
  contractLineId?: string;
  billingScheduleLineId?: string;
}

const BILLABLE_CONTRACT_STATUSES = new Set(['ACTIVE', 'SUSPENDED', 'COMPLETED', 'TERMINATED']);

const periodEndOf = (context: StepContext): string => String(context.payload.periodEnd);
const contractIdOf = (context: StepContext): string | null =>
  typeof context.payload.contractId === 'string' ? context.payload.contractId : null;

/** Date-based schedule lines planned by the period end (never after today) become READY. */
async function readyScheduleLines(context: StepContext): Promise<JsonObject> {
  const today = new Date().toISOString().slice(0, 10);
  const periodEnd = periodEndOf(context);
  const { readyBillingScheduleLines } = await context.gateway.request<{ readyBillingScheduleLines: { id: string }[] }>(
    `mutation ($asOf: String, $contractId: ID) { readyBillingScheduleLines(asOf: $asOf, contractId: $contractId) { id } }`,
    { asOf: periodEnd < today ? periodEnd : today, contractId: contractIdOf(context) },
  );
  return { scheduleLinesMadeReady: readyBillingScheduleLines.length };
}

async function readyLinesToBill(context: StepContext): Promise<ScheduleLineView[]> {
  const lines: ScheduleLineView[] = [];
  let after: string | null = null;
  for (;;) {
    const page: ScheduleLinePage = await context.gateway.request<ScheduleLinePage>(
      `query ($contractId: ID, $after: String) {
         billingScheduleLines(filter: { statusIn: [READY], contractId: $contractId }, first: ${PAGE}, after: $after) {
           edges { node { id contractId plannedDate description milestoneId amount { amount currency } billingSchedule { contractLineId } } }
           pageInfo { hasNextPage endCursor } } }`,
      { contractId: contractIdOf(context), after },
    );
    lines.push(...nodes(page.billingScheduleLines));
    if (!page.billingScheduleLines.pageInfo.hasNextPage) {
      break;
    }
    after = page.billingScheduleLines.pageInfo.endCursor;
  }
  // a milestone line is READY once accepted, whatever its date; a date-based one bills in the period of its date
  return lines.filter((line) => line.amount !== null && (line.milestoneId !== null || line.plannedDate <= periodEndOf(context)));
}

/** The contract's live invoices: the one of this period (natural key), and the drafts whose schedule lines are taken. */
async function liveInvoicesOf(
  context: StepContext,
  contractId: string,
): Promise<{ ofPeriod: { id: string; status: string } | null; draftScheduleLineIds: Set<string> }> {
  const { invoices } = await context.gateway.request<{
    invoices: Edges<{ id: string; status: string; billingPeriodEnd: string | null; lines: { billingScheduleLineId: string | null }[] }>;
  }>(
    `query ($contractId: ID!) { invoices(filter: { contractId: $contractId, statusIn: [DRAFT, POSTED] }, first: ${PAGE}) {
       edges { node { id status billingPeriodEnd lines { billingScheduleLineId } } } } }`,
    { contractId },
  );
  const live = nodes(invoices);
  const ofPeriod = live.find((invoice) => invoice.billingPeriodEnd === periodEndOf(context)) ?? null;
  const draftScheduleLineIds = new Set(
    live
      .filter((invoice) => invoice.status === 'DRAFT')
      .flatMap((invoice) => invoice.lines.map((line) => line.billingScheduleLineId))
      .filter((id): id is string => id !== null),
  );
  return { ofPeriod: ofPeriod && { id: ofPeriod.id, status: ofPeriod.status }, draftScheduleLineIds };
}

/** The ids of `groups` already on a live invoice (a draft of an earlier period still waiting for posting). */
async function billedSources(context: StepContext, groups: readonly WorkGroup[]): Promise<Set<string>> {
  const billed = new Set<string>();
  for (const sourceType of ['TIME', 'EXPENSE'] as const) {
    const sourceIds = groups.filter((group) => group.sourceType === sourceType).flatMap((group) => group.sourceIds);
    if (sourceIds.length === 0) {
      continue;
    }
    const { billedInvoiceSources } = await context.gateway.request<{ billedInvoiceSources: string[] }>(
      `query ($sourceType: InvoiceLineSourceType!, $sourceIds: [ID!]!) { billedInvoiceSources(sourceType: $sourceType, sourceIds: $sourceIds) }`,
      { sourceType, sourceIds },
    );
    billedInvoiceSources.forEach((id) => billed.add(id));
  }
  return billed;
}

/** One invoice line per work group: time at its bill rate (qty = hours), expenses per category (qty 1). */
function workLine(group: WorkGroup): InvoiceLineInput {
  const period = group.from === group.to ? group.from : `${group.from} to ${group.to}`;
  if (group.sourceType === 'TIME') {
    const rate = group.billRate!.amount;
    return {
      sourceType: 'TIME',
      sourceIds: group.sourceIds,
      description: `${group.projectCode}: ${group.count} time entries at ${rate} ${group.amount.currency}/h, ${period}`,
      qty: group.hours!,
      // the ERP prices lines to the cent; the line bills its entries' own amounts exactly
      rate: toAmount(decimal(rate)),
      amount: group.amount.amount,
    };
  }
  return {
    sourceType: 'EXPENSE',
    sourceIds: group.sourceIds,
    description: `${group.projectCode}: ${group.count} ${String(group.category).toLowerCase()} expense(s), ${period}`,
    qty: '1',
    rate: group.amount.amount,
    amount: group.amount.amount,
  };
}

function scheduleLine(line: ScheduleLineView): InvoiceLineInput {
  return {
    sourceType: line.milestoneId ? 'MILESTONE' : 'FIXED',
    ...(line.milestoneId ? { sourceIds: [line.milestoneId] } : {}),
    description: line.description ?? `Scheduled billing of ${line.plannedDate}`,
    qty: '1',
    rate: line.amount!.amount,
    contractLineId: line.billingSchedule.contractLineId,
    billingScheduleLineId: line.id,
  };
}

/**
 * A work group with a source already on a live invoice waits for a later run: PSA answers sums per group, not per
 * source, and once that invoice is posted (sources INVOICED) or cancelled (sources back) PSA's groups are clean again.
 */
function unbilledGroups(groups: readonly WorkGroup[], billed: ReadonlySet<string>): { kept: WorkGroup[]; deferred: number } {
  const kept = groups.filter((group) => !group.sourceIds.some((id) => billed.has(id)));
  return { kept, deferred: groups.length - kept.length };
}

async function createDrafts(context: StepContext): Promise<JsonObject> {
  const periodEnd = periodEndOf(context);
  const only = contractIdOf(context);
  const { billableWork } = await context.gateway.request<{ billableWork: WorkGroup[] }>(
    `query ($periodEnd: String!, $contractIds: [ID!]) { billableWork(periodEnd: $periodEnd, contractIds: $contractIds) {
       contractId projectId projectCode sourceType billRate { amount currency } category hours amount { amount currency } from to count sourceIds } }`,
    { periodEnd, contractIds: only ? [only] : null },
  );
  const scheduled = await readyLinesToBill(context);
  const contractIds = [...new Set([...billableWork.map((group) => group.contractId), ...scheduled.map((line) => line.contractId)])].sort();

  const invoices: JsonObject[] = [];
  const skipped: JsonObject[] = [];
  for (const contractId of contractIds) {
    const { contract } = await context.gateway.request<{ contract: ContractView | null }>(
      `query ($id: ID!) { contract(id: $id) { id number status customerId legalEntityId currency } }`,
      { id: contractId },
    );
    if (!contract || !BILLABLE_CONTRACT_STATUSES.has(contract.status)) {
      skipped.push({ contractId, reason: contract ? `contract ${contract.number} is ${contract.status}` : 'no such contract in ERP' });
      continue;
    }
    const live = await liveInvoicesOf(context, contractId);
    if (live.ofPeriod) {
      invoices.push({ contractId, invoiceId: live.ofPeriod.id, created: false, status: live.ofPeriod.status });
      continue;
    }
    const groups = billableWork.filter((group) => group.contractId === contractId);
    const otherCurrency = groups.filter((group) => group.amount.currency !== contract.currency);
    const { kept, deferred } = unbilledGroups(
      groups.filter((group) => group.amount.currency === contract.currency),
      await billedSources(context, groups),
    );
    const lines = [
      ...kept.map(workLine),
      ...scheduled.filter((line) => line.contractId === contractId && !live.draftScheduleLineIds.has(line.id)).map(scheduleLine),
    ];
    if (otherCurrency.length > 0 || deferred > 0) {
      skipped.push({
        contractId,
        reason: 'work left for a later run',
        otherCurrencyGroups: otherCurrency.length,
        groupsOnLiveInvoices: deferred,
      });
    }
    if (lines.length === 0) {
      continue;
    }
    const projectIds = [...new Set(kept.map((group) => group.projectId))];
    const created = await createInvoice(context, {
      customerId: contract.customerId,
      legalEntityId: contract.legalEntityId,
      contractId,
      projectId: projectIds.length === 1 ? projectIds[0] : null,
      billingPeriodEnd: periodEnd,
      lines,
    });
    invoices.push({ contractId, invoiceId: created.id, created: true, lines: lines.length, total: created.total.amount });
  }
  return { invoices, skipped };
}

async function createInvoice(context: StepContext, input: JsonObject): Promise<{ id: string; total: Money }> {
  try {
    const { createInvoice: invoice } = await context.gateway.request<{ createInvoice: { id: string; total: Money } }>(
      `mutation ($input: CreateInvoiceInput!) { createInvoice(input: $input) { id total { amount currency } } }`,
      { input },
    );
    return invoice;
  } catch (error) {
    // another run billed some of these sources meanwhile: the retry finds its draft, or bills what is left
    if (error instanceof WorkflowStepError && error.options.code === 'CONFLICT') {
      throw new WorkflowStepError(error.message, { ...error.options, permanent: false });
    }
    throw error;
  }
}

export const invoiceRun: WorkflowDefinition = {
  kind: WorkflowKind.INVOICE_RUN,
  description: 'Invoice run for a period: READY schedule lines and APPROVED billable time and expenses → one draft invoice per contract',
  steps: [
    { name: 'ready-schedule-lines', run: readyScheduleLines },
    { name: 'create-drafts', run: createDrafts },
  ],
  // started by finance (startInvoiceRun), never by a ledger event
  trigger: () => null,
};

async function readyMilestoneLines(context: StepContext): Promise<JsonObject> {
  const { readyBillingScheduleLines } = await context.gateway.request<{ readyBillingScheduleLines: { id: string }[] }>(
    `mutation ($milestoneId: ID) { readyBillingScheduleLines(milestoneId: $milestoneId) { id } }`,
    { milestoneId: context.payload.milestoneId },
  );
  return { scheduleLinesMadeReady: readyBillingScheduleLines.map((line) => line.id) };
}

export const milestoneAccepted: WorkflowDefinition = {
  kind: WorkflowKind.MILESTONE_ACCEPTED,
  description: 'Accepted PSA milestone → its ERP billing schedule lines READY',
  steps: [{ name: 'ready-schedule-lines', run: readyMilestoneLines }],
  trigger: (event) =>
    entered(event, 'psa', 'Milestone', 'ACCEPTED')
      ? { kind: WorkflowKind.MILESTONE_ACCEPTED, businessKey: event.entityId, payload: { milestoneId: event.entityId } }
      : null,
};
