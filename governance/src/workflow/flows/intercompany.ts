import { WorkflowKind, WorkflowStepError, type JsonObject, type StepContext, type WorkflowDefinition } from '../workflow-definition';
import { entered } from './graph';

/**
 * Intercompany (issue 6): when PSA approves time of a resource whose legal entity is not the project's, ERP records
 * the charge of the resource's entity to the project's: the cost of the entry plus the payload's markup (default 0,
 * a transfer-pricing policy per entity pair is the place to grow this). Entries within one entity end the run at once.
 * ERP keeps one charge per time entry, so the step can repeat.
 */

interface TimeEntryView {
  id: string;
  date: string;
  hours: string;
  status: string;
  costAmount: { amount: string; currency: string } | null;
  resource: { legalEntityId: string | null } | null;
  project: { id: string; legalEntityId: string | null } | null;
}

async function charge(context: StepContext): Promise<JsonObject> {
  const { timeEntry } = await context.gateway.request<{ timeEntry: TimeEntryView | null }>(
    `query ($id: ID!) { timeEntry(id: $id) { id date hours status costAmount { amount currency }
       resource { legalEntityId } project { id legalEntityId } } }`,
    { id: context.payload.timeEntryId },
  );
  if (!timeEntry) {
    throw new WorkflowStepError(`time entry ${String(context.payload.timeEntryId)} does not exist`, { permanent: true, code: 'NOT_FOUND' });
  }
  const from = timeEntry.resource?.legalEntityId ?? null;
  const to = timeEntry.project?.legalEntityId ?? null;
  if (!from || !to || from === to) {
    return { charged: false, reason: !from || !to ? 'a legal entity is not known' : 'same legal entity' };
  }
  if (!timeEntry.costAmount) {
    throw new WorkflowStepError(`time entry ${timeEntry.id} has no cost`, {
      permanent: true,
      code: 'GATE_FAILED',
      reasons: ['the time entry has no cost amount'],
    });
  }
  const { recordIntercompanyCharge } = await context.gateway.request<{
    recordIntercompanyCharge: { id: string; amount: { amount: string } };
  }>(`mutation ($input: RecordIntercompanyChargeInput!) { recordIntercompanyCharge(input: $input) { id amount { amount } } }`, {
    input: {
      sourceType: 'TIME',
      sourceId: timeEntry.id,
      fromLegalEntityId: from,
      toLegalEntityId: to,
      projectId: timeEntry.project!.id,
      date: timeEntry.date,
      hours: timeEntry.hours,
      cost: timeEntry.costAmount.amount,
      currency: timeEntry.costAmount.currency,
      markupPct: typeof context.payload.markupPct === 'string' ? context.payload.markupPct : null,
    },
  });
  return { charged: true, chargeId: recordIntercompanyCharge.id, amount: recordIntercompanyCharge.amount.amount };
}

export const intercompany: WorkflowDefinition = {
  kind: WorkflowKind.INTERCOMPANY,
  description: 'Approved time of a resource on another legal entity’s project → the intercompany charge in ERP',
  steps: [{ name: 'charge', run: charge }],
  trigger: (event) =>
    entered(event, 'psa', 'TimeEntry', 'APPROVED')
      ? { kind: WorkflowKind.INTERCOMPANY, businessKey: event.entityId, payload: { timeEntryId: event.entityId } }
      : null,
};
