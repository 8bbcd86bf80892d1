import { decimal } from '@concord/common';
import { WorkflowKind, WorkflowStepError, type JsonObject, type StepContext, type WorkflowDefinition } from '../workflow-definition';
import { entered, nodes, type Edges } from './graph';

/**
 * Change orders (DOMAIN.md §2): an APPROVED change order becomes, in ERP, a contract line of its delta amount and
 * hours carrying its number (`changeOrderNumber`, so the contract's version goes up and the line is found again on a
 * retry) and, for fixed-fee and milestone contracts, a billing schedule for it; then PSA adds its hours to the task
 * billed under the contract line it changes (the line its new line is modelled on: PSA records the task on the change
 * order, so the hours are added once) and applies it (APPLIED: project budget, hours and end date). A change order on
 * a project without a contract is only applied.
 */

interface ChangeOrderView {
  id: string;
  number: string;
  status: string;
  reason: string;
  projectId: string;
  contractId: string | null;
  deltaHours: string;
  newEndDate: string | null;
  delta: { amount: string; currency: string };
  project: { contractId: string | null; plannedEnd: string | null } | null;
}

async function load(context: StepContext): Promise<JsonObject> {
  const { changeOrder } = await context.gateway.request<{ changeOrder: ChangeOrderView | null }>(
    `query ($id: ID!) { changeOrder(id: $id) { id number status reason projectId contractId deltaHours newEndDate
       delta { amount currency } project { contractId plannedEnd } } }`,
    { id: context.payload.changeOrderId },
  );
  if (!changeOrder) {
    throw new WorkflowStepError(`change order ${String(context.payload.changeOrderId)} does not exist`, {
      permanent: true,
      code: 'NOT_FOUND',
    });
  }
  if (changeOrder.status !== 'APPROVED' && changeOrder.status !== 'APPLIED') {
    throw new WorkflowStepError(`change order ${changeOrder.number} is ${changeOrder.status}, not APPROVED`, {
      permanent: true,
      code: 'GATE_FAILED',
      reasons: [`change order ${changeOrder.number} is ${changeOrder.status}`],
    });
  }
  return { changeOrder: { ...changeOrder, contractId: changeOrder.contractId ?? changeOrder.project?.contractId ?? null } };
}

interface ContractView {
  id: string;
  startDate: string;
  lines: {
    id: string;
    billingModel: string;
    rateCardId: string | null;
    changeOrderNumber: string | null;
    billingSchedules: { id: string }[];
  }[];
}

async function contractLine(context: StepContext): Promise<JsonObject> {
  const changeOrder = context.state.changeOrder as ChangeOrderView;
  if (!changeOrder.contractId) {
    return { contractLineId: null };
  }
  const { contract } = await context.gateway.request<{ contract: ContractView | null }>(
    `query ($id: ID!) { contract(id: $id) { id startDate lines { id billingModel rateCardId changeOrderNumber billingSchedules { id } } } }`,
    { id: changeOrder.contractId },
  );
  if (!contract) {
    throw new WorkflowStepError(`contract ${changeOrder.contractId} does not exist`, { permanent: true, code: 'NOT_FOUND' });
  }
  const reference = `${changeOrder.number}@${changeOrder.projectId}`;
  // the line the change order changes: its own line copies this one's billing model and rate card
  const model = contract.lines.find((line) => line.changeOrderNumber === null) ?? contract.lines[0];
  const amendedLineId = model?.id ?? null;
  const existing = contract.lines.find((line) => line.changeOrderNumber === reference);
  if (existing) {
    return {
      contractLineId: existing.id,
      amendedLineId,
      billingModel: existing.billingModel,
      scheduled: existing.billingSchedules.length > 0,
    };
  }
  const billingModel = model?.billingModel ?? 'TM';
  const { createContractLine } = await context.gateway.request<{ createContractLine: { id: string } }>(
    `mutation ($input: CreateContractLineInput!) { createContractLine(input: $input) { id } }`,
    {
      input: {
        contractId: contract.id,
        description: `Change order ${changeOrder.number}: ${changeOrder.reason}`,
        billingModel,
        amount: changeOrder.delta.amount,
        ...(billingModel === 'TM' ? { hoursCap: changeOrder.deltaHours, rateCardId: model?.rateCardId ?? null } : {}),
        changeOrderNumber: reference,
      },
    },
  );
  return { contractLineId: createContractLine.id, amendedLineId, billingModel, scheduled: false };
}

async function billing(context: StepContext): Promise<JsonObject> {
  const changeOrder = context.state.changeOrder as ChangeOrderView;
  const { contractLineId, billingModel, scheduled } = context.state as {
    contractLineId: string | null;
    billingModel?: string;
    scheduled?: boolean;
  };
  if (!contractLineId || scheduled || billingModel === 'TM' || !decimal(changeOrder.delta.amount).greaterThan(0)) {
    return {};
  }
  const { billingSchedules } = await context.gateway.request<{ billingSchedules: Edges<{ id: string }> }>(
    `query ($id: ID!) { billingSchedules(first: 1, filter: { contractLineId: $id }) { edges { node { id } } } }`,
    { id: contractLineId },
  );
  if (nodes(billingSchedules).length === 0) {
    const plannedDate = changeOrder.newEndDate ?? changeOrder.project?.plannedEnd ?? new Date().toISOString().slice(0, 10);
    await context.gateway.request(`mutation ($input: CreateBillingScheduleInput!) { createBillingSchedule(input: $input) { id } }`, {
      input: {
        contractLineId,
        type: 'FIXED_DATE',
        description: `Change order ${changeOrder.number}`,
        lines: [{ plannedDate, amount: changeOrder.delta.amount, description: `Change order ${changeOrder.number}` }],
      },
    });
  }
  return {};
}

/**
 * The task billed under the changed contract line gets the change order's hours (Odoo rewrites a task's allocated
 * hours when its order line changes). Once per change order: PSA records the task on it, a retry changes nothing.
 */
async function taskHours(context: StepContext): Promise<JsonObject> {
  const changeOrder = context.state.changeOrder as ChangeOrderView;
  const amendedLineId = context.state.amendedLineId as string | null | undefined;
  if (!amendedLineId || decimal(changeOrder.deltaHours).isZero()) {
    return { allocatedTaskId: null };
  }
  const { allocateChangeOrderHours } = await context.gateway.request<{ allocateChangeOrderHours: { allocatedTaskId: string | null } }>(
    `mutation ($id: ID!, $contractLineId: ID!) { allocateChangeOrderHours(id: $id, contractLineId: $contractLineId) { allocatedTaskId } }`,
    { id: changeOrder.id, contractLineId: amendedLineId },
  );
  return { allocatedTaskId: allocateChangeOrderHours.allocatedTaskId };
}

async function apply(context: StepContext): Promise<JsonObject> {
  const changeOrder = context.state.changeOrder as ChangeOrderView;
  const { changeOrder: current } = await context.gateway.request<{ changeOrder: { status: string } }>(
    `query ($id: ID!) { changeOrder(id: $id) { status } }`,
    { id: changeOrder.id },
  );
  if (current.status === 'APPROVED') {
    await context.gateway.request(`mutation ($id: ID!) { applyChangeOrder(id: $id) { id } }`, { id: changeOrder.id });
  }
  return { applied: true };
}

export const changeOrderFlow: WorkflowDefinition = {
  kind: WorkflowKind.CHANGE_ORDER,
  description:
    'Approved change order → ERP contract line (version +1) and billing → PSA task allocated hours, budget, hours and end date (APPLIED)',
  steps: [
    { name: 'load', run: load },
    { name: 'contract-line', run: contractLine },
    { name: 'billing', run: billing },
    { name: 'task-hours', run: taskHours },
    { name: 'apply', run: apply },
  ],
  trigger: (event) =>
    entered(event, 'psa', 'ChangeOrder', 'APPROVED')
      ? { kind: WorkflowKind.CHANGE_ORDER, businessKey: event.entityId, payload: { changeOrderId: event.entityId } }
      : null,
};
