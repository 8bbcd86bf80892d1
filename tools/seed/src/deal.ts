import { type Cents, multiplyHours, splitCents } from './amounts';
import { addMonths, type Day, HISTORY_START_DAY, REFERENCE_DAY } from './calendar';
import type { BillingModel, Deal, PlannedMilestone, TeamLine } from './model';
import type { Random } from './random';
import { type LegalEntity, TEAM_ROLES, type World } from './world';

const DAYS_PER_WEEK: readonly (readonly [number, number])[] = [
  [1, 8],
  [2, 22],
  [3, 32],
  [4, 22],
  [5, 16],
];

/** Average quarter hours per logged day for a [min, max] quarter range. */
function averageQuarters([min, max]: [number, number]): number {
  return (min + max) / 2;
}

/** Planned hours (hundredths, whole hours) of a team line over its working window. */
function plannedHours(startDay: Day, endDay: Day, daysPerWeek: number, quarters: [number, number]): number {
  const weeks = Math.max(1, (endDay - startDay + 1) / 7);
  return Math.max(8, Math.round(weeks * daysPerWeek * (averageQuarters(quarters) / 4))) * 100;
}

const MILESTONE_NAMES = ['Discovery sign-off', 'Design approved', 'Build complete', 'User acceptance', 'Go-live', 'Hypercare closed'];

/**
 * Plans one won deal: billing model, dates, team (roles, rates, effort) and, by model, the fixed fee or the
 * milestones. Projects start evenly over the 24 months of history and up to two months after the reference
 * date (those are still in SETUP).
 */
export function planDeal(random: Random, world: World, index: number, currency: string, legalEntity: LegalEntity): Deal {
  const billingModel = random.weighted<BillingModel>([
    ['TM', 60],
    ['FIXED', 22],
    ['MILESTONE', 18],
  ]);
  const startDay = random.int(HISTORY_START_DAY + 10, REFERENCE_DAY + 60);
  const months = random.weighted([
    [2, 10],
    [3, 18],
    [4, 18],
    [5, 14],
    [6, 14],
    [8, 12],
    [10, 8],
    [12, 6],
  ] as const);
  const plannedEndDay = addMonths(startDay, months) + random.int(0, 20) - 1;
  // Won before the reference date, even for projects that start after it.
  const closeDay = Math.min(startDay - random.int(7, 35), REFERENCE_DAY - random.int(3, 20));
  const rates = world.billRates.get(currency)!;

  const team: TeamLine[] = [];
  const size = random.weighted([
    [1, 5],
    [2, 30],
    [3, 40],
    [4, 25],
  ] as const);
  const duration = plannedEndDay - startDay;
  for (const role of random.weightedSample(TEAM_ROLES, size)) {
    const offset = team.length === 0 ? 0 : Math.floor(random.next() * duration * 0.2);
    const daysPerWeek = random.weighted(DAYS_PER_WEEK);
    const quartersPerDay: [number, number] = random.chance(0.5) ? [24, 32] : [16, 32];
    team.push({
      role,
      billRate: rates.get(role)!,
      daysPerWeek,
      quartersPerDay,
      startDay: startDay + offset,
      hours: plannedHours(startDay + offset, plannedEndDay, daysPerWeek, quartersPerDay),
    });
  }
  if (months >= 3) {
    team.push({
      role: 'Project Manager',
      billRate: rates.get('Project Manager')!,
      daysPerWeek: 1,
      quartersPerDay: [8, 16],
      startDay,
      hours: plannedHours(startDay, plannedEndDay, 1, [8, 16]),
    });
  }
  if (random.chance(0.2)) {
    team.push({
      role: 'Partner',
      billRate: rates.get('Partner')!,
      daysPerWeek: 0.5,
      quartersPerDay: [4, 12],
      startDay,
      hours: plannedHours(startDay, plannedEndDay, 0.5, [4, 12]),
    });
  }

  const effort = team.reduce((sum, line) => sum + multiplyHours(line.hours, line.billRate * 100), 0);
  let fee: Cents = 0;
  let discountPct = 0;
  const milestones: PlannedMilestone[] = [];
  let total: Cents;
  if (billingModel === 'TM') {
    // The T&M cap is the planned effort plus a contingency, in whole hours.
    for (const line of team) {
      line.hours = Math.ceil((line.hours * (1 + random.int(0, 15) / 100)) / 1000) * 1000;
    }
    total = team.reduce((sum, line) => sum + multiplyHours(line.hours, line.billRate * 100), 0);
  } else {
    // Fixed fees are rounded to hundreds; a discount of 0, 5 or 10 % keeps cents exact.
    const list = Math.max(100_00, Math.round((effort * (0.95 + random.next() * 0.25)) / 100_00) * 100_00);
    discountPct =
      billingModel === 'FIXED'
        ? random.weighted([
            [0, 6],
            [5, 3],
            [10, 1],
          ] as const)
        : 0;
    fee = (list * (100 - discountPct)) / 100;
    if (billingModel === 'MILESTONE') {
      const count = Math.min(MILESTONE_NAMES.length, Math.max(2, Math.round(months / 2) + 1));
      const shares = splitCents(fee / 100, count).map((units) => units * 100);
      const names = count <= 3 ? ['Design approved', 'User acceptance', 'Go-live'].slice(3 - count) : MILESTONE_NAMES.slice(0, count);
      for (let i = 0; i < count; i++) {
        milestones.push({ name: names[i], day: startDay + Math.round(((i + 1) * duration) / count), amount: shares[i] });
      }
    }
    total = fee;
  }

  return {
    index,
    billingModel,
    currency,
    legalEntity,
    closeDay,
    startDay,
    plannedEndDay,
    team,
    fee,
    discountPct,
    milestones,
    total,
    opportunityId: '',
    quoteId: '',
    quoteLineIds: [],
    contractId: '',
    projectId: '',
  };
}
