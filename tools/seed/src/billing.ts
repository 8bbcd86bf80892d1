import { decimal } from '@concord/common';
import { type Cents, multiplyHours, percentOf, scaleCents } from './amounts';
import { addMonths, type Day, instant, monthEnd, monthStart, nextWeekday, REFERENCE_DAY, yearMonth } from './calendar';
import { invoiceDayOf } from './delivery';
import { uuidV7 } from './ids';
import type { ContractLine, Customer, Deal, Project } from './model';
import type { Random } from './random';
import type { World } from './world';

export type InvoiceLineSource = 'TIME' | 'EXPENSE' | 'MILESTONE' | 'FIXED';

export interface InvoiceLine {
  id: string;
  sourceType: InvoiceLineSource;
  sourceIds: string[];
  description: string;
  /** Hundredths (hours, or 1.00 unit). */
  qty: number;
  rate: Cents;
  amount: Cents;
  contractLineId: string | null;
  billingScheduleLineId: string | null;
}

export interface Invoice {
  id: string;
  project: Project;
  issueDay: Day;
  dueDay: Day;
  lines: InvoiceLine[];
  subtotal: Cents;
  tax: Cents;
  total: Cents;
  fxRate: string;
  baseTotal: Cents;
  allocated: Cents;
}

export interface ScheduleLine {
  id: string;
  scheduleId: string;
  plannedDay: Day;
  description: string;
  amount: Cents;
  pct: string | null;
  milestoneId: string | null;
  status: 'PLANNED' | 'READY' | 'INVOICED' | 'CANCELLED';
  invoiceId: string | null;
}

export interface Payment {
  id: string;
  day: Day;
  amount: Cents;
  unallocated: Cents;
  fxRate: string;
  baseAmount: Cents;
  method: string;
  reference: string;
  invoice: Invoice;
  allocationId: string;
}

export interface RevenueRow {
  id: string;
  line: ContractLine;
  period: Day;
  method: string;
  recognized: Cents;
  cumulative: Cents;
  billed: Cents;
}

export interface ChangeOrder {
  id: string;
  number: string;
  status: 'DRAFT' | 'SUBMITTED' | 'APPROVED' | 'APPLIED' | 'REJECTED' | 'WITHDRAWN';
  delta: Cents;
  deltaHours: number;
  newEndDay: Day | null;
  reason: string;
  createdDay: Day;
  approvedDay: Day | null;
  appliedDay: Day | null;
}

export interface Billing {
  invoices: Invoice[];
  scheduleLines: ScheduleLine[];
  payments: Payment[];
  revenue: RevenueRow[];
  changeOrders: ChangeOrder[];
}

/** Contract lines from the accepted quote's lines, 1:1 and in order (DOMAIN.md §2 closed-won step 1). */
export function contractLinesOf(ids: Random, deal: Deal): ContractLine[] {
  const at = instant(deal.closeDay + 1, 10);
  const base = { hoursCap: null, role: null, changeOrderNumber: null, startDay: deal.startDay, milestone: null, billingScheduleId: null };
  if (deal.billingModel === 'TM') {
    return deal.team.map((line, i) => ({
      ...base,
      id: uuidV7(ids, instant(deal.closeDay + 1, 10, i)),
      billingModel: 'TM' as const,
      amount: multiplyHours(line.hours, line.billRate * 100),
      hoursCap: line.hours,
      role: line.role,
      sourceQuoteLineId: deal.quoteLineIds[i],
    }));
  }
  if (deal.billingModel === 'FIXED') {
    return [
      {
        ...base,
        id: uuidV7(ids, at),
        billingModel: 'FIXED' as const,
        amount: deal.fee,
        sourceQuoteLineId: deal.quoteLineIds[0],
        billingScheduleId: uuidV7(ids, at),
      },
    ];
  }
  return deal.milestones.map((milestone, i) => ({
    ...base,
    id: uuidV7(ids, instant(deal.closeDay + 1, 10, i)),
    billingModel: 'MILESTONE' as const,
    amount: milestone.amount,
    sourceQuoteLineId: deal.quoteLineIds[i],
    billingScheduleId: uuidV7(ids, at),
  }));
}

const CHANGE_REASONS = [
  'Additional integration with the client data warehouse',
  'Extended user acceptance testing',
  'New reporting requirements from finance',
  'Scope reduction agreed at steering committee',
  'Additional country rollout',
  'Data migration of legacy archive',
];

/** Change orders in every state; APPLIED ones (T&M projects only) add a contract line and budget (DOMAIN.md §2). */
export function changeOrdersOf(random: Random, ids: Random, project: Project): ChangeOrder[] {
  const deal = project.deal;
  if (project.status === 'SETUP' || !random.chance(0.3)) {
    return [];
  }
  const orders: ChangeOrder[] = [];
  const count = random.chance(0.3) ? 2 : 1;
  for (let i = 0; i < count; i++) {
    const createdDay = random.int(deal.startDay, Math.max(deal.startDay, Math.min(project.stopDay, REFERENCE_DAY - 1)));
    const open = project.status === 'ACTIVE' || project.status === 'ON_HOLD';
    const status = random.weighted<ChangeOrder['status']>(
      deal.billingModel === 'TM'
        ? [
            ['APPLIED', 45],
            ['APPROVED', open ? 10 : 0],
            ['SUBMITTED', open ? 15 : 0],
            ['DRAFT', open ? 10 : 0],
            ['REJECTED', 12],
            ['WITHDRAWN', 8],
          ]
        : [
            ['APPROVED', 30],
            ['SUBMITTED', open ? 20 : 0],
            ['DRAFT', open ? 15 : 0],
            ['REJECTED', 20],
            ['WITHDRAWN', 15],
          ],
    );
    const line = deal.team[0];
    const deltaHours = random.int(4, 20) * 1000;
    const approvedDay = status === 'APPROVED' || status === 'APPLIED' ? Math.min(REFERENCE_DAY - 1, createdDay + random.int(2, 10)) : null;
    const appliedDay = status === 'APPLIED' ? Math.min(REFERENCE_DAY - 1, approvedDay! + random.int(0, 3)) : null;
    orders.push({
      id: uuidV7(ids, instant(createdDay, 11)),
      number: `CO-${String(i + 1).padStart(3, '0')}`,
      status,
      delta: multiplyHours(deltaHours, line.billRate * 100),
      deltaHours,
      newEndDay: random.chance(0.5) ? deal.plannedEndDay + random.int(14, 45) : null,
      reason: random.pick(CHANGE_REASONS),
      createdDay,
      approvedDay,
      appliedDay,
    });
    if (status === 'APPLIED') {
      project.contractLines.push({
        id: uuidV7(ids, instant(appliedDay!, 12)),
        billingModel: 'TM',
        amount: orders[i].delta,
        hoursCap: deltaHours,
        role: null,
        sourceQuoteLineId: null,
        changeOrderNumber: orders[i].number,
        startDay: appliedDay!,
        milestone: null,
        billingScheduleId: null,
      });
      project.budget += orders[i].delta;
      project.budgetHours += deltaHours;
    }
  }
  return orders;
}

function makeInvoice(ids: Random, world: World, project: Project, customer: Customer, issueDay: Day, lines: InvoiceLine[]): Invoice {
  const deal = project.deal;
  const subtotal = lines.reduce((sum, line) => sum + line.amount, 0);
  const tax = scaleCents(subtotal, decimal(deal.legalEntity.taxRate).dividedBy(100).toString());
  const total = subtotal + tax;
  const fxRate = world.fx.rate(deal.currency, deal.legalEntity.currency, issueDay);
  return {
    id: uuidV7(ids, instant(issueDay, 10)),
    project,
    issueDay,
    dueDay: issueDay + customer.paymentTermsDays,
    lines,
    subtotal,
    tax,
    total,
    fxRate,
    baseTotal: scaleCents(total, fxRate),
    allocated: 0,
  };
}

/**
 * Bills a project up to the reference date. T&M: one invoice per month with billable work, issued on the second
 * working day of the next month: one TIME line per assignment (qty = hours, amount = the entries' bill amounts,
 * exactly) and one EXPENSE line per billable expense; the work becomes INVOICED with the invoice and line ids.
 * FIXED: billing schedule lines by date; MILESTONE: one per accepted milestone. Everything else gets its
 * status by age.
 */
export function billProject(
  random: Random,
  ids: Random,
  world: World,
  project: Project,
  customer: Customer,
): { invoices: Invoice[]; scheduleLines: ScheduleLine[] } {
  const deal = project.deal;
  const invoices: Invoice[] = [];
  const scheduleLines: ScheduleLine[] = [];
  const lastWorkDay = Math.min(project.stopDay, REFERENCE_DAY - 1);

  if (deal.billingModel === 'TM' && project.entries.length) {
    for (let month = monthStart(deal.startDay); month <= lastWorkDay; month = addMonths(month, 1)) {
      const issueDay = invoiceDayOf(month);
      if (issueDay >= REFERENCE_DAY) {
        break;
      }
      const end = monthEnd(month);
      const entries = project.entries.filter((entry) => entry.billable && entry.day >= month && entry.day <= end);
      const expenses = project.expenses.filter((expense) => expense.billable && expense.day >= month && expense.day <= end);
      if (!entries.length && !expenses.length) {
        continue;
      }
      const lines: InvoiceLine[] = [];
      const at = instant(issueDay, 10);
      for (const assignment of project.assignments) {
        const billed = entries.filter((entry) => entry.assignment === assignment);
        if (!billed.length) {
          continue;
        }
        const line: InvoiceLine = {
          id: uuidV7(ids, at),
          sourceType: 'TIME',
          sourceIds: billed.map((entry) => entry.id),
          description: `${assignment.resource.name} (${assignment.role}), ${yearMonth(month)}`,
          qty: billed.reduce((sum, entry) => sum + entry.hours, 0),
          rate: assignment.billRate * 100,
          amount: billed.reduce((sum, entry) => sum + entry.billAmount, 0),
          contractLineId: assignment.contractLine?.id ?? null,
          billingScheduleLineId: null,
        };
        lines.push(line);
        for (const entry of billed) {
          entry.invoiceLineId = line.id;
        }
      }
      for (const expense of expenses) {
        const line: InvoiceLine = {
          id: uuidV7(ids, at),
          sourceType: 'EXPENSE',
          sourceIds: [expense.id],
          description: `${expense.category.toLowerCase()}: ${expense.description}`,
          qty: 100,
          rate: expense.billAmount,
          amount: expense.billAmount,
          contractLineId: null,
          billingScheduleLineId: null,
        };
        lines.push(line);
        expense.invoiceLineId = line.id;
      }
      const invoice = makeInvoice(ids, world, project, customer, issueDay, lines);
      invoices.push(invoice);
      for (const item of [...entries, ...expenses]) {
        item.status = 'INVOICED';
        item.invoiceId = invoice.id;
        item.invoicedDay = issueDay;
        item.approvedDay = Math.max(item.day, Math.min(issueDay - 1, item.day + random.int(1, 5)));
      }
    }
  }

  const started = project.status !== 'SETUP';
  if (deal.billingModel === 'FIXED') {
    const line = project.contractLines[0];
    const pcts = random.pick([
      [30, 40, 30],
      [50, 50],
      [25, 25, 25, 25],
      [20, 30, 50],
    ]);
    const amounts = pcts.map((pct) => percentOf(line.amount, pct));
    amounts[amounts.length - 1] = line.amount - amounts.slice(0, -1).reduce((sum, amount) => sum + amount, 0);
    const span = deal.plannedEndDay - deal.startDay;
    pcts.forEach((pct, i) => {
      const plannedDay = i === 0 ? deal.startDay + 14 : deal.startDay + Math.round((span * (i + 1)) / pcts.length);
      scheduleLines.push(
        scheduleLine(ids, line, plannedDay, `Instalment ${i + 1} of ${pcts.length} (${pct} %)`, amounts[i], `${pct}.00`, null),
      );
    });
  }
  if (deal.billingModel === 'MILESTONE') {
    for (const line of project.contractLines) {
      if (!line.milestone) {
        continue;
      }
      scheduleLines.push(
        scheduleLine(ids, line, line.milestone.targetDay, `Milestone: ${line.milestone.name}`, line.amount, null, line.milestone.id),
      );
    }
  }
  for (const scheduled of scheduleLines) {
    const line = project.contractLines.find((candidate) => candidate.billingScheduleId === scheduled.scheduleId)!;
    const milestone = line.milestone;
    let readyDay: Day | null = null;
    if (project.status === 'CANCELLED' && (milestone ? milestone.status === 'CANCELLED' : scheduled.plannedDay > project.stopDay)) {
      scheduled.status = 'CANCELLED';
      continue;
    }
    if (milestone) {
      readyDay = milestone.status === 'ACCEPTED' ? milestone.acceptedDay : null;
    } else if (started && scheduled.plannedDay < REFERENCE_DAY) {
      readyDay = scheduled.plannedDay;
    }
    if (readyDay === null) {
      continue;
    }
    const issueDay = nextWeekday(readyDay + 1);
    // Recently ready lines are often still waiting for the next billing run.
    if (issueDay >= REFERENCE_DAY - 1 || (readyDay >= REFERENCE_DAY - 20 && random.chance(0.5))) {
      scheduled.status = 'READY';
      continue;
    }
    const invoiceLine: InvoiceLine = {
      id: uuidV7(ids, instant(issueDay, 10)),
      sourceType: milestone ? 'MILESTONE' : 'FIXED',
      sourceIds: milestone ? [milestone.id] : [],
      description: scheduled.description,
      qty: 100,
      rate: scheduled.amount,
      amount: scheduled.amount,
      contractLineId: line.id,
      billingScheduleLineId: scheduled.id,
    };
    const invoice = makeInvoice(ids, world, project, customer, issueDay, [invoiceLine]);
    invoices.push(invoice);
    scheduled.status = 'INVOICED';
    scheduled.invoiceId = invoice.id;
  }
  invoices.sort((a, b) => a.issueDay - b.issueDay);
  return { invoices, scheduleLines };
}

function scheduleLine(
  ids: Random,
  line: ContractLine,
  plannedDay: Day,
  description: string,
  amount: Cents,
  pct: string | null,
  milestoneId: string | null,
): ScheduleLine {
  return {
    id: uuidV7(ids, instant(plannedDay - 30, 10)),
    scheduleId: line.billingScheduleId!,
    plannedDay,
    description,
    amount,
    pct,
    milestoneId,
    status: 'PLANNED',
    invoiceId: null,
  };
}

/**
 * Customer payments: most invoices are paid around their due date, some partly, some not at all, so that some
 * posted invoices are overdue at the reference date. One payment per paid invoice, a few with money left on
 * account (unallocated).
 */
export function payInvoices(random: Random, ids: Random, world: World, invoices: Invoice[]): Payment[] {
  const payments: Payment[] = [];
  for (const invoice of invoices) {
    const deal = invoice.project.deal;
    const due = invoice.dueDay < REFERENCE_DAY;
    const kind = due
      ? random.weighted([
          ['PAID', invoice.dueDay < REFERENCE_DAY - 60 ? 96 : 82],
          ['PARTIAL', 6],
          ['UNPAID', invoice.dueDay < REFERENCE_DAY - 60 ? 1 : 12],
        ] as const)
      : random.weighted([
          ['PAID', 25],
          ['UNPAID', 75],
        ] as const);
    if (kind === 'UNPAID') {
      continue;
    }
    const payDay = Math.min(REFERENCE_DAY - 1, Math.max(invoice.issueDay + 3, invoice.dueDay + random.int(-15, 20)));
    if (payDay <= invoice.issueDay) {
      continue;
    }
    const allocated =
      kind === 'PAID' ? invoice.total : Math.max(100, Math.round((invoice.total * (0.3 + random.next() * 0.4)) / 100) * 100);
    if (allocated <= 0 || allocated > invoice.total) {
      continue;
    }
    const unallocated = kind === 'PAID' && random.chance(0.03) ? random.int(1, 50) * 100 : 0;
    const amount = allocated + unallocated;
    const fxRate = world.fx.rate(deal.currency, deal.legalEntity.currency, payDay);
    invoice.allocated = allocated;
    payments.push({
      id: uuidV7(ids, instant(payDay, 15)),
      day: payDay,
      amount,
      unallocated,
      fxRate,
      baseAmount: scaleCents(amount, fxRate),
      method: random.weighted(
        deal.legalEntity.country === 'US'
          ? [
              ['BANK_TRANSFER', 70],
              ['CHECK', 15],
              ['CARD', 5],
              ['DIRECT_DEBIT', 10],
            ]
          : [
              ['BANK_TRANSFER', 80],
              ['DIRECT_DEBIT', 15],
              ['CARD', 5],
            ],
      ),
      reference: `RMT-${random.hex(10).toUpperCase()}`,
      invoice,
      allocationId: uuidV7(ids, instant(payDay, 15)),
    });
  }
  return payments;
}

/**
 * The revenue ledger per contract line and month, from the contract start to the last closed month
 * (DOMAIN.md §1 RevenueEntry): T&M as delivered (approved bill amounts), fixed fee by percent complete
 * (hours delivered / budget hours), milestones when accepted; billed to date from the posted invoices.
 */
export function revenueOf(ids: Random, project: Project, invoices: Invoice[]): RevenueRow[] {
  const deal = project.deal;
  if (project.status === 'SETUP') {
    return [];
  }
  const rows: RevenueRow[] = [];
  const lastMonth = monthStart(Math.min(REFERENCE_DAY - 1, project.actualEndDay ?? REFERENCE_DAY - 1));
  const delivered = project.entries.filter((entry) => entry.status === 'APPROVED' || entry.status === 'INVOICED');
  const budgetHours = deal.team.reduce((sum, line) => sum + line.hours, 0);
  const complete = project.status === 'COMPLETED' || project.status === 'CLOSED';
  for (const line of project.contractLines) {
    let cumulative = 0;
    let billed = 0;
    const lineInvoiceLines = invoices.flatMap((invoice) =>
      invoice.lines.filter((invoiceLine) => invoiceLine.contractLineId === line.id).map((invoiceLine) => ({ invoice, invoiceLine })),
    );
    for (let month = monthStart(line.startDay); month <= lastMonth; month = addMonths(month, 1)) {
      const end = monthEnd(month);
      let target = cumulative;
      if (line.billingModel === 'TM') {
        target += delivered
          .filter((entry) => entry.billable && entry.assignment.contractLine === line && entry.day >= month && entry.day <= end)
          .reduce((sum, entry) => sum + entry.billAmount, 0);
      } else if (line.billingModel === 'FIXED') {
        const hours = delivered.filter((entry) => entry.day <= end).reduce((sum, entry) => sum + entry.hours, 0);
        const ratio = complete && month === lastMonth ? '1' : decimal(Math.min(hours, budgetHours)).dividedBy(budgetHours).toFixed(6);
        target = Math.max(cumulative, scaleCents(line.amount, ratio));
      } else if (line.milestone?.status === 'ACCEPTED' && line.milestone.acceptedDay! <= end) {
        target = line.amount;
      }
      billed = lineInvoiceLines
        .filter(({ invoice }) => invoice.issueDay <= end)
        .reduce((sum, { invoiceLine }) => sum + invoiceLine.amount, 0);
      rows.push({
        id: uuidV7(ids, instant(end + 1, 3)),
        line,
        period: month,
        method: revRecMethodOf(line),
        recognized: target - cumulative,
        cumulative: target,
        billed,
      });
      cumulative = target;
    }
  }
  return rows;
}

export function revRecMethodOf(line: ContractLine): string {
  return line.billingModel === 'TM' ? 'TM_AS_DELIVERED' : line.billingModel === 'FIXED' ? 'PCT_COMPLETE' : 'MILESTONE';
}
