import { type Cents, multiplyHours, multiplyRate, rate6, scaleCents, toMicros } from './amounts';
import { addMonths, type Day, HISTORY_START_DAY, isWeekday, REFERENCE_DAY } from './calendar';
import { decimal } from '@concord/common';
import { uuidV7 } from './ids';
import type { Assignment, ContractLine, Deal, Expense, Milestone, Project, ProjectStatus, Task, TimeEntry, WorkStatus } from './model';
import type { Random } from './random';
import type { Resource, World } from './world';
import { instant } from './calendar';

const PHASES: Record<number, string[]> = {
  2: ['Assessment', 'Delivery'],
  3: ['Discovery', 'Build', 'Handover'],
  4: ['Discovery', 'Design', 'Build', 'Deployment'],
  5: ['Discovery', 'Design', 'Build', 'Test', 'Deployment'],
};

const EXPENSES: readonly (readonly [string, number, number, string])[] = [
  ['TRAVEL', 150, 900, 'Flight to client site'],
  ['LODGING', 120, 600, 'Hotel near client site'],
  ['MEALS', 20, 90, 'Team dinner with client'],
  ['MILEAGE', 25, 140, 'Mileage to client office'],
  ['SOFTWARE', 50, 400, 'Project software licence'],
  ['OTHER', 20, 200, 'Workshop materials'],
];

/** Status of delivered work (time or expense) by its age and whether its month has been invoiced. */
export function workStatus(random: Random, day: Day, invoiced: boolean): WorkStatus {
  if (invoiced) {
    return 'INVOICED';
  }
  const age = REFERENCE_DAY - day;
  if (age > 12) {
    return 'APPROVED';
  }
  if (age > 5) {
    return random.weighted<WorkStatus>([
      ['SUBMITTED', 65],
      ['APPROVED', 30],
      ['REJECTED', 5],
    ]);
  }
  return random.weighted<WorkStatus>([
    ['DRAFT', 60],
    ['SUBMITTED', 40],
  ]);
}

/** Day the invoice of a month's T&M work is issued: the second working day of the next month. */
export function invoiceDayOf(month: Day): Day {
  let day = addMonths(month, 1);
  let working = 0;
  for (;;) {
    if (isWeekday(day) && ++working === 2) {
      return day;
    }
    day++;
  }
}

/** Whether T&M work of `day` was on an invoice issued before the reference date. */
export function isInvoicedMonth(day: Day): boolean {
  return invoiceDayOf(addMonths(day, 0)) < REFERENCE_DAY;
}

function projectStatus(random: Random, deal: Deal): { status: ProjectStatus; stopDay: Day; actualEndDay: Day | null } {
  const { startDay, plannedEndDay } = deal;
  if (startDay >= REFERENCE_DAY) {
    return { status: 'SETUP', stopDay: startDay - 1, actualEndDay: null };
  }
  if (startDay < REFERENCE_DAY - 90 && random.chance(0.03)) {
    const stopDay = startDay + Math.round((plannedEndDay - startDay) * (0.3 + random.next() * 0.2));
    if (stopDay < REFERENCE_DAY - 1) {
      return { status: 'CANCELLED', stopDay, actualEndDay: stopDay };
    }
  }
  const endDay = plannedEndDay + (random.chance(0.3) ? random.int(1, 20) : 0);
  if (endDay < REFERENCE_DAY - 5) {
    return { status: endDay < REFERENCE_DAY - 75 && random.chance(0.6) ? 'CLOSED' : 'COMPLETED', stopDay: endDay, actualEndDay: endDay };
  }
  if (startDay < REFERENCE_DAY - 45 && random.chance(0.06)) {
    return { status: 'ON_HOLD', stopDay: REFERENCE_DAY - random.int(10, 40), actualEndDay: null };
  }
  return { status: 'ACTIVE', stopDay: REFERENCE_DAY - 1, actualEndDay: null };
}

/** Picks the least booked of a few candidates for the role (mostly from the deal's legal entity). */
function pickResource(random: Random, world: World, role: string, deal: Deal, fromDay: Day, toDay: Day): Resource {
  const all = world.resourcesByRole.get(role)!;
  const local = all.filter((resource) => resource.legalEntity === deal.legalEntity);
  const pool = local.length && random.chance(0.8) ? local : all;
  const from = Math.max(0, fromDay - HISTORY_START_DAY);
  const to = Math.min(REFERENCE_DAY - 1, toDay) - HISTORY_START_DAY;
  let best: Resource | null = null;
  let bestLoad = Infinity;
  for (const candidate of random.sample(pool, 4)) {
    let load = 0;
    for (let d = from; d <= to; d++) {
      load += candidate.load[d];
    }
    if (load < bestLoad) {
      best = candidate;
      bestLoad = load;
    }
  }
  return best!;
}

export interface DeliveryIds {
  random: Random;
  ids: Random;
}

/**
 * Delivers a deal: the project with its status and dates, phase tasks, milestones (MILESTONE deals), one
 * assignment per team line with bill and cost rates snapshotted in the project currency, time entries on
 * weekdays inside each assignment (never more than a working day per resource and day), and expenses.
 * Invoicing decides the final status of billable work later.
 */
export function deliver(
  { random, ids }: DeliveryIds,
  world: World,
  deal: Deal,
  code: string,
  name: string,
  contractLines: ContractLine[],
  managerId: string,
): Project {
  const { status, stopDay, actualEndDay } = projectStatus(random, deal);
  const started = status !== 'SETUP';
  const currency = deal.currency;
  const lastWorkDay = Math.min(stopDay, REFERENCE_DAY - 1);
  const billableProject = deal.billingModel === 'TM';

  // Milestones (MILESTONE deals): one per contract line, reached and accepted by their dates.
  const milestones: Milestone[] = [];
  for (const line of contractLines) {
    const planned = deal.milestones[milestones.length];
    if (line.billingModel !== 'MILESTONE' || !planned) {
      continue;
    }
    let milestoneStatus: Milestone['status'] = 'PLANNED';
    let reachedDay: Day | null = null;
    let acceptedDay: Day | null = null;
    if (status === 'CANCELLED' && planned.day > stopDay) {
      milestoneStatus = 'CANCELLED';
    } else if (started && (planned.day < REFERENCE_DAY - 25 || (planned.day < REFERENCE_DAY - 3 && random.chance(0.5)))) {
      milestoneStatus = 'ACCEPTED';
      reachedDay = planned.day;
      acceptedDay = Math.min(REFERENCE_DAY - 1, planned.day + random.int(2, 7));
    } else if (planned.day < REFERENCE_DAY && started) {
      milestoneStatus = 'REACHED';
      reachedDay = planned.day;
    }
    const milestone: Milestone = {
      id: uuidV7(ids, instant(deal.closeDay + 1, 11, milestones.length)),
      name: planned.name,
      targetDay: planned.day,
      status: milestoneStatus,
      reachedDay,
      acceptedDay,
      amount: planned.amount,
      contractLine: line,
    };
    line.milestone = milestone;
    milestones.push(milestone);
  }

  // Phase tasks split the planned duration; on MILESTONE deals each phase ends at its milestone.
  const tasks: Task[] = [];
  const span = deal.plannedEndDay - deal.startDay + 1;
  if (milestones.length) {
    let from = deal.startDay;
    for (const milestone of milestones) {
      tasks.push({
        id: uuidV7(ids, instant(deal.closeDay + 1, 12, tasks.length)),
        name: `Deliver: ${milestone.name}`,
        startDay: from,
        endDay: Math.max(from, milestone.targetDay),
        milestone,
      });
      from = Math.max(from, milestone.targetDay) + 1;
    }
  } else {
    const phases = PHASES[Math.min(5, Math.max(2, Math.round(span / 45)))];
    phases.forEach((phase, i) => {
      tasks.push({
        id: uuidV7(ids, instant(deal.closeDay + 1, 12, tasks.length)),
        name: phase,
        startDay: deal.startDay + Math.floor((i * span) / phases.length),
        endDay: deal.startDay + Math.floor(((i + 1) * span) / phases.length) - 1,
        milestone: null,
      });
    });
  }
  const managementTask: Task | null = deal.team.some((line) => line.role === 'Project Manager')
    ? {
        id: uuidV7(ids, instant(deal.closeDay + 1, 12, tasks.length)),
        name: 'Project management',
        startDay: deal.startDay,
        endDay: deal.plannedEndDay,
        milestone: null,
      }
    : null;
  if (managementTask) {
    tasks.push(managementTask);
  }
  const phaseTasks = managementTask ? tasks.slice(0, -1) : tasks;

  // Assignments and their time.
  const assignments: Assignment[] = [];
  const entries: TimeEntry[] = [];
  const roleLines = new Map(contractLines.filter((line) => line.role).map((line) => [line.role!, line]));
  for (const team of deal.team) {
    const resource = pickResource(random, world, team.role, deal, team.startDay, deal.plannedEndDay);
    const costRate = rate6(
      decimal(resource.costRate)
        .times(world.fx.rate(resource.currency, currency, Math.min(team.startDay, REFERENCE_DAY - 1)))
        .toString(),
    );
    const assignment: Assignment = {
      id: uuidV7(ids, instant(deal.closeDay + random.int(1, 6), 14)),
      resource,
      role: team.role,
      billRate: team.billRate,
      costRate,
      costRateMicros: toMicros(costRate),
      startDay: team.startDay,
      endDay: deal.plannedEndDay,
      scheduledHours: team.hours,
      contractLine: roleLines.get(team.role) ?? null,
      requestId: uuidV7(ids, instant(deal.closeDay + 1, 13)),
      team,
    };
    assignments.push(assignment);
    if (!started) {
      continue;
    }
    const dailyCap = Math.floor((resource.capacityHoursPerWeek * 4) / 5);
    const last = Math.min(lastWorkDay, assignment.endDay);
    for (let day = assignment.startDay; day <= last; day++) {
      if (!isWeekday(day) || !random.chance(team.daysPerWeek / 5)) {
        continue;
      }
      const slot = day - HISTORY_START_DAY;
      const free = dailyCap - resource.load[slot];
      const wanted = random.int(team.quartersPerDay[0], team.quartersPerDay[1]);
      const quarters = Math.min(wanted, free);
      if (quarters < 4) {
        continue;
      }
      resource.load[slot] += quarters;
      const hours = quarters * 25;
      // Internal time on T&M projects (5 %) and all time on fixed-fee projects is not billed by the hour.
      const billable = billableProject && !random.chance(0.05);
      const task =
        team.role === 'Project Manager' && managementTask
          ? managementTask
          : (phaseTasks.find((candidate) => day <= candidate.endDay) ?? phaseTasks[phaseTasks.length - 1]);
      entries.push({
        id: uuidV7(ids, instant(day, 17, random.int(0, 119))),
        assignment,
        task,
        day,
        hours,
        billable,
        billAmount: billable ? multiplyHours(hours, assignment.billRate * 100) : 0,
        costAmount: multiplyRate(hours, assignment.costRateMicros),
        status: 'DRAFT',
        approvedDay: null,
        invoiceId: null,
        invoiceLineId: null,
        invoicedDay: null,
      });
    }
  }

  // Expenses: a few per month of delivery, on days the resource worked on the project.
  const expenses: Expense[] = [];
  if (entries.length) {
    const count = Math.round(((lastWorkDay - deal.startDay) / 30) * (0.5 + random.next()));
    for (let i = 0; i < count; i++) {
      const entry = random.pick(entries);
      const [category, min, max, description] = random.pick(EXPENSES);
      const amount: Cents = random.int(min * 100, max * 100);
      const billable = billableProject && random.chance(0.85);
      const markupPct = billable && random.chance(0.3) ? 10 : 0;
      expenses.push({
        id: uuidV7(ids, instant(entry.day, 18, random.int(0, 59))),
        resource: entry.assignment.resource,
        day: entry.day,
        category,
        amount,
        billable,
        markupPct,
        // as psa prices it: amount × (1 + markup / 100), rounded once (not amount + a rounded markup)
        billAmount: billable ? scaleCents(amount, decimal(markupPct).dividedBy(100).plus(1).toString()) : 0,
        description,
        status: 'DRAFT',
        approvedDay: null,
        invoiceId: null,
        invoiceLineId: null,
        invoicedDay: null,
      });
    }
    expenses.sort((a, b) => a.day - b.day);
  }

  const budgetHours = deal.team.reduce((sum, line) => sum + line.hours, 0);
  return {
    id: uuidV7(ids, instant(deal.closeDay + 1, 10)),
    code,
    name,
    deal,
    status,
    stopDay,
    actualStartDay: started ? deal.startDay : null,
    actualEndDay,
    activatedDay: started ? deal.startDay - random.int(0, 5) : null,
    contractLines,
    tasks,
    milestones,
    assignments,
    entries,
    expenses,
    budgetHours,
    budget: deal.total,
    managerId,
  };
}

/** Non-billable and not-yet-invoiced work gets its status by age; approval a few days after the work. */
export function settleUninvoicedWork(random: Random, project: Project): void {
  for (const item of [...project.entries, ...project.expenses]) {
    if (item.status === 'INVOICED') {
      continue;
    }
    item.status = workStatus(random, item.day, false);
    if (item.status === 'APPROVED') {
      item.approvedDay = Math.min(REFERENCE_DAY - 1, item.day + random.int(1, 6));
    }
  }
}
