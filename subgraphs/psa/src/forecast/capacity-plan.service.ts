import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { addDays, BadInputError, decimal, isIsoDate, startOfIsoWeek, toAmount, type DecimalValue } from '@concord/common';
import { CLOCK, type Clock } from '@concord/graphql';
import { DEFAULT_PLAN_WEEKS, MAX_PLAN_WEEKS, type CapacityDemandRow, type CapacityPlan } from './dtos/capacity-plan.output';

interface HoursRow {
  kind: 'capacity' | 'assigned' | 'requested';
  role: string;
  week: string;
  hours: string;
}

type Figures = Record<'capacity' | 'assigned' | 'requested', DecimalValue>;

/**
 * Capacity against demand per role and week (issue 6): capacity = active resources' weekly capacity by primary role;
 * demand = SOFT/HARD assignments and OPEN resource requests, their hours spread evenly over their calendar days. CRM
 * adds the weighted pipeline demand to the same plan (`pipelineDemand`, per role and week) beside the rows, not in them:
 * PSA requiring a CRM field would make PSA and CRM (whose client health requires PSA fields) need each other, and
 * neither could be published to the schema registry first. A deal won through the OPPORTUNITY_TO_PROJECT workflow
 * leaves the pipeline and comes back as its resource requests, in the same weeks.
 */
@Injectable()
export class CapacityPlanService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  planOf(from: string | null | undefined, weeks: number | null | undefined): CapacityPlan {
    const count = weeks ?? DEFAULT_PLAN_WEEKS;
    if (!Number.isInteger(count) || count < 1 || count > MAX_PLAN_WEEKS) {
      throw new BadInputError(`weeks must be 1 to ${MAX_PLAN_WEEKS}`, { field: 'weeks', weeks });
    }
    const day = from ?? this.clock.today();
    if (!isIsoDate(day)) {
      throw new BadInputError('from must be an ISO date', { field: 'from', from });
    }
    return { from: startOfIsoWeek(day), weeks: count };
  }

  async rows(plan: CapacityPlan): Promise<CapacityDemandRow[]> {
    const { from, weeks } = this.planOf(plan.from, plan.weeks);
    const found: HoursRow[] = await this.dataSource.query(
      `WITH weeks AS (
         SELECT week::date AS first_day, (week + interval '6 days')::date AS last_day
           FROM generate_series($1::date, $2::date, interval '7 days') AS week
       ), booked AS (
         SELECT 'assigned' AS kind, assignment.role, assignment.scheduled_hours AS hours, assignment.start_date, assignment.end_date
           FROM psa.assignment assignment JOIN psa.project project ON project.id = assignment.project_id
          WHERE assignment.status IN ('SOFT', 'HARD') AND project.status NOT IN ('COMPLETED', 'CLOSED', 'CANCELLED')
            AND assignment.end_date >= $1::date AND assignment.start_date <= $3::date
         UNION ALL
         SELECT 'requested', request.role, request.hours, request.start_date, request.end_date
           FROM psa.resource_request request JOIN psa.project project ON project.id = request.project_id
          WHERE request.status = 'OPEN' AND project.status NOT IN ('COMPLETED', 'CLOSED', 'CANCELLED')
            AND request.end_date >= $1::date AND request.start_date <= $3::date
       )
       SELECT 'capacity' AS kind, resource.primary_role AS role, to_char(weeks.first_day, 'YYYY-MM-DD') AS week,
              SUM(resource.capacity_hours_per_week)::text AS hours
         FROM psa.resource resource CROSS JOIN weeks
        WHERE resource.active
        GROUP BY 1, 2, 3
       UNION ALL
       SELECT booked.kind, booked.role, to_char(weeks.first_day, 'YYYY-MM-DD'),
              SUM(booked.hours * (LEAST(booked.end_date, weeks.last_day) - GREATEST(booked.start_date, weeks.first_day) + 1)
                  / (booked.end_date - booked.start_date + 1))::text
         FROM booked JOIN weeks ON weeks.first_day <= booked.end_date AND weeks.last_day >= booked.start_date
        GROUP BY 1, 2, 3`,
      [from, addDays(from, (weeks - 1) * 7), addDays(from, weeks * 7 - 1)],
    );
    const figures = new Map<string, Figures>();
    const figuresOf = (role: string, week: string): Figures => {
      const key = JSON.stringify([role, week]);
      const existing = figures.get(key);
      if (existing) {
        return existing;
      }
      const created: Figures = { capacity: decimal(0), assigned: decimal(0), requested: decimal(0) };
      figures.set(key, created);
      return created;
    };
    for (const row of found) {
      figuresOf(row.role, row.week)[row.kind] = decimal(row.hours);
    }
    // every role seen gets a row for every week, so a chart has no holes
    const roles = [...new Set([...figures.keys()].map((key) => (JSON.parse(key) as [string, string])[0]))].sort();
    return roles.flatMap((role) =>
      Array.from({ length: weeks }, (_, index) => {
        const week = addDays(from, index * 7);
        const { capacity, assigned, requested } = figuresOf(role, week);
        const demand = assigned.plus(requested);
        return {
          role,
          week,
          capacityHours: toAmount(capacity),
          assignedHours: toAmount(assigned),
          requestedHours: toAmount(requested),
          demandHours: toAmount(demand),
          availableHours: toAmount(capacity.minus(demand)),
        };
      }),
    );
  }
}
