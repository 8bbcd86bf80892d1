import { decimal, toAmount } from '@concord/common';
import {
  gateFailure,
  WorkflowKind,
  WorkflowStepError,
  type JsonObject,
  type StepContext,
  type WorkflowDefinition,
} from '../workflow-definition';
import { addDays, entered, nodes, text, type Edges } from './graph';

/**
 * Opportunity to project (DOMAIN.md §2, event OpportunityClosedWon, idempotent on the opportunity): an opportunity
 * that moves to CLOSED_WON with an accepted quote becomes, in ERP, the legal customer (when new), the contract with
 * one line per quote line and the billing schedules of its fixed-fee and milestone lines, and in PSA the project
 * (SETUP) with tasks and milestones per the lines' service tracking and a resource request per role line.
 *
 * The first step is the data-quality gate: it reads everything and checks it (accepted quote with lines in the
 * opportunity's currency, a known currency, a legal entity, a customer with a tax id, a rate card for T&M lines, a
 * start date); a failure creates nothing and puts the run in the exception queue with its reasons. A steward fixes
 * the data, or replays with `legalEntityId`, `startDate`, `customer { legalName taxId paymentTermsDays }` in the
 * payload. Every later step looks its records up by a natural key first (contract by opportunity, lines by quote
 * line, project by opportunity, tasks and milestones by contract line, requests by quote line), so it can run twice.
 * Last, the contract and project are written back to the CRM opportunity (a repeat changes nothing there).
 */

interface QuoteLinePlan {
  id: string;
  description: string;
  roleId: string | null;
  billingModel: 'TM' | 'FIXED' | 'MILESTONE' | 'RETAINER';
  hours: string | null;
  serviceTracking: 'NONE' | 'TASK' | 'PROJECT' | 'PROJECT_AND_TASK';
  milestoneName: string | null;
  milestoneDate: string | null;
  amount: string;
}

/** What the gate approved: the later steps work from this snapshot, not from data that may change meanwhile. */
export interface DealPlan {
  opportunityId: string;
  name: string;
  clientId: string;
  clientName: string;
  currency: string;
  closedAt: string | null;
  quoteId: string;
  quoteNumber: string;
  total: string;
  startDate: string;
  endDate: string | null;
  legalEntityId: string;
  customerId: string | null;
  newCustomer: { legalName: string; taxId: string; paymentTermsDays: number | null } | null;
  rateCardId: string | null;
  billingModel: string;
  lines: QuoteLinePlan[];
}

const DEAL = /* GraphQL */ `
  query WorkflowDeal($id: ID!) {
    opportunity(id: $id) {
      id
      name
      stage
      clientId
      currency
      closeDate
      expectedStartDate
      billingModel
      closedAt
      client {
        id
        name
      }
      acceptedQuote {
        id
        number
        currency
        total {
          amount
        }
        lines {
          id
          position
          serviceCode
          description
          roleId
          billingModel
          hours
          serviceTracking
          milestoneName
          milestoneDate
          amount {
            amount
          }
        }
      }
    }
  }
`;

const ERP_FACTS = /* GraphQL */ `
  query WorkflowDealErp($clientId: ID!, $currency: String!, $on: String!) {
    currencies(first: 100) {
      edges {
        node {
          code
        }
      }
    }
    legalEntities(first: 100) {
      edges {
        node {
          id
          functionalCurrency
        }
      }
    }
    legalCustomers(first: 5, filter: { clientIdIn: [$clientId] }) {
      edges {
        node {
          id
          status
          taxId
        }
      }
    }
    contracts(first: 1, filter: { clientId: $clientId }) {
      edges {
        node {
          legalEntityId
        }
      }
    }
    rateCards(first: 1, filter: { currency: $currency, effectiveOn: $on }) {
      edges {
        node {
          id
        }
      }
    }
  }
`;

interface DealData {
  opportunity: {
    id: string;
    name: string;
    stage: string;
    clientId: string;
    currency: string;
    expectedStartDate: string | null;
    billingModel: string | null;
    closedAt: string | null;
    client: { id: string; name: string } | null;
    acceptedQuote: {
      id: string;
      number: string;
      currency: string;
      total: { amount: string };
      lines: (Omit<QuoteLinePlan, 'amount'> & { position: number; serviceCode: string; amount: { amount: string } })[];
    } | null;
  } | null;
}

interface ErpFacts {
  currencies: Edges<{ code: string }>;
  legalEntities: Edges<{ id: string; functionalCurrency: string }>;
  legalCustomers: Edges<{ id: string; status: string; taxId: string | null }>;
  contracts: Edges<{ legalEntityId: string }>;
  rateCards: Edges<{ id: string }>;
}

function planOf(context: StepContext): DealPlan {
  return context.state.plan as DealPlan;
}

/** Reads the deal from CRM and ERP and checks it; throws a gate failure listing every problem at once. */
async function gate(context: StepContext): Promise<JsonObject> {
  const { payload, gateway } = context;
  const opportunityId = String(payload.opportunityId);
  const { opportunity } = await gateway.request<DealData>(DEAL, { id: opportunityId });
  if (!opportunity) {
    throw new WorkflowStepError(`opportunity ${opportunityId} does not exist`, { permanent: true, code: 'NOT_FOUND' });
  }
  const reasons: string[] = [];
  if (opportunity.stage !== 'CLOSED_WON') {
    reasons.push(`the opportunity is ${opportunity.stage}, not CLOSED_WON`);
  }
  const quote = opportunity.acceptedQuote;
  if (!quote) {
    reasons.push('the opportunity has no accepted quote');
  } else {
    if (quote.lines.length === 0) {
      reasons.push(`quote ${quote.number} has no lines`);
    }
    if (quote.currency !== opportunity.currency) {
      reasons.push(`quote ${quote.number} is in ${quote.currency}, the opportunity in ${opportunity.currency}`);
    }
  }
  const startDate = text(payload.startDate) ?? opportunity.expectedStartDate;
  if (!startDate) {
    reasons.push('no start date: set the opportunity’s expectedStartDate or replay with startDate');
  }
  const facts = await gateway.request<ErpFacts>(ERP_FACTS, {
    clientId: opportunity.clientId,
    currency: opportunity.currency,
    on: startDate ?? new Date().toISOString().slice(0, 10),
  });
  if (!nodes(facts.currencies).some((currency) => currency.code === opportunity.currency)) {
    reasons.push(`currency ${opportunity.currency} is not set up in ERP`);
  }
  const legalEntityId = legalEntityOf(payload, facts, opportunity.currency, reasons);
  const customers = nodes(facts.legalCustomers);
  const customer = customers.find((candidate) => candidate.status === 'ACTIVE') ?? null;
  let newCustomer: DealPlan['newCustomer'] = null;
  if (customer) {
    if (!customer.taxId) {
      reasons.push(`legal customer ${customer.id} has no tax id`);
    }
  } else if (customers.length > 0) {
    reasons.push(`the client's legal customer ${customers[0].id} is ${customers[0].status}`);
  } else {
    const given = (payload.customer ?? {}) as JsonObject;
    const taxId = text(given.taxId);
    if (!taxId) {
      reasons.push('the client has no legal customer in ERP: replay with customer.taxId (and customer.legalName) to create it');
    } else {
      newCustomer = {
        legalName: text(given.legalName) ?? opportunity.client?.name ?? opportunity.name,
        taxId,
        paymentTermsDays: typeof given.paymentTermsDays === 'number' ? given.paymentTermsDays : null,
      };
    }
  }
  const rateCardId = nodes(facts.rateCards)[0]?.id ?? null;
  if (quote?.lines.some((line) => line.billingModel === 'TM') && !rateCardId) {
    reasons.push(`no rate card in ${opportunity.currency} is effective on ${startDate ?? 'the start date'}`);
  }
  if (reasons.length > 0) {
    throw gateFailure(reasons);
  }
  const lines = [...quote!.lines]
    .sort((left, right) => left.position - right.position)
    .map(({ amount, ...line }) => ({
      id: line.id,
      description: line.description ?? line.serviceCode,
      roleId: line.roleId,
      billingModel: line.billingModel,
      hours: line.hours,
      serviceTracking: line.serviceTracking,
      milestoneName: line.milestoneName,
      milestoneDate: line.milestoneDate,
      amount: amount.amount,
    }));
  const milestoneDates = lines
    .map((line) => line.milestoneDate)
    .filter((date): date is string => Boolean(date))
    .sort();
  const plan: DealPlan = {
    opportunityId,
    name: opportunity.name,
    clientId: opportunity.clientId,
    clientName: opportunity.client?.name ?? opportunity.name,
    currency: opportunity.currency,
    closedAt: opportunity.closedAt,
    quoteId: quote!.id,
    quoteNumber: quote!.number,
    total: quote!.total.amount,
    startDate: startDate!,
    endDate: text(payload.endDate) ?? milestoneDates.at(-1) ?? null,
    legalEntityId: legalEntityId!,
    customerId: customer?.id ?? null,
    newCustomer,
    rateCardId,
    billingModel: opportunity.billingModel ?? lines[0].billingModel,
    lines,
  };
  return { plan };
}

/** The payload's legalEntityId, else the client's existing contracts' entity, else the one entity in the deal's currency. */
function legalEntityOf(payload: JsonObject, facts: ErpFacts, currency: string, reasons: string[]): string | null {
  const entities = nodes(facts.legalEntities);
  const given = text(payload.legalEntityId);
  if (given) {
    if (!entities.some((entity) => entity.id === given)) {
      reasons.push(`legal entity ${given} does not exist`);
    }
    return given;
  }
  const previous = nodes(facts.contracts)[0]?.legalEntityId;
  if (previous) {
    return previous;
  }
  const inCurrency = entities.filter((entity) => entity.functionalCurrency === currency);
  if (inCurrency.length === 1) {
    return inCurrency[0].id;
  }
  reasons.push(
    inCurrency.length === 0
      ? `no legal entity has ${currency} as its currency: replay with legalEntityId`
      : `${inCurrency.length} legal entities have ${currency} as their currency: replay with legalEntityId`,
  );
  return null;
}

async function customer(context: StepContext): Promise<JsonObject> {
  const plan = planOf(context);
  if (plan.customerId) {
    return { customerId: plan.customerId };
  }
  const existing = await context.gateway.request<{ legalCustomers: Edges<{ id: string }> }>(
    `query ($clientId: ID!) { legalCustomers(first: 1, filter: { clientIdIn: [$clientId] }) { edges { node { id } } } }`,
    { clientId: plan.clientId },
  );
  const found = nodes(existing.legalCustomers)[0];
  if (found) {
    return { customerId: found.id };
  }
  const created = await context.gateway.request<{ createLegalCustomer: { id: string } }>(
    `mutation ($input: CreateLegalCustomerInput!) { createLegalCustomer(input: $input) { id } }`,
    {
      input: {
        clientId: plan.clientId,
        legalName: plan.newCustomer!.legalName,
        taxId: plan.newCustomer!.taxId,
        defaultCurrency: plan.currency,
        ...(plan.newCustomer!.paymentTermsDays !== null ? { paymentTermsDays: plan.newCustomer!.paymentTermsDays } : {}),
      },
    },
  );
  return { customerId: created.createLegalCustomer.id };
}

interface ContractView {
  id: string;
  status: string;
  lines: {
    id: string;
    sourceQuoteLineId: string | null;
    billingSchedules: { id: string; lines: { id: string; milestoneId: string | null }[] }[];
  }[];
}

const CONTRACT_VIEW = 'id status lines { id sourceQuoteLineId billingSchedules { id lines { id milestoneId } } }';

async function findContract(context: StepContext, opportunityId: string): Promise<ContractView | null> {
  const data = await context.gateway.request<{ contracts: Edges<ContractView> }>(
    `query ($id: ID!) { contracts(first: 1, filter: { opportunityId: $id }) { edges { node { ${CONTRACT_VIEW} } } } }`,
    { id: opportunityId },
  );
  return nodes(data.contracts)[0] ?? null;
}

/** The contract and its lines (one transaction in ERP), then ACTIVE: the deal is signed. */
async function contract(context: StepContext): Promise<JsonObject> {
  const plan = planOf(context);
  let found = await findContract(context, plan.opportunityId);
  if (!found) {
    const created = await context.gateway.request<{ createContract: ContractView }>(
      `mutation ($input: CreateContractInput!) { createContract(input: $input) { ${CONTRACT_VIEW} } }`,
      {
        input: {
          number: `C-${plan.startDate.slice(0, 4)}-${plan.opportunityId.replace(/-/g, '').slice(-10).toUpperCase()}`,
          customerId: context.state.customerId,
          legalEntityId: plan.legalEntityId,
          opportunityId: plan.opportunityId,
          sourceQuoteId: plan.quoteId,
          startDate: plan.startDate,
          endDate: plan.endDate,
          currency: plan.currency,
          lines: plan.lines.map((line) => ({
            description: line.description,
            billingModel: line.billingModel,
            sourceQuoteLineId: line.id,
            ...(line.billingModel === 'TM'
              ? { rateCardId: plan.rateCardId, hoursCap: line.hours, amount: line.amount }
              : { amount: line.amount }),
          })),
        },
      },
    );
    found = created.createContract;
  }
  if (found.status === 'DRAFT') {
    await context.gateway.request(`mutation ($id: ID!) { transitionContract(id: $id, to: ACTIVE) { id } }`, { id: found.id });
  }
  const contractLines = Object.fromEntries(found.lines.map((line) => [line.sourceQuoteLineId, line.id]));
  return { contractId: found.id, contractLines };
}

/** One schedule per fixed-fee line (the fee on the start date) and per milestone line (its amount on its date). */
async function billing(context: StepContext): Promise<JsonObject> {
  const plan = planOf(context);
  const contractLines = context.state.contractLines as Record<string, string>;
  const found = (await findContract(context, plan.opportunityId))!;
  const scheduled = new Set(found.lines.filter((line) => line.billingSchedules.length > 0).map((line) => line.id));
  for (const line of plan.lines) {
    const contractLineId = contractLines[line.id];
    if (scheduled.has(contractLineId) || (line.billingModel !== 'FIXED' && line.billingModel !== 'MILESTONE')) {
      continue;
    }
    const milestone = line.billingModel === 'MILESTONE';
    await context.gateway.request(`mutation ($input: CreateBillingScheduleInput!) { createBillingSchedule(input: $input) { id } }`, {
      input: {
        contractLineId,
        type: milestone ? 'MILESTONE' : 'FIXED_DATE',
        description: line.description,
        lines: [
          {
            plannedDate: (milestone ? line.milestoneDate : null) ?? plan.startDate,
            amount: line.amount,
            description: milestone ? (line.milestoneName ?? line.description) : line.description,
          },
        ],
      },
    });
  }
  return {};
}

interface ProjectView {
  id: string;
  tasks: { id: string; contractLineId: string | null }[];
  milestones: { id: string; contractLineId: string | null }[];
  resourceRequests: { id: string; sourceQuoteLineId: string | null }[];
}

const PROJECT_VIEW = 'id tasks { id contractLineId } milestones { id contractLineId } resourceRequests { id sourceQuoteLineId }';

async function findProject(context: StepContext, opportunityId: string): Promise<ProjectView | null> {
  const data = await context.gateway.request<{ projects: Edges<ProjectView> }>(
    `query ($id: ID!) { projects(first: 1, filter: { opportunityId: $id }) { edges { node { ${PROJECT_VIEW} } } } }`,
    { id: opportunityId },
  );
  return nodes(data.projects)[0] ?? null;
}

const tracked = (line: QuoteLinePlan) => line.serviceTracking !== 'NONE';

/** The project in SETUP: budget = the contract value, budget hours = the quoted hours. */
async function project(context: StepContext): Promise<JsonObject> {
  const plan = planOf(context);
  if (!plan.lines.some(tracked)) {
    return { projectId: null };
  }
  const found = await findProject(context, plan.opportunityId);
  if (found) {
    return { projectId: found.id };
  }
  const hours = plan.lines.reduce((sum, line) => sum.plus(line.hours ?? 0), decimal(0));
  const created = await context.gateway.request<{ createProject: { id: string } }>(
    `mutation ($input: CreateProjectInput!) { createProject(input: $input) { id } }`,
    {
      input: {
        code: `P-${plan.opportunityId.replace(/-/g, '').slice(-10).toUpperCase()}`,
        name: plan.name,
        clientId: plan.clientId,
        contractId: context.state.contractId,
        opportunityId: plan.opportunityId,
        legalEntityId: plan.legalEntityId,
        currency: plan.currency,
        billingModel: plan.billingModel,
        plannedStart: plan.startDate,
        plannedEnd: plan.endDate,
        budget: plan.total,
        ...(hours.isZero() ? {} : { budgetHours: toAmount(hours) }),
      },
    },
  );
  return { projectId: created.createProject.id };
}

/**
 * Waits for every one of the writes, then throws the first failure: a failed write's siblings have finished before
 * the step fails, so its retry (which looks each record up first) never races one still in flight.
 */
async function settleAll(writes: readonly Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(writes)).find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failed) {
    throw failed.reason;
  }
}

/** Milestones and tasks per service tracking, a resource request per role line; each only when missing. */
async function delivery(context: StepContext): Promise<JsonObject> {
  const plan = planOf(context);
  const projectId = context.state.projectId as string | null;
  if (!projectId) {
    return {};
  }
  const contractLines = context.state.contractLines as Record<string, string>;
  const found = (await findProject(context, plan.opportunityId))!;
  const milestones = new Map(found.milestones.map((milestone) => [milestone.contractLineId, milestone.id]));
  const tasks = new Set(found.tasks.map((task) => task.contractLineId));
  const requests = new Set(found.resourceRequests.map((request) => request.sourceQuoteLineId));
  const milestoneIds: Record<string, string> = {};
  // the lines' records are independent of one another: each line's go through the gateway at the same time
  const perLine = async (line: QuoteLinePlan): Promise<void> => {
    const contractLineId = contractLines[line.id];
    if (line.billingModel === 'MILESTONE') {
      let milestoneId = milestones.get(contractLineId);
      if (!milestoneId) {
        const created = await context.gateway.request<{ createMilestone: { id: string } }>(
          `mutation ($input: CreateMilestoneInput!) { createMilestone(input: $input) { id } }`,
          {
            input: {
              projectId,
              name: line.milestoneName ?? line.description,
              targetDate: line.milestoneDate ?? plan.endDate ?? plan.startDate,
              amount: line.amount,
              contractLineId,
            },
          },
        );
        milestoneId = created.createMilestone.id;
      }
      milestoneIds[contractLineId] = milestoneId;
    }
    const writes: Promise<unknown>[] = [];
    if ((line.serviceTracking === 'TASK' || line.serviceTracking === 'PROJECT_AND_TASK') && !tasks.has(contractLineId)) {
      writes.push(
        context.gateway.request(`mutation ($input: CreateTaskInput!) { createTask(input: $input) { id } }`, {
          input: {
            projectId,
            name: line.milestoneName ?? line.description,
            allocatedHours: line.billingModel === 'MILESTONE' ? '0' : (line.hours ?? '0'),
            billable: true,
            contractLineId,
            ...(milestoneIds[contractLineId] ? { milestoneId: milestoneIds[contractLineId] } : {}),
          },
        }),
      );
    }
    if (line.roleId && line.hours && !requests.has(line.id)) {
      writes.push(
        context.gateway.request(`mutation ($input: CreateResourceRequestInput!) { createResourceRequest(input: $input) { id } }`, {
          input: {
            projectId,
            role: line.roleId,
            hours: line.hours,
            startDate: plan.startDate,
            endDate: plan.endDate ?? addDays(plan.startDate, 90),
            sourceQuoteLineId: line.id,
          },
        }),
      );
    }
    await settleAll(writes);
  };
  await settleAll(plan.lines.filter(tracked).map(perLine));
  return { milestoneIds };
}

/** Points each milestone billing line at its PSA milestone, so accepting the milestone makes the line READY. */
async function linkMilestones(context: StepContext): Promise<JsonObject> {
  const plan = planOf(context);
  const milestoneIds = (context.state.milestoneIds ?? {}) as Record<string, string>;
  if (Object.keys(milestoneIds).length === 0) {
    return { setupReadyAt: new Date().toISOString() };
  }
  const found = (await findContract(context, plan.opportunityId))!;
  for (const line of found.lines) {
    const milestoneId = milestoneIds[line.id];
    for (const scheduleLine of line.billingSchedules.flatMap((schedule) => schedule.lines)) {
      if (milestoneId && scheduleLine.milestoneId !== milestoneId) {
        await context.gateway.request(
          `mutation ($id: ID!, $input: UpdateBillingScheduleLineInput!) { updateBillingScheduleLine(id: $id, input: $input) { id } }`,
          { id: scheduleLine.id, input: { milestoneId } },
        );
      }
    }
  }
  return { setupReadyAt: new Date().toISOString() };
}

/** Writes the contract and project back to the CRM opportunity (its stored references); CRM ignores a repeat. */
async function linkOpportunity(context: StepContext): Promise<JsonObject> {
  const plan = planOf(context);
  const { contractId, projectId } = context.state as { contractId: string; projectId: string | null };
  await context.gateway.request(
    `mutation ($id: ID!, $contractId: ID!, $projectId: ID) { linkOpportunityDelivery(id: $id, contractId: $contractId, projectId: $projectId) { id } }`,
    { id: plan.opportunityId, contractId, projectId },
  );
  return {};
}

export const opportunityToProject: WorkflowDefinition = {
  kind: WorkflowKind.OPPORTUNITY_TO_PROJECT,
  description: 'Closed-won opportunity → ERP customer, contract, billing schedules → PSA project, tasks, milestones, resource requests',
  steps: [
    { name: 'gate', run: gate },
    { name: 'customer', run: customer },
    { name: 'contract', run: contract },
    { name: 'billing', run: billing },
    { name: 'project', run: project },
    { name: 'delivery', run: delivery },
    { name: 'link-milestones', run: linkMilestones },
    { name: 'link-opportunity', run: linkOpportunity },
  ],
  trigger: (event) =>
    entered(event, 'crm', 'Opportunity', 'CLOSED_WON')
      ? { kind: WorkflowKind.OPPORTUNITY_TO_PROJECT, businessKey: event.entityId, payload: { opportunityId: event.entityId } }
      : null,
};
