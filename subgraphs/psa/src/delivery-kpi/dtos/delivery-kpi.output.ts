import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Money } from '@concord/graphql';

@ObjectType('HoursUtilization', {
  description:
    'Utilization over a date range (DOMAIN.md §3): hours of APPROVED/INVOICED time against available hours = weekly capacity / 5 per weekday of the range (time off and holidays are not modelled yet), decimal strings.',
})
export class HoursUtilization {
  @Field({ description: 'Σ capacityHoursPerWeek / 5 × weekdays in the range.' })
  availableHours: string;

  @Field({ description: 'Σ billableHours of APPROVED/INVOICED entries dated in the range.' })
  billableHours: string;

  @Field({ description: 'Σ hours of APPROVED/INVOICED entries dated in the range.' })
  totalHours: string;

  @Field(() => String, { nullable: true, description: 'billableHours / availableHours × 100, 2 decimals; null when nothing is available.' })
  billableUtilPct: string | null;

  @Field(() => String, { nullable: true, description: 'totalHours / availableHours × 100, 2 decimals; null when nothing is available.' })
  totalUtilPct: string | null;
}

@ObjectType('Realization', { description: 'Realization (hours form, DOMAIN.md §3): billed hours / recorded billable hours.' })
export class Realization {
  @Field({ description: 'Σ billableHours of APPROVED/INVOICED entries dated in the range.' })
  billableHours: string;

  @Field({ description: 'Σ billableHours of those entries that are INVOICED.' })
  billedHours: string;

  @Field(() => String, { nullable: true, description: 'billedHours / billableHours × 100, 2 decimals; null without billable hours.' })
  realizationPct: string | null;
}

@ObjectType('EffectiveBillRate', {
  description:
    'Effective bill rate in one currency: billed amount / total hours worked. Billed = billAmount of INVOICED time (what the ERP invoiced from this time; recognised revenue lives in the ERP); hours = every APPROVED/INVOICED hour on projects in that currency, billable or not.',
})
export class EffectiveBillRate {
  @Field()
  currency: string;

  @Field(() => Money, { description: 'Σ billAmount of INVOICED time dated in the range.' })
  billedAmount: Money;

  @Field({ description: 'Σ hours of APPROVED/INVOICED time dated in the range.' })
  hoursWorked: string;

  @Field(() => Money, { nullable: true, description: 'billedAmount / hoursWorked, rounded to cents; null without hours.' })
  rate: Money | null;
}

@ObjectType('TimeCompliance', {
  description:
    'Time-entry compliance: how much of the expected working time has SUBMITTED (or later) time. Expected = each weekday of the range for every resource with capacity, capacity / 5 hours a day.',
})
export class TimeCompliance {
  @Field(() => Int, { description: 'Weekdays × resources with capacity.' })
  expectedDays: number;

  @Field(() => Int, { description: 'Of those, the weekdays with SUBMITTED/APPROVED/INVOICED time.' })
  daysWithTime: number;

  @Field(() => String, { nullable: true, description: 'daysWithTime / expectedDays × 100, 2 decimals.' })
  dayCompliancePct: string | null;

  @Field({ description: 'Σ capacity / 5 × weekdays.' })
  expectedHours: string;

  @Field({ description: 'Σ hours of SUBMITTED/APPROVED/INVOICED time, each resource capped at its expected hours.' })
  submittedHours: string;

  @Field(() => String, { nullable: true, description: 'submittedHours / expectedHours × 100, 2 decimals.' })
  hourCompliancePct: string | null;
}

@ObjectType('RevenueLeakage', {
  description:
    'Revenue leakage (PSA part) in one currency: APPROVED billable time and expenses dated in the range that are still not invoiced graceDays after the end of their month.',
})
export class RevenueLeakage {
  @Field()
  currency: string;

  @Field(() => Int)
  timeEntries: number;

  @Field({ description: 'Σ billableHours of the leaking time entries.' })
  hours: string;

  @Field(() => Int)
  expenses: number;

  @Field(() => Money, { description: 'Σ billAmount of the leaking time entries.' })
  timeAmount: Money;

  @Field(() => Money, { description: 'Σ billAmount of the leaking expenses.' })
  expenseAmount: Money;

  @Field(() => Money, { description: 'timeAmount + expenseAmount.' })
  amount: Money;
}

@ObjectType('ResourceDeliveryKpis', { description: "A resource's delivery KPIs over a date range." })
export class ResourceDeliveryKpis {
  @Field()
  from: string;

  @Field()
  to: string;

  @Field(() => HoursUtilization)
  utilization: HoursUtilization;

  @Field(() => Realization)
  realization: Realization;

  @Field(() => TimeCompliance)
  compliance: TimeCompliance;

  @Field(() => [EffectiveBillRate], { description: 'One per currency of the projects the resource worked on.' })
  effectiveBillRates: EffectiveBillRate[];
}

@ObjectType('DeliveryKpis', {
  description:
    'Portfolio delivery KPIs over a date range. Hours KPIs (utilization, realization, compliance) cover the resources of the legal entity (active, or with time in the range); money KPIs (bill rates, leakage) the projects of the legal entity.',
})
export class DeliveryKpis {
  @Field()
  from: string;

  @Field()
  to: string;

  @Field(() => ID, { nullable: true })
  legalEntityId: string | null;

  @Field({ description: 'The date leakage is measured on.' })
  asOf: string;

  @Field(() => Int, { description: 'Resources counted in the hours KPIs.' })
  resources: number;

  @Field(() => HoursUtilization)
  utilization: HoursUtilization;

  @Field(() => Realization)
  realization: Realization;

  @Field(() => TimeCompliance)
  compliance: TimeCompliance;

  @Field(() => [EffectiveBillRate], { description: 'One per currency.' })
  effectiveBillRates: EffectiveBillRate[];

  @Field(() => [RevenueLeakage], { description: 'One per currency with leaking work; empty when nothing leaks.' })
  leakage: RevenueLeakage[];

  @Field(() => Int, { description: 'The grace days leakage was measured with.' })
  leakageGraceDays: number;
}

@ObjectType('ProjectEarnedValue', {
  description:
    'Earned value of a project as of a date (DOMAIN.md §3, PMBOK): BAC = budget, EV = percentComplete × BAC, AC = cost of SUBMITTED/APPROVED/INVOICED time + incurred expenses dated up to asOf, CPI = EV / AC, ETC = (BAC − EV) / CPI (BAC − EV while there is no cost), EAC = AC + ETC. Burn per week since the actual (else planned) start; runway = (BAC − AC) / burn.',
})
export class ProjectEarnedValue {
  @Field()
  asOf: string;

  @Field(() => Money, { nullable: true, description: 'BAC: the budget; null without a budget (then every budget figure is null).' })
  budgetAtCompletion: Money | null;

  @Field(() => Money, { nullable: true, description: 'EV = percentComplete / 100 × BAC.' })
  earnedValue: Money | null;

  @Field(() => Money, { description: 'AC: cost incurred up to asOf.' })
  actualCost: Money;

  @Field(() => String, { nullable: true, description: 'CPI = EV / AC, 4 decimals; null without budget or cost.' })
  costPerformanceIndex: string | null;

  @Field(() => Money, { nullable: true, description: 'ETC = (BAC − EV) / CPI, or BAC − EV without cost.' })
  estimateToComplete: Money | null;

  @Field(() => Money, { nullable: true, description: 'EAC = AC + ETC (= BAC / CPI when there is cost).' })
  estimateAtCompletion: Money | null;

  @Field(() => String, { nullable: true, description: 'AC / BAC × 100, 2 decimals.' })
  budgetConsumedPct: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Weeks from the actual (else planned) start to asOf, 2 decimals; null before the start.',
  })
  elapsedWeeks: string | null;

  @Field(() => Money, { nullable: true, description: 'AC / elapsedWeeks.' })
  burnRatePerWeek: Money | null;

  @Field(() => String, {
    nullable: true,
    description: '(BAC − AC) / burnRatePerWeek, 2 decimals; 0 once the budget is spent; null without budget or burn.',
  })
  runwayWeeks: string | null;

  @Field({ description: 'The project percentComplete.' })
  percentComplete: string;

  @Field(() => String, { nullable: true, description: 'Σ hours of SUBMITTED/APPROVED/INVOICED time up to asOf / budgetHours × 100.' })
  hoursConsumedPct: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'REACHED/ACCEPTED milestones / milestones not CANCELLED × 100; null without milestones.',
  })
  milestonesReachedPct: string | null;
}

export enum DeliveryAnomalyKind {
  BURN_AHEAD_OF_PROGRESS = 'BURN_AHEAD_OF_PROGRESS',
  IMPOSSIBLE_DAY = 'IMPOSSIBLE_DAY',
  TIMESHEET_OUTLIER = 'TIMESHEET_OUTLIER',
  WEEKEND_SPIKE = 'WEEKEND_SPIKE',
  MARGIN_EROSION = 'MARGIN_EROSION',
}
registerEnumType(DeliveryAnomalyKind, {
  name: 'DeliveryAnomalyKind',
  valuesMap: {
    BURN_AHEAD_OF_PROGRESS: { description: 'Hours (or, for callers who may see cost, cost) consumed % well ahead of progress.' },
    IMPOSSIBLE_DAY: { description: "A resource's hours on one date above the daily limit (or 24)." },
    TIMESHEET_OUTLIER: { description: "A week far above the resource's own history." },
    WEEKEND_SPIKE: { description: 'Weekend hours in one week above the limit.' },
    MARGIN_EROSION: {
      description: 'Delivered-time margin % of a project fell against the previous period (only for callers who may see margin).',
    },
  },
});

export enum AnomalySeverity {
  WARNING = 'WARNING',
  CRITICAL = 'CRITICAL',
}
registerEnumType(AnomalySeverity, { name: 'AnomalySeverity' });

@ObjectType('DeliveryAnomaly', { description: 'A flag raised on delivery data, with the figures that raised it.' })
export class DeliveryAnomaly {
  @Field(() => DeliveryAnomalyKind)
  kind: DeliveryAnomalyKind;

  @Field(() => AnomalySeverity)
  severity: AnomalySeverity;

  @Field({ description: 'Why it was raised, in words, with the figures.' })
  explanation: string;

  @Field(() => ID, { nullable: true })
  projectId: string | null;

  @Field(() => ID, { nullable: true })
  resourceId: string | null;

  @Field(() => String, { nullable: true, description: 'The day, or the Monday of the week, it is about (ISO date).' })
  date: string | null;

  @Field({ description: 'The measured value, decimal string (hours, percent or points).' })
  measured: string;

  @Field({ description: 'The threshold it crossed, decimal string.' })
  threshold: string;
}
