import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { addDays, BadInputError, isIsoDate, toAmount } from '@concord/common';
import { OPEN_STAGES } from '../opportunity/opportunity.states';
import type { CapacityPlan, RoleWeekHours } from './dtos/capacity-plan.output';

/**
 * Weighted pipeline demand per role and week: for each open opportunity, the role lines (role and hours) of its
 * accepted quote, else of its latest DRAFT or SENT one, hours × probability / 100, spread evenly over the days the
 * OPPORTUNITY_TO_PROJECT workflow will give its resource requests: from the expected start (else the close date) to
 * the quote's last milestone date (else 90 days later). Won, the deal leaves this and shows as resource requests.
 */
@Injectable()
export class PipelineDemandService {
  constructor(private readonly dataSource: DataSource) {}

  async pipelineDemand({ from, weeks }: CapacityPlan): Promise<RoleWeekHours[]> {
    if (!isIsoDate(from) || !Number.isInteger(weeks) || weeks < 1 || weeks > 52) {
      throw new BadInputError('a capacity plan starts on an ISO date and covers 1 to 52 weeks', { from, weeks });
    }
    const rows: { role: string; week: string; hours: string }[] = await this.dataSource.query(
      `WITH weeks AS (
         SELECT week::date AS first_day, (week + interval '6 days')::date AS last_day
           FROM generate_series($1::date, $2::date, interval '7 days') AS week
       ), quote AS (
         SELECT DISTINCT ON (quote.opportunity_id) quote.id, quote.opportunity_id
           FROM crm.quote quote
          WHERE quote.status IN ('DRAFT', 'SENT', 'ACCEPTED')
          ORDER BY quote.opportunity_id, (quote.status = 'ACCEPTED') DESC, quote.version DESC
       ), deal AS (
         SELECT quote.id AS quote_id, opportunity.probability,
                COALESCE(opportunity.expected_start_date, opportunity.close_date) AS first_day,
                COALESCE(MAX(milestone.milestone_date), COALESCE(opportunity.expected_start_date, opportunity.close_date) + 90) AS last_day
           FROM crm.opportunity opportunity
           JOIN quote ON quote.opportunity_id = opportunity.id
           LEFT JOIN crm.quote_line milestone ON milestone.quote_id = quote.id AND milestone.milestone_date IS NOT NULL
          WHERE opportunity.stage = ANY($4::text[]) AND opportunity.probability > 0
          GROUP BY quote.id, opportunity.id
       ), demand AS (
         SELECT line.role_id AS role, line.hours * deal.probability / 100 AS hours, deal.first_day, GREATEST(deal.last_day, deal.first_day) AS last_day
           FROM deal JOIN crm.quote_line line ON line.quote_id = deal.quote_id
          WHERE line.role_id IS NOT NULL AND line.hours > 0
       )
       SELECT demand.role, to_char(weeks.first_day, 'YYYY-MM-DD') AS week,
              SUM(demand.hours * (LEAST(demand.last_day, weeks.last_day) - GREATEST(demand.first_day, weeks.first_day) + 1)
                  / (demand.last_day - demand.first_day + 1))::text AS hours
         FROM demand JOIN weeks ON weeks.first_day <= demand.last_day AND weeks.last_day >= demand.first_day
        WHERE demand.last_day >= $1::date AND demand.first_day <= $3::date
        GROUP BY 1, 2
        ORDER BY 1, 2`,
      [from, addDays(from, (weeks - 1) * 7), addDays(from, weeks * 7 - 1), OPEN_STAGES],
    );
    return rows.map((row) => ({ role: row.role, week: row.week, hours: toAmount(row.hours) }));
  }
}
