import { ArgsType, Field, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { DecimalField, IdField, IsoDateField } from '@concord/graphql';

const THRESHOLD = { integerDigits: 6, places: 4 };

/** A date range of KPIs: both ends included, at most MAX_RANGE_DAYS days. */
@ArgsType()
export class KpiRangeArgs {
  @IsoDateField({ description: 'First day of the range (ISO date, included).' })
  from: string;

  @IsoDateField({ description: 'Last day of the range (ISO date, included); at most 366 days after from.' })
  to: string;
}

@ArgsType()
export class DeliveryKpisArgs extends KpiRangeArgs {
  @IdField({ nullable: true, description: 'Only this ERP legal entity (resources for hours, projects for money).' })
  legalEntityId?: string;

  @IsoDateField({ nullable: true, description: 'The date leakage is measured on (default today).' })
  asOf?: string;

  @Field(() => Int, {
    nullable: true,
    description: 'Days after the end of its month approved work may stay uninvoiced (default KPI_LEAKAGE_GRACE_DAYS).',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3650)
  graceDays?: number;
}

@ArgsType()
export class EarnedValueArgs {
  @IsoDateField({ nullable: true, description: 'Cost and time dated up to this day count (default today).' })
  asOf?: string;
}

/** Per-query overrides of the KPI_* anomaly thresholds (see the PSA README). */
@InputType()
export class AnomalyThresholdsInput {
  @DecimalField({ ...THRESHOLD }, { nullable: true, description: 'Points consumed % may exceed progress % (KPI_BURN_AHEAD_POINTS).' })
  burnAheadPoints?: string;

  @DecimalField({ ...THRESHOLD }, { nullable: true, description: 'Hours a day above which a day is flagged (KPI_MAX_DAILY_HOURS).' })
  maxDailyHours?: string;

  @DecimalField(
    { ...THRESHOLD },
    { nullable: true, description: 'Weekend hours a week above which it is flagged (KPI_WEEKEND_HOURS_LIMIT).' },
  )
  weekendHoursLimit?: string;

  @DecimalField({ ...THRESHOLD }, { nullable: true, description: 'Standard deviations above the mean of history (KPI_OUTLIER_STDDEVS).' })
  outlierStdDevs?: string;

  @DecimalField({ ...THRESHOLD }, { nullable: true, description: 'Least hours above the mean of history (KPI_OUTLIER_MIN_EXCESS_HOURS).' })
  outlierMinExcessHours?: string;

  @Field(() => Int, { nullable: true, description: 'Weeks of history before the range (KPI_OUTLIER_HISTORY_WEEKS).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(104)
  outlierHistoryWeeks?: number;

  @Field(() => Int, { nullable: true, description: 'Least history weeks with time for a verdict (KPI_OUTLIER_MIN_HISTORY_WEEKS).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(104)
  outlierMinHistoryWeeks?: number;

  @DecimalField(
    { ...THRESHOLD },
    { nullable: true, description: 'Margin % points lost against the previous period (KPI_MARGIN_EROSION_POINTS).' },
  )
  marginErosionPoints?: string;
}

@ArgsType()
export class AnomaliesArgs extends KpiRangeArgs {
  @Field(() => AnomalyThresholdsInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => AnomalyThresholdsInput)
  thresholds?: AnomalyThresholdsInput;
}

@ArgsType()
export class DeliveryAnomaliesArgs extends AnomaliesArgs {
  @IdField({ nullable: true, description: 'Only projects and resources of this ERP legal entity.' })
  legalEntityId?: string;
}
