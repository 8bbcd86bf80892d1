import { decimal } from '@concord/common';
import type { AuditEvent } from '@concord/common';
import { WorkflowKind, WorkflowStepError, type JsonObject, type StepContext, type WorkflowDefinition } from '../workflow-definition';
import { addDays, nodes, type Edges } from './graph';

/**
 * Renewal (DOMAIN.md §2, ContractConsumptionThresholdReached, Odoo's upsell threshold): when a contract's consumed
 * amount reaches its renewal threshold (consumed / total value ≥ renewalThresholdPct), CRM gets a renewal opportunity
 * for the client, once per contract and threshold. The opportunity's name carries the contract number, which is how a
 * repeated step finds the one it created.
 */

/** consumed / total × 100 of a ledger snapshot of a contract, or null when it has no threshold or value. */
function consumption(snapshot: Record<string, unknown> | null): { pct: ReturnType<typeof decimal>; threshold: string } | null {
  const threshold = snapshot?.renewalThresholdPct;
  const total = snapshot?.totalValueAmount;
  const consumed = snapshot?.consumedAmountAmount;
  if (typeof threshold !== 'string' || typeof total !== 'string' || typeof consumed !== 'string' || decimal(total).isZero()) {
    return null;
  }
  return { pct: decimal(consumed).times(100).dividedBy(total), threshold };
}

/** The event moved the contract's consumption from below its threshold to at or above it. */
export function crossedThreshold(event: AuditEvent): string | null {
  if (event.service !== 'erp' || event.entity !== 'Contract') {
    return null;
  }
  const after = consumption(event.after);
  if (!after || after.pct.lessThan(after.threshold)) {
    return null;
  }
  const before = consumption(event.before);
  return before && before.threshold === after.threshold && before.pct.greaterThanOrEqualTo(before.threshold) ? null : after.threshold;
}

interface ContractView {
  id: string;
  number: string;
  clientId: string;
  opportunityId: string | null;
  currency: string;
  endDate: string | null;
  totalValue: { amount: string };
  client: { ownerId: string } | null;
  opportunity: { ownerId: string } | null;
}

async function renewalOpportunity(context: StepContext): Promise<JsonObject> {
  const { contract } = await context.gateway.request<{ contract: ContractView | null }>(
    `query ($id: ID!) { contract(id: $id) { id number clientId opportunityId currency endDate totalValue { amount }
       client { ownerId } opportunity { ownerId } } }`,
    { id: context.payload.contractId },
  );
  if (!contract) {
    throw new WorkflowStepError(`contract ${String(context.payload.contractId)} does not exist`, { permanent: true, code: 'NOT_FOUND' });
  }
  const name = `Renewal of ${contract.number}`;
  const existing = await context.gateway.request<{ opportunities: Edges<{ id: string; name: string }> }>(
    `query ($clientId: ID!, $name: String!) { opportunities(first: 10, filter: { clientId: $clientId, nameContains: $name }) { edges { node { id name } } } }`,
    { clientId: contract.clientId, name },
  );
  const found = nodes(existing.opportunities).find((opportunity) => opportunity.name === name);
  if (found) {
    return { renewalOpportunityId: found.id };
  }
  const ownerId = contract.opportunity?.ownerId ?? contract.client?.ownerId;
  const today = new Date().toISOString().slice(0, 10);
  const { createOpportunity } = await context.gateway.request<{ createOpportunity: { id: string } }>(
    `mutation ($input: CreateOpportunityInput!) { createOpportunity(input: $input) { id } }`,
    {
      input: {
        name,
        clientId: contract.clientId,
        ownerId,
        currency: contract.currency,
        amount: contract.totalValue.amount,
        closeDate: contract.endDate && contract.endDate > today ? contract.endDate : addDays(today, 30),
      },
    },
  );
  return { renewalOpportunityId: createOpportunity.id };
}

export const renewal: WorkflowDefinition = {
  kind: WorkflowKind.RENEWAL,
  description: 'Contract consumption at its renewal threshold → a renewal opportunity in CRM, once',
  steps: [{ name: 'renewal-opportunity', run: renewalOpportunity }],
  trigger: (event) => {
    const threshold = crossedThreshold(event);
    return threshold
      ? {
          kind: WorkflowKind.RENEWAL,
          businessKey: `${event.entityId}@${threshold}`,
          payload: { contractId: event.entityId, thresholdPct: threshold },
        }
      : null;
  },
};
