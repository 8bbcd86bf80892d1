import { type Cents, fromCents, rate6, scaleCents } from './amounts';
import {
  type Billing,
  billProject,
  changeOrdersOf,
  contractLinesOf,
  type Invoice,
  payInvoices,
  revenueOf,
  revRecMethodOf,
} from './billing';
import { HISTORY_START_DAY, instant, isoOf, monthEnd, REFERENCE_DAY, weekStart } from './calendar';
import {
  type ClientContext,
  OPEN_STAGES,
  reserveDealIds,
  type Stage,
  writeContacts,
  writeOtherOpportunity,
  writeWonOpportunity,
} from './crm';
import { planDeal } from './deal';
import { deliver, settleUninvoicedWork } from './delivery';
import { derivedId, uuidV7 } from './ids';
import type { Customer, Deal, Project } from './model';
import { companyName } from './names';
import { Random } from './random';
import type { Tables } from './tables';
import type { Region, World } from './world';

/** Counters shared by all clients (numbers that must be unique across the dataset). */
export interface Counters {
  quote: number;
  contract: number;
  project: number;
  /** Invoices per legal entity id and year (erp.invoice_number_sequence). */
  invoices: Map<string, Map<number, number>>;
}

export interface GenerationContext {
  seed: number;
  world: World;
  tables: Tables;
  counters: Counters;
  domains: Set<string>;
  /** Approved/invoiced hours per resource index and week (hundredths): [billable, total]. */
  utilization: Map<number, Map<number, [number, number]>>;
  /** Client ids by index, for parent accounts. */
  clientIds: string[];
}

const REGIONS: readonly (readonly [Region, number])[] = [
  ['US', 45],
  ['UK', 25],
  ['EU', 30],
];
const CITIES: Record<Region, readonly (readonly [string, string])[]> = {
  US: [
    ['New York', 'US'],
    ['Chicago', 'US'],
    ['Austin', 'US'],
    ['Boston', 'US'],
    ['Seattle', 'US'],
  ],
  UK: [
    ['London', 'GB'],
    ['Manchester', 'GB'],
    ['Edinburgh', 'GB'],
    ['Bristol', 'GB'],
  ],
  EU: [
    ['Berlin', 'DE'],
    ['Munich', 'DE'],
    ['Amsterdam', 'NL'],
    ['Paris', 'FR'],
    ['Vienna', 'AT'],
  ],
};
const LEGAL_SUFFIX: Record<string, string> = { US: 'Inc.', GB: 'Ltd', DE: 'GmbH', AT: 'GmbH', NL: 'B.V.', FR: 'SAS' };

/**
 * Generates one client and everything that hangs off it across the three systems, then writes the rows.
 * Each client draws from its own PRNG streams, so its content does not depend on how much randomness
 * earlier clients consumed (only resource bookings and global numbers carry over, deterministically).
 */
export function generateClient(context: GenerationContext, index: number, projectCount: number): { projects: number; entries: number } {
  const { seed, world, tables, counters } = context;
  const random = Random.of(seed, 'client', index);
  const ids = Random.of(seed, 'client-ids', index);
  // The first three clients cover the three regions, so even the smallest scale is multi-currency.
  const region = index < REGIONS.length ? REGIONS[index][0] : random.weighted(REGIONS);
  const legalEntity = world.legalEntityByRegion[region];
  const clientCurrency = legalEntity.currency;
  const createdDay = HISTORY_START_DAY - random.int(30, 900);
  const company = companyName(random, context.domains);
  const clientId = uuidV7(ids, instant(createdDay, 9));
  context.clientIds.push(clientId);
  const employees = random.weighted([
    [random.int(20, 200), 3],
    [random.int(200, 2000), 4],
    [random.int(2000, 20000), 3],
    [random.int(20000, 150000), 1],
  ] as const);
  const tier = employees > 20000 ? 'STRATEGIC' : employees > 2000 ? 'ENTERPRISE' : employees > 200 ? 'MID_MARKET' : 'SMALL';
  const ownerId = random.pick(world.salesOwners);
  const parent = index > 5 && random.chance(0.04) ? context.clientIds[random.int(0, index - 1)] : null;

  tables.client.push({
    id: clientId,
    created_at: instant(createdDay, 9),
    updated_at: instant(createdDay, 9),
    name: company.name,
    domain: company.domain,
    industry: company.industry,
    employees,
    owner_id: ownerId,
    parent_client_id: parent,
    tier,
    arr: fromCents(random.int(50, 5000) * 1000_00),
    currency: clientCurrency,
  });

  const crm: ClientContext = {
    random,
    ids,
    tables,
    world,
    clientId,
    currency: clientCurrency,
    ownerId,
    domain: company.domain,
    clientName: company.name,
    primaryContactId: '',
    nextQuoteNumber: () => ++counters.quote,
  };
  crm.primaryContactId = writeContacts(crm, createdDay + 1);

  // Won deals: each becomes a contract (ERP) and a project (PSA).
  const deals: Deal[] = [];
  for (let k = 0; k < projectCount; k++) {
    // Multinationals: some UK/EU deals are contracted in USD by the local legal entity.
    const currency = region !== 'US' && random.chance(0.12) ? 'USD' : clientCurrency;
    const deal = planDeal(random, world, k, currency, legalEntity);
    deal.contractId = uuidV7(ids, instant(deal.closeDay + 1, 10));
    deal.projectId = uuidV7(ids, instant(deal.closeDay + 1, 10));
    reserveDealIds(crm, deal);
    deals.push(deal);
  }
  deals.sort((a, b) => a.closeDay - b.closeDay);

  for (const deal of deals) {
    writeWonOpportunity(crm, deal);
  }
  // Open and lost opportunities: stages cycle by client so even three clients cover every stage.
  const others: Stage[] = [OPEN_STAGES[(index * 2) % 4], OPEN_STAGES[(index * 2 + 1) % 4]];
  if (index === 0 || random.chance(0.5)) {
    others.push('CLOSED_LOST');
  }
  if (random.chance(0.3)) {
    others.push(random.pick(OPEN_STAGES));
  }
  others.forEach((stage, n) => writeOtherOpportunity(crm, stage, n + 1));

  if (!deals.length) {
    return { projects: 0, entries: 0 };
  }

  // ERP: the legal customer of the client (same clientId), its contracts; PSA: the projects.
  const firstDay = deals[0].closeDay;
  const customer: Customer = { id: uuidV7(ids, instant(firstDay, 12)), clientId, paymentTermsDays: random.pick([30, 30, 30, 45, 60]) };
  const [city, country] = random.pick(CITIES[region]);
  tables.legalCustomer.push({
    id: customer.id,
    created_at: instant(firstDay, 12),
    updated_at: instant(firstDay, 12),
    legal_name: `${company.name} ${LEGAL_SUFFIX[country]}`,
    tax_id: `${country}${random.int(100000000, 999999999)}`,
    client_id: clientId,
    default_currency: clientCurrency,
    payment_terms_days: customer.paymentTermsDays,
    credit_limit: fromCents(random.int(5, 50) * 100_000_00),
    billing_address: {
      line1: `${random.int(1, 400)} ${random.pick(['Market', 'High', 'Station', 'Park', 'River'])} Street`,
      city,
      postalCode: String(random.int(10000, 99999)),
      country,
    },
    status: random.chance(0.03) ? 'FROZEN' : 'ACTIVE',
  });

  let entries = 0;
  const allInvoices: Invoice[] = [];
  const perProject: { project: Project; billing: Billing }[] = [];
  for (const deal of deals) {
    const contractLines = contractLinesOf(ids, deal);
    const year = isoOf(deal.startDay).slice(0, 4);
    const code = `PRJ-${year}-${String(++counters.project).padStart(5, '0')}`;
    const name = `${company.name}: ${deal.billingModel === 'TM' ? 'advisory' : deal.billingModel === 'FIXED' ? 'implementation' : 'transformation'} ${deal.index + 1}`;
    const project = deliver({ random, ids }, world, deal, code, name, contractLines, random.pick(world.managers));
    project.id = deal.projectId;
    const changeOrders = changeOrdersOf(random, ids, project);
    const { invoices, scheduleLines } = billProject(random, ids, world, project, customer);
    settleUninvoicedWork(random, project);
    const revenue = revenueOf(ids, project, invoices);
    allInvoices.push(...invoices);
    perProject.push({ project, billing: { invoices, scheduleLines, payments: [], revenue, changeOrders } });
    entries += project.entries.length;
  }
  allInvoices.sort((a, b) => a.issueDay - b.issueDay);
  const payments = payInvoices(random, ids, world, allInvoices);

  for (const { project, billing } of perProject) {
    writeProject(context, { random, ids }, project, billing, customer, clientId);
  }
  for (const payment of payments) {
    const deal = payment.invoice.project.deal;
    const at = instant(payment.day, 15);
    tables.payment.push({
      id: payment.id,
      created_at: at,
      updated_at: at,
      customer_id: customer.id,
      legal_entity_id: deal.legalEntity.id,
      date: isoOf(payment.day),
      amount: fromCents(payment.amount),
      currency: deal.currency,
      fx_rate: payment.fxRate,
      base_currency: deal.legalEntity.currency,
      base_amount: fromCents(payment.baseAmount),
      method: payment.method,
      reference: payment.reference,
      unallocated_amount: fromCents(payment.unallocated),
      status: 'POSTED',
      posted_at: at,
      cancelled_at: null,
    });
    tables.paymentAllocation.push({
      id: payment.allocationId,
      created_at: at,
      updated_at: at,
      payment_id: payment.id,
      invoice_id: payment.invoice.id,
      allocated_amount: fromCents(payment.amount - payment.unallocated),
      currency: deal.currency,
    });
  }
  for (const invoice of allInvoices) {
    writeInvoice(context, invoice, customer, clientId);
  }
  return { projects: deals.length, entries };
}

function writeProject(
  context: GenerationContext,
  { random, ids }: { random: Random; ids: Random },
  project: Project,
  billing: Billing,
  customer: Customer,
  clientId: string,
): void {
  const { tables, world } = context;
  const deal = project.deal;
  const currency = deal.currency;
  const closed = instant(deal.closeDay + 1, 10);
  const consumed = billing.invoices.reduce((sum, invoice) => sum + invoice.subtotal, 0);
  const applied = billing.changeOrders.filter((order) => order.status === 'APPLIED');
  const contractStatus =
    project.status === 'CANCELLED' ? 'TERMINATED' : project.status === 'COMPLETED' || project.status === 'CLOSED' ? 'COMPLETED' : 'ACTIVE';
  const endDay = Math.max(deal.plannedEndDay, ...applied.map((order) => order.newEndDay ?? 0));
  const totalValue = project.contractLines.reduce((sum, line) => sum + line.amount, 0);

  // ── ERP: contract, lines, billing schedules ──
  tables.contract.push({
    id: deal.contractId,
    created_at: closed,
    updated_at: instant(
      Math.min(REFERENCE_DAY - 1, Math.max(deal.closeDay + 1, ...billing.invoices.map((invoice) => invoice.issueDay))),
      11,
    ),
    number: `CT-${isoOf(deal.closeDay).slice(0, 4)}-${String(++context.counters.contract).padStart(5, '0')}`,
    customer_id: customer.id,
    client_id: clientId,
    legal_entity_id: deal.legalEntity.id,
    opportunity_id: deal.opportunityId,
    source_quote_id: deal.quoteId,
    status: contractStatus,
    start_date: isoOf(deal.startDay),
    end_date: isoOf(endDay),
    currency,
    total_value: fromCents(totalValue),
    consumed_amount: fromCents(consumed),
    renewal_threshold_pct: '80.00',
    version: 1 + applied.length,
  });
  for (const line of project.contractLines) {
    const at = line.changeOrderNumber ? instant(line.startDay, 12) : closed;
    tables.contractLine.push({
      id: line.id,
      created_at: at,
      updated_at: at,
      contract_id: deal.contractId,
      description: line.changeOrderNumber
        ? `Change order ${line.changeOrderNumber}, time and materials`
        : line.billingModel === 'TM'
          ? `${line.role}, time and materials`
          : line.billingModel === 'FIXED'
            ? 'Fixed-fee delivery'
            : `Milestone: ${line.milestone?.name ?? deal.milestones.find((milestone) => milestone.amount === line.amount)?.name ?? 'delivery'}`,
      billing_model: line.billingModel,
      rate_card_id: line.billingModel === 'TM' ? world.rateCards.get(currency)! : null,
      amount: fromCents(line.amount),
      currency,
      hours_cap: line.hoursCap === null ? null : fromCents(line.hoursCap),
      invoice_policy: line.billingModel === 'TM' ? 'DELIVERED' : 'ORDERED',
      rev_rec_method: revRecMethodOf(line),
      change_order_number: line.changeOrderNumber,
      source_quote_line_id: line.sourceQuoteLineId,
    });
    if (line.billingScheduleId) {
      tables.billingSchedule.push({
        id: line.billingScheduleId,
        created_at: closed,
        updated_at: closed,
        contract_line_id: line.id,
        contract_id: deal.contractId,
        type: line.billingModel === 'MILESTONE' ? 'MILESTONE' : 'FIXED_DATE',
        description: line.billingModel === 'MILESTONE' ? 'Billed on milestone acceptance' : 'Fixed-fee instalments',
      });
    }
  }
  for (const scheduled of billing.scheduleLines) {
    tables.billingScheduleLine.push({
      id: scheduled.id,
      created_at: closed,
      updated_at: closed,
      billing_schedule_id: scheduled.scheduleId,
      contract_id: deal.contractId,
      planned_date: isoOf(scheduled.plannedDay),
      description: scheduled.description,
      amount: fromCents(scheduled.amount),
      pct: scheduled.pct,
      currency,
      milestone_id: scheduled.milestoneId,
      status: scheduled.status,
      invoice_id: scheduled.invoiceId,
    });
  }
  for (const row of billing.revenue) {
    const at = instant(row.period + 40, 3);
    // as recognizeRevenue keeps it: the period end's rate to the legal entity's currency, snapshotted
    const fxRate = world.fx.rate(currency, deal.legalEntity.currency, monthEnd(row.period));
    tables.revenueEntry.push({
      id: row.id,
      created_at: at,
      updated_at: at,
      contract_line_id: row.line.id,
      contract_id: deal.contractId,
      project_id: project.id,
      period: isoOf(row.period),
      method: row.method,
      recognized_amount: fromCents(row.recognized),
      cumulative_recognized: fromCents(row.cumulative),
      billed_to_date: fromCents(row.billed),
      unbilled: fromCents(Math.max(0, row.cumulative - row.billed)),
      deferred: fromCents(Math.max(0, row.billed - row.cumulative)),
      currency,
      functional_currency: deal.legalEntity.currency,
      fx_rate: fxRate,
      recognized_functional: fromCents(scaleCents(row.recognized, fxRate)),
    });
  }

  // ── PSA: project, milestones, tasks, change orders, assignments, requests, time, expenses ──
  const hoursDelivered = project.entries
    .filter((entry) => entry.status === 'APPROVED' || entry.status === 'INVOICED')
    .reduce((sum, entry) => sum + entry.hours, 0);
  const percent =
    project.status === 'COMPLETED' || project.status === 'CLOSED'
      ? 10000
      : Math.min(10000, Math.round((hoursDelivered * 10000) / Math.max(1, project.budgetHours)));
  tables.project.push({
    id: project.id,
    created_at: closed,
    updated_at: instant(Math.min(REFERENCE_DAY - 1, Math.max(deal.closeDay + 1, project.stopDay)), 18),
    code: project.code,
    name: project.name,
    client_id: clientId,
    contract_id: deal.contractId,
    opportunity_id: deal.opportunityId,
    legal_entity_id: deal.legalEntity.id,
    currency,
    status: project.status,
    health: project.status === 'ACTIVE' || project.status === 'ON_HOLD' ? pickHealth(project) : 'GREEN',
    billing_model: deal.billingModel,
    pricing_type: deal.billingModel === 'TM' ? 'RESOURCE_RATE' : 'PROJECT_RATE',
    planned_start: isoOf(deal.startDay),
    planned_end: isoOf(endDay),
    actual_start: project.actualStartDay === null ? null : isoOf(project.actualStartDay),
    actual_end:
      project.actualEndDay !== null && (project.status === 'COMPLETED' || project.status === 'CLOSED') ? isoOf(project.actualEndDay) : null,
    activated_at: project.activatedDay === null ? null : instant(project.activatedDay, 9),
    budget_hours: fromCents(project.budgetHours),
    budget: fromCents(project.budget),
    percent_complete: fromCents(percent),
    percent_complete_method: 'MANUAL',
    manager_id: project.managerId,
  });
  for (const milestone of project.milestones) {
    tables.milestone.push({
      id: milestone.id,
      created_at: closed,
      updated_at: instant(milestone.acceptedDay ?? milestone.reachedDay ?? deal.closeDay + 1, 12),
      project_id: project.id,
      name: milestone.name,
      target_date: isoOf(milestone.targetDay),
      status: milestone.status,
      reached_at: milestone.reachedDay === null ? null : instant(milestone.reachedDay, 17),
      accepted_at: milestone.acceptedDay === null ? null : instant(milestone.acceptedDay, 11),
      requires_sign_off: true,
      amount: milestone.amount === null ? null : fromCents(milestone.amount),
      percentage: null,
      currency,
      contract_line_id: milestone.contractLine?.id ?? null,
    });
  }
  const lastDay = Math.min(project.stopDay, REFERENCE_DAY - 1);
  for (const task of project.tasks) {
    const done = project.status === 'COMPLETED' || project.status === 'CLOSED' || task.endDay < Math.min(lastDay, REFERENCE_DAY - 1);
    const startedTask = project.status !== 'SETUP' && task.startDay <= lastDay;
    const status =
      done && project.status !== 'CANCELLED'
        ? 'DONE'
        : project.status === 'CANCELLED'
          ? done
            ? 'DONE'
            : 'CANCELLED'
          : startedTask
            ? 'IN_PROGRESS'
            : 'OPEN';
    const progress =
      status === 'DONE'
        ? 10000
        : status === 'IN_PROGRESS'
          ? Math.min(9500, Math.round(((lastDay - task.startDay + 1) * 10000) / (task.endDay - task.startDay + 1) / 100) * 100)
          : 0;
    const pmLine = deal.team.find((line) => line.role === 'Project Manager');
    const phaseHours = project.budgetHours - (pmLine?.hours ?? 0);
    const share =
      deal.billingModel === 'MILESTONE'
        ? 0
        : task.name === 'Project management'
          ? (pmLine?.hours ?? 0)
          : (phaseHours * (task.endDay - task.startDay + 1)) / (deal.plannedEndDay - deal.startDay + 1);
    tables.task.push({
      id: task.id,
      created_at: closed,
      updated_at: closed,
      project_id: project.id,
      parent_task_id: null,
      name: task.name,
      status,
      allocated_hours: fromCents(Math.round(share / 100) * 100),
      progress: fromCents(progress),
      weight: '1.00',
      milestone_id: task.milestone?.id ?? null,
      billable: deal.billingModel === 'TM',
      contract_line_id: task.milestone?.contractLine?.id ?? (deal.billingModel === 'FIXED' ? project.contractLines[0].id : null),
    });
  }
  for (const order of billing.changeOrders) {
    tables.changeOrder.push({
      id: order.id,
      created_at: instant(order.createdDay, 11),
      updated_at: instant(order.appliedDay ?? order.approvedDay ?? order.createdDay, 15),
      project_id: project.id,
      contract_id: deal.contractId,
      number: order.number,
      status: order.status,
      delta: fromCents(order.delta),
      delta_hours: fromCents(order.deltaHours),
      new_end_date: order.newEndDay === null ? null : isoOf(order.newEndDay),
      reason: order.reason,
      currency,
      approved_by: order.approvedDay === null ? null : project.managerId,
      approved_at: order.approvedDay === null ? null : instant(order.approvedDay, 15),
      applied_at: order.appliedDay === null ? null : instant(order.appliedDay, 16),
    });
  }
  const started = project.status !== 'SETUP';
  for (const assignment of project.assignments) {
    const hasTime = project.entries.some((entry) => entry.assignment === assignment);
    const status = !started
      ? 'SOFT'
      : project.status === 'COMPLETED' || project.status === 'CLOSED'
        ? 'COMPLETED'
        : project.status === 'CANCELLED'
          ? hasTime
            ? 'COMPLETED'
            : 'CANCELLED'
          : 'HARD';
    const at = instant(deal.closeDay + 3, 14);
    tables.assignment.push({
      id: assignment.id,
      created_at: at,
      updated_at: at,
      project_id: project.id,
      resource_id: assignment.resource.id,
      resource_request_id: null, // linked after the requests are written (the two tables point at each other)
      role: assignment.role,
      bill_rate: rate6(assignment.billRate),
      cost_rate: assignment.costRate,
      currency,
      scheduled_hours: fromCents(assignment.scheduledHours),
      start_date: isoOf(assignment.startDay),
      end_date: isoOf(assignment.endDay),
      status,
    });
    tables.resourceRequest.push({
      id: assignment.requestId,
      created_at: instant(deal.closeDay + 1, 13),
      updated_at: at,
      project_id: project.id,
      role: assignment.role,
      skills: [],
      hours: fromCents(assignment.scheduledHours),
      start_date: isoOf(assignment.startDay),
      end_date: isoOf(assignment.endDay),
      status: 'FULFILLED',
      source_quote_line_id: assignment.contractLine?.sourceQuoteLineId ?? null,
      assignment_id: assignment.id,
    });
  }
  // Staffing still open on some running or starting projects.
  if ((project.status === 'SETUP' || project.status === 'ACTIVE') && random.chance(0.25)) {
    const role = random.pick(['Consultant', 'Developer', 'Analyst', 'Senior Consultant']);
    const startDay = Math.max(deal.startDay, REFERENCE_DAY + random.int(7, 30));
    const at = instant(Math.min(REFERENCE_DAY - 1, Math.max(deal.closeDay + 1, REFERENCE_DAY - random.int(1, 20))), 13);
    tables.resourceRequest.push({
      id: uuidV7(ids, at),
      created_at: at,
      updated_at: at,
      project_id: project.id,
      role,
      skills: random.sample(
        ['SAP', 'Salesforce', 'Data migration', 'Change management', 'Cloud architecture', 'Testing'],
        random.int(1, 2),
      ),
      hours: fromCents(random.int(8, 40) * 1000),
      start_date: isoOf(startDay),
      end_date: isoOf(Math.max(startDay, deal.plannedEndDay)),
      status: 'OPEN',
      source_quote_line_id: null,
      assignment_id: null,
    });
  }
  for (const entry of project.entries) {
    const assignment = entry.assignment;
    const approvedAt = entry.approvedDay === null ? null : instant(entry.approvedDay, 10);
    const updatedAt = entry.invoicedDay !== null ? instant(entry.invoicedDay, 11) : (approvedAt ?? instant(entry.day, 17));
    tables.timeEntry.push({
      id: entry.id,
      created_at: instant(entry.day, 17),
      updated_at: updatedAt,
      resource_id: assignment.resource.id,
      project_id: project.id,
      task_id: entry.task?.id ?? null,
      assignment_id: assignment.id,
      date: isoOf(entry.day),
      hours: fromCents(entry.hours),
      billable: entry.billable,
      billable_hours: entry.billable ? fromCents(entry.hours) : '0.00',
      bill_rate: entry.billable ? rate6(assignment.billRate) : '0.000000',
      cost_rate: assignment.costRate,
      bill_amount: fromCents(entry.billAmount),
      cost_amount: fromCents(entry.costAmount),
      currency,
      description: entry.task ? `${entry.task.name} work` : null,
      status: entry.status,
      approved_at: approvedAt,
      invoice_id: entry.invoiceId,
      invoice_line_id: entry.invoiceLineId,
    });
    if ((entry.status === 'APPROVED' || entry.status === 'INVOICED') && assignment.resource.legalEntity.id !== deal.legalEntity.id) {
      // what the INTERCOMPANY workflow records for approved time of another entity's resource: cost, no markup
      tables.intercompanyCharge.push({
        id: derivedId(entry.id, 'intercompany'),
        created_at: approvedAt,
        updated_at: approvedAt,
        source_type: 'TIME',
        source_id: entry.id,
        from_legal_entity_id: assignment.resource.legalEntity.id,
        to_legal_entity_id: deal.legalEntity.id,
        project_id: project.id,
        date: isoOf(entry.day),
        hours: fromCents(entry.hours),
        currency,
        cost: fromCents(entry.costAmount),
        markup_pct: '0.00',
        amount: fromCents(entry.costAmount),
      });
    }
    if (entry.status === 'APPROVED' || entry.status === 'INVOICED') {
      const weeks = context.utilization.get(assignment.resource.index) ?? new Map<number, [number, number]>();
      context.utilization.set(assignment.resource.index, weeks);
      const week = weekStart(entry.day);
      const totals = weeks.get(week) ?? [0, 0];
      totals[0] += entry.billable ? entry.hours : 0;
      totals[1] += entry.hours;
      weeks.set(week, totals);
    }
  }
  for (const expense of project.expenses) {
    const approvedAt = expense.approvedDay === null ? null : instant(expense.approvedDay, 10);
    tables.expense.push({
      id: expense.id,
      created_at: instant(expense.day, 18),
      updated_at: expense.invoicedDay !== null ? instant(expense.invoicedDay, 11) : (approvedAt ?? instant(expense.day, 18)),
      resource_id: expense.resource.id,
      project_id: project.id,
      date: isoOf(expense.day),
      category: expense.category,
      amount: fromCents(expense.amount),
      currency,
      billable: expense.billable,
      markup_pct: `${expense.markupPct}.00`,
      bill_amount: fromCents(expense.billAmount),
      description: expense.description,
      receipt_url: `https://receipts.example/${expense.id}.pdf`,
      status: expense.status,
      approved_at: approvedAt,
      invoice_id: expense.invoiceId,
      invoice_line_id: expense.invoiceLineId,
    });
  }
}

function pickHealth(project: Project): string {
  // Deterministic from the project: cost overrun against the budget gives AMBER / RED (Celoxis budget health).
  const cost = project.entries.reduce((sum, entry) => sum + entry.costAmount, 0);
  const ratio = cost / Math.max(1, project.budget);
  return ratio > 0.75 ? 'RED' : ratio > 0.55 ? 'AMBER' : 'GREEN';
}

function writeInvoice(context: GenerationContext, invoice: Invoice, customer: Customer, clientId: string): void {
  const { tables, counters } = context;
  const deal = invoice.project.deal;
  const at = instant(invoice.issueDay, 10);
  const year = Number(isoOf(invoice.issueDay).slice(0, 4));
  const perYear = counters.invoices.get(deal.legalEntity.id) ?? new Map<number, number>();
  counters.invoices.set(deal.legalEntity.id, perYear);
  perYear.set(year, (perYear.get(year) ?? 0) + 1);
  tables.invoice.push({
    id: invoice.id,
    created_at: at,
    updated_at: invoice.allocated ? instant(Math.min(REFERENCE_DAY - 1, invoice.issueDay + 30), 15) : at,
    // Final numbers are given in issue-date order per legal entity and year once every invoice is in.
    number: `PENDING-${invoice.id}`,
    customer_id: customer.id,
    client_id: clientId,
    legal_entity_id: deal.legalEntity.id,
    contract_id: deal.contractId,
    project_id: invoice.project.id,
    issue_date: isoOf(invoice.issueDay),
    due_date: isoOf(invoice.dueDay),
    currency: deal.currency,
    fx_rate: invoice.fxRate,
    tax_rate: deal.legalEntity.taxRate,
    subtotal: fromCents(invoice.subtotal),
    tax: fromCents(invoice.tax),
    total: fromCents(invoice.total),
    amount_due: fromCents(invoice.total - invoice.allocated),
    base_currency: deal.legalEntity.currency,
    base_total: fromCents(invoice.baseTotal),
    status: 'POSTED',
    posted_at: instant(invoice.issueDay, 11),
    cancelled_at: null,
  });
  for (const line of invoice.lines) {
    tables.invoiceLine.push({
      id: line.id,
      created_at: at,
      updated_at: at,
      invoice_id: invoice.id,
      source_type: line.sourceType,
      source_ids: line.sourceIds,
      description: line.description,
      qty: fromCents(line.qty),
      rate: fromCents(line.rate),
      amount: fromCents(line.amount),
      currency: deal.currency,
      contract_line_id: line.contractLineId,
      billing_schedule_line_id: line.billingScheduleLineId,
    });
  }
}

/** Weekly utilization per resource (Monday periods) from approved and invoiced time, as the PSA computes it. */
export function writeUtilization(context: GenerationContext): number {
  const { tables, world } = context;
  const ids = Random.of(context.seed, 'utilization-ids');
  let rows = 0;
  const firstWeek = weekStart(HISTORY_START_DAY);
  const lastWeek = weekStart(REFERENCE_DAY - 1);
  for (const resource of world.resources) {
    const weeks = context.utilization.get(resource.index);
    const capacity = resource.capacityHoursPerWeek;
    for (let week = firstWeek; week <= lastWeek; week += 7) {
      const [billable, total] = weeks?.get(week) ?? [0, 0];
      const at = instant(week + 7, 2);
      tables.utilizationPeriod.push({
        id: uuidV7(ids, at),
        created_at: at,
        updated_at: at,
        resource_id: resource.id,
        period: isoOf(week),
        available_hours: fromCents(capacity * 100),
        billable_hours: fromCents(billable),
        total_hours: fromCents(total),
        billable_util_pct: fromCents(percentHalfUp(billable, capacity)),
        total_util_pct: fromCents(percentHalfUp(total, capacity)),
        target_pct: resource.utilizationTargetPct,
      });
      rows++;
    }
  }
  return rows;
}

/** hours (hundredths) / capacity (hours) × 100, as hundredths of a percent rounded half up (PostgreSQL round()). */
function percentHalfUp(hours: Cents, capacity: number): Cents {
  return Math.floor((hours * 100 * 2 + capacity) / (2 * capacity));
}

export function writeResources(context: GenerationContext): void {
  for (const resource of context.world.resources) {
    const at = instant(resource.hireDay, 9);
    context.tables.resource.push({
      id: resource.id,
      created_at: at,
      updated_at: at,
      person_id: resource.personId,
      name: resource.name,
      primary_role: resource.role,
      cost_rate: rate6(resource.costRate),
      currency: resource.currency,
      capacity_hours_per_week: fromCents(resource.capacityHoursPerWeek * 100),
      utilization_target_pct: resource.utilizationTargetPct,
      utilization_target_effective_date: isoOf(resource.hireDay),
      legal_entity_id: resource.legalEntity.id,
      active: true,
    });
  }
}
