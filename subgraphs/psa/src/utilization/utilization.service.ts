import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { Repository } from 'typeorm';
import { addDays, assertFound, BadInputError, groupByKeys, loadByIds, newId, paginate, startOfIsoWeek, type Page } from '@concord/common';
import { childListLoader, WritePoint } from '@concord/graphql';
import { assertCalendarDates } from '../common/delivery-rules';
import { ResourceEntity } from '../resource/resource.entity';
import { UTILIZED_TIME_STATUSES } from '../time-entry/time-entry.states';
import { UtilizationPeriodEntity } from './utilization-period.entity';
import { UtilizationPeriodSortField, type UtilizationPeriodsArgs } from './dtos/utilization.input';

/** Most weeks one refresh or one `Resource.utilization` read covers. */
export const MAX_WEEKS = 100;

interface WeekRange {
  first: number;
  fromWeek: string;
  toWeek: string;
}

@Injectable()
export class UtilizationService {
  private readonly byId = new DataLoader<string, UtilizationPeriodEntity | null>((ids) => loadByIds(this.periods, ids), { cache: false });
  private readonly byResource = childListLoader<WeekRange, UtilizationPeriodEntity>((ids, range) => this.loadOfResources(ids, range));

  constructor(
    @InjectRepository(UtilizationPeriodEntity) private readonly periods: Repository<UtilizationPeriodEntity>,
    private readonly writePoint: WritePoint,
  ) {}

  findById(id: string): Promise<UtilizationPeriodEntity | null> {
    return this.byId.load(id);
  }

  /** `Resource.utilization(from, to)`: stored weeks of many resources in one statement per range. */
  ofResource(resourceId: string, from: string, to: string): Promise<UtilizationPeriodEntity[]> {
    return this.byResource.load({ parentId: resourceId, args: weekRange(from, to) });
  }

  list({ filter = {}, orderBy, ...page }: UtilizationPeriodsArgs): Promise<Page<UtilizationPeriodEntity>> {
    const query = this.periods.createQueryBuilder('utilization');
    if (filter.resourceId) {
      query.andWhere('utilization.resourceId = :resourceId', { resourceId: filter.resourceId });
    }
    if (filter.periodFrom) {
      query.andWhere('utilization.period >= :periodFrom', { periodFrom: filter.periodFrom });
    }
    if (filter.periodTo) {
      query.andWhere('utilization.period <= :periodTo', { periodTo: filter.periodTo });
    }
    const field = orderBy?.field ?? UtilizationPeriodSortField.PERIOD;
    return paginate(query, page, { field, property: field, direction: orderBy?.direction ?? 'ASC' });
  }

  /**
   * Recomputes a resource's weeks from its APPROVED/INVOICED time and its capacity (DOMAIN.md §3:
   * utilization = hours / available × 100, available = capacity — time off and holidays are not modelled yet)
   * and upserts them in ONE statement. Derived rows: they are rewritten wholesale, not audited one by one.
   */
  refresh(resourceId: string, fromWeek: string, toWeek: string): Promise<UtilizationPeriodEntity[]> {
    const range = weekRange(fromWeek, toWeek);
    const weeks = mondaysBetween(range.fromWeek, range.toWeek);
    return this.writePoint.run(async (tx) => {
      const resource = await tx.manager.findOneBy(ResourceEntity, { id: resourceId });
      assertFound(resource, 'Resource', resourceId);
      await tx.manager.query(
        `INSERT INTO psa.utilization_period
           (id, resource_id, period, available_hours, billable_hours, total_hours, billable_util_pct, total_util_pct, target_pct)
         SELECT week.id, resource.id, week.period, resource.capacity_hours_per_week,
                COALESCE(logged.billable, 0), COALESCE(logged.total, 0),
                round(COALESCE(logged.billable, 0) * 100 / NULLIF(resource.capacity_hours_per_week, 0), 2),
                round(COALESCE(logged.total, 0) * 100 / NULLIF(resource.capacity_hours_per_week, 0), 2),
                CASE WHEN resource.utilization_target_effective_date <= week.period THEN resource.utilization_target_pct END
           FROM unnest($2::uuid[], $3::date[]) AS week(id, period)
           JOIN psa.resource resource ON resource.id = $1
           LEFT JOIN (
             SELECT date_trunc('week', entry.date)::date AS period, SUM(entry.billable_hours) AS billable, SUM(entry.hours) AS total
               FROM psa.time_entry entry
              WHERE entry.resource_id = $1 AND entry.status = ANY($4::text[])
                AND entry.date >= $5::date AND entry.date < $6::date + 7
              GROUP BY 1
           ) logged ON logged.period = week.period
         ON CONFLICT (resource_id, period) DO UPDATE SET
           available_hours = EXCLUDED.available_hours,
           billable_hours = EXCLUDED.billable_hours,
           total_hours = EXCLUDED.total_hours,
           billable_util_pct = EXCLUDED.billable_util_pct,
           total_util_pct = EXCLUDED.total_util_pct,
           target_pct = EXCLUDED.target_pct,
           updated_at = now()`,
        [resourceId, weeks.map(() => newId()), weeks, UTILIZED_TIME_STATUSES, range.fromWeek, range.toWeek],
      );
      return tx.manager
        .getRepository(UtilizationPeriodEntity)
        .createQueryBuilder('utilization')
        .where('utilization.resourceId = :resourceId AND utilization.period BETWEEN :fromWeek AND :toWeek', { resourceId, ...range })
        .orderBy('utilization.period', 'ASC')
        .getMany();
    });
  }

  private async loadOfResources(resourceIds: string[], { fromWeek, toWeek }: WeekRange): Promise<UtilizationPeriodEntity[][]> {
    const rows = await this.periods
      .createQueryBuilder('utilization')
      .where('utilization.resourceId = ANY(:resourceIds) AND utilization.period BETWEEN :fromWeek AND :toWeek', {
        resourceIds,
        fromWeek,
        toWeek,
      })
      .orderBy('utilization.period', 'ASC')
      .getMany();
    return groupByKeys(resourceIds, rows, (row) => row.resourceId);
  }
}

/** Monday (ISO week start) of the week containing an ISO date. */
export function weekStart(date: string): string {
  assertCalendarDates({ date });
  return startOfIsoWeek(date);
}

function weekRange(from: string, to: string): WeekRange {
  const fromWeek = weekStart(from);
  const toWeek = weekStart(to);
  if (toWeek < fromWeek) {
    throw new BadInputError(`the range ends (${to}) before it starts (${from})`, { from, to });
  }
  const weeks = mondaysBetween(fromWeek, toWeek).length;
  if (weeks > MAX_WEEKS) {
    throw new BadInputError(`at most ${MAX_WEEKS} weeks at once, asked for ${weeks}`, { from, to });
  }
  return { first: weeks, fromWeek, toWeek };
}

function mondaysBetween(fromWeek: string, toWeek: string): string[] {
  const weeks: string[] = [];
  for (let monday = fromWeek; monday <= toWeek; monday = addDays(monday, 7)) {
    weeks.push(monday);
    if (weeks.length > MAX_WEEKS) {
      break;
    }
  }
  return weeks;
}
