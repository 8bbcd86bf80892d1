import { WorkflowKind, WorkflowStepError, type JsonObject, type StepContext, type WorkflowDefinition } from '../workflow-definition';
import { entered } from './graph';

/**
 * Invoice sources (DOMAIN.md §2, time/expense-to-invoice): when ERP posts an invoice, PSA stamps its time entries and
 * expenses INVOICED with the invoice and line (immutable from then on); when ERP cancels it, PSA sends them back to
 * APPROVED, unlinked, so they can be billed again. Both PSA mutations are retry-safe, so the steps are idempotent.
 */

interface InvoiceView {
  id: string;
  number: string | null;
  status: string;
  lines: { id: string; sourceType: string; sourceIds: string[] }[];
}

async function loadInvoice(context: StepContext): Promise<InvoiceView> {
  const { invoice } = await context.gateway.request<{ invoice: InvoiceView | null }>(
    `query ($id: ID!) { invoice(id: $id) { id number status lines { id sourceType sourceIds } } }`,
    { id: context.payload.invoiceId },
  );
  if (!invoice) {
    throw new WorkflowStepError(`invoice ${String(context.payload.invoiceId)} does not exist`, { permanent: true, code: 'NOT_FOUND' });
  }
  return invoice;
}

async function stampSources(context: StepContext): Promise<JsonObject> {
  const invoice = await loadInvoice(context);
  if (invoice.status !== 'POSTED') {
    // cancelled meanwhile: the cancellation's own run unlinks whatever was stamped
    return { stamped: 0, skipped: `invoice is ${invoice.status}` };
  }
  let stamped = 0;
  for (const line of invoice.lines) {
    if (line.sourceIds.length === 0 || (line.sourceType !== 'TIME' && line.sourceType !== 'EXPENSE')) {
      continue;
    }
    const mutation = line.sourceType === 'TIME' ? 'markTimeEntriesInvoiced' : 'markExpensesInvoiced';
    await context.gateway.request(
      `mutation ($ids: [ID!]!, $invoiceId: ID!, $lineId: ID) { ${mutation}(ids: $ids, invoiceId: $invoiceId, invoiceLineId: $lineId) { id } }`,
      { ids: line.sourceIds, invoiceId: invoice.id, lineId: line.id },
    );
    stamped += line.sourceIds.length;
  }
  return { stamped };
}

async function unlinkSources(context: StepContext): Promise<JsonObject> {
  const invoiceId = context.payload.invoiceId;
  const data = await context.gateway.request<{ unmarkTimeEntriesInvoiced: unknown[]; unmarkExpensesInvoiced: unknown[] }>(
    `mutation ($invoiceId: ID!) { unmarkTimeEntriesInvoiced(invoiceId: $invoiceId) { id } unmarkExpensesInvoiced(invoiceId: $invoiceId) { id } }`,
    { invoiceId },
  );
  return { unlinked: data.unmarkTimeEntriesInvoiced.length + data.unmarkExpensesInvoiced.length };
}

export const invoicePosted: WorkflowDefinition = {
  kind: WorkflowKind.INVOICE_POSTED,
  description: 'Posted invoice → PSA time entries and expenses INVOICED on it',
  steps: [{ name: 'stamp-sources', run: stampSources }],
  trigger: (event) =>
    entered(event, 'erp', 'Invoice', 'POSTED')
      ? { kind: WorkflowKind.INVOICE_POSTED, businessKey: event.entityId, payload: { invoiceId: event.entityId } }
      : null,
};

export const invoiceCancelled: WorkflowDefinition = {
  kind: WorkflowKind.INVOICE_CANCELLED,
  description: 'Cancelled invoice → its PSA time entries and expenses back to APPROVED, unlinked',
  steps: [{ name: 'unlink-sources', run: unlinkSources }],
  trigger: (event) =>
    entered(event, 'erp', 'Invoice', 'CANCELLED')
      ? { kind: WorkflowKind.INVOICE_CANCELLED, businessKey: event.entityId, payload: { invoiceId: event.entityId } }
      : null,
};
