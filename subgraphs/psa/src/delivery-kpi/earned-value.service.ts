import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { decimal, money, toAmount, type DecimalValue } from '@concord/common';
import { childListLoader, CLOCK, type Clock } from '@concord/graphql';
import { INCURRED_EXPENSE_STATUSES } from '../expense/expense.states';
import { MilestoneStatus } from '../milestone/milestone.entity';
import { ProjectStatus } from '../project/project.entity';
import { DELIVERED_TIME_STATUSES } from '../time-entry/time-entry.states';
import type { ProjectEarnedValue } from './dtos/delivery-kpi.output';
import { daysBetween, percentOf } from './kpi-math';

/** What a project has consumed up to a date, against its budget and progress (decimal strings). */
export interface ProjectDeliveryFacts {
  projectId: string;
  code: string;
  managerId: string | null;
  currency: string;
  budget: string | null;
  budgetHours: string | null;
  percentComplete: string;
  start: string;
  cost: string;
  hours: string;
  milestones: number;
  milestonesReached: number;
}

/**
 * Budget, cost, hours and milestones of many projects as of a date in ONE statement (per-project index lookups on
 * time_entry and expense by project and date): `Project.earnedValue` for a page of projects, or every ACTIVE
 * project of a legal entity for the portfolio's anomaly flags.
 */
@Injectable()
export class EarnedValueService {
  private readonly facts = childListLoader<{ asOf: string }, ProjectDeliveryFacts>(async (projectIds, { asOf }) => {
    const rows = await this.load(asOf, { projectIds });
    return projectIds.map((projectId) => rows.filter((row) => row.projectId === projectId));
  });

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  today(): string {
    return this.clock.today();
  }

  async factsOf(projectId: string, asOf: string): Promise<ProjectDeliveryFacts | null> {
    const [facts] = await this.facts.load({ parentId: projectId, args: { asOf } });
    return facts ?? null;
  }

  async earnedValue(projectId: string, asOf: string | undefined): Promise<ProjectEarnedValue | null> {
    const day = asOf ?? this.clock.today();
    const facts = await this.factsOf(projectId, day);
    return facts ? earnedValueOf(facts, day) : null;
  }

  /** The ACTIVE projects of a legal entity (all when null). */
  activeProjects(asOf: string, legalEntityId: string | null): Promise<ProjectDeliveryFacts[]> {
    return this.load(asOf, { legalEntityId });
  }

  private load(asOf: string, scope: { projectIds: string[] } | { legalEntityId: string | null }): Promise<ProjectDeliveryFacts[]> {
    const byIds = 'projectIds' in scope;
    return this.dataSource.query(
      `SELECT project.id AS "projectId", project.code, project.manager_id AS "managerId", project.currency,
              project.budget::text AS budget, project.budget_hours::text AS "budgetHours", project.percent_complete::text AS "percentComplete",
              COALESCE(project.actual_start, project.planned_start)::text AS start,
              (COALESCE(time_to_date.cost, 0) + COALESCE(expense_to_date.cost, 0))::text AS cost,
              COALESCE(time_to_date.hours, 0)::text AS hours,
              COALESCE(milestones.counted, 0)::int AS milestones, COALESCE(milestones.reached, 0)::int AS "milestonesReached"
         FROM psa.project project
         LEFT JOIN LATERAL (
           SELECT SUM(entry.cost_amount) AS cost, SUM(entry.hours) AS hours FROM psa.time_entry entry
            WHERE entry.project_id = project.id AND entry.status = ANY($3::text[]) AND entry.date <= $1::date
         ) time_to_date ON true
         LEFT JOIN LATERAL (
           SELECT SUM(expense.amount) AS cost FROM psa.expense expense
            WHERE expense.project_id = project.id AND expense.status = ANY($4::text[]) AND expense.date <= $1::date
         ) expense_to_date ON true
         LEFT JOIN LATERAL (
           SELECT COUNT(*) FILTER (WHERE milestone.status <> $5) AS counted, COUNT(*) FILTER (WHERE milestone.status = ANY($6::text[])) AS reached
             FROM psa.milestone milestone WHERE milestone.project_id = project.id
         ) milestones ON true
        WHERE ${
          byIds
            ? 'project.id = ANY($2::uuid[])'
            : `project.status = '${ProjectStatus.ACTIVE}' AND ($2::uuid IS NULL OR project.legal_entity_id = $2::uuid)`
        }
        ORDER BY project.code`,
      [
        asOf,
        byIds ? scope.projectIds : scope.legalEntityId,
        DELIVERED_TIME_STATUSES,
        INCURRED_EXPENSE_STATUSES,
        MilestoneStatus.CANCELLED,
        [MilestoneStatus.REACHED, MilestoneStatus.ACCEPTED],
      ],
    );
  }
}

/** DOMAIN.md §3 EVM and burn from a project's facts; every budget figure is null without a budget. */
export function earnedValueOf(facts: ProjectDeliveryFacts, asOf: string): ProjectEarnedValue {
  const { currency } = facts;
  const actualCost = decimal(facts.cost);
  const elapsedDays = daysBetween(facts.start, asOf) + 1;
  const elapsedWeeks = elapsedDays > 0 ? decimal(elapsedDays).dividedBy(7) : null;
  const burn = elapsedWeeks ? actualCost.dividedBy(elapsedWeeks) : null;
  const common = {
    asOf,
    actualCost: money(actualCost, currency),
    elapsedWeeks: elapsedWeeks ? toAmount(elapsedWeeks) : null,
    burnRatePerWeek: burn ? money(burn, currency) : null,
    percentComplete: facts.percentComplete,
    hoursConsumedPct: facts.budgetHours ? percentOf(facts.hours, facts.budgetHours) : null,
    milestonesReachedPct: facts.milestones > 0 ? percentOf(decimal(facts.milestonesReached), decimal(facts.milestones)) : null,
  };
  if (facts.budget === null) {
    return {
      ...common,
      budgetAtCompletion: null,
      earnedValue: null,
      costPerformanceIndex: null,
      estimateToComplete: null,
      estimateAtCompletion: null,
      budgetConsumedPct: null,
      runwayWeeks: null,
    };
  }
  const budget = decimal(facts.budget);
  const earned = decimal(facts.percentComplete).dividedBy(100).times(budget);
  const cpi: DecimalValue | null = actualCost.isZero() ? null : earned.dividedBy(actualCost);
  // with cost but nothing earned yet (CPI 0) the CPI form has no finite answer: the plan-rate form stands in
  const toComplete = cpi && !cpi.isZero() ? budget.minus(earned).dividedBy(cpi) : budget.minus(earned);
  const remaining = budget.minus(actualCost);
  return {
    ...common,
    budgetAtCompletion: money(budget, currency),
    earnedValue: money(earned, currency),
    costPerformanceIndex: cpi ? cpi.toFixed(4) : null,
    estimateToComplete: money(toComplete, currency),
    estimateAtCompletion: money(actualCost.plus(toComplete), currency),
    budgetConsumedPct: percentOf(actualCost, budget),
    runwayWeeks:
      burn && !burn.isZero() ? (remaining.isPositive() && !remaining.isZero() ? toAmount(remaining.dividedBy(burn)) : '0.00') : null,
  };
}
