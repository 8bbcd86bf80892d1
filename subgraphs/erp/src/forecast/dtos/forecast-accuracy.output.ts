import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Money } from '@concord/graphql';

@ObjectType('ProjectForecastAccuracy', {
  description: "One project's recorded forecast F against its actual A for a month, in one currency.",
})
export class ProjectForecastAccuracy {
  @Field(() => ID)
  projectId: string;

  @Field()
  currency: string;

  @Field(() => Money, { description: 'F: the snapshot total (T&M + fixed fee) as recorded.' })
  forecast: Money;

  @Field(() => Money, { description: "A: revenue recognised on the project in the month (its revenue entries' recognizedAmount)." })
  actual: Money;

  @Field(() => Money, { description: 'A − F (positive: more revenue than forecast).' })
  variance: Money;

  @Field(() => String, { nullable: true, description: '(1 − |A − F| / A) × 100, 2 decimals; null when A is 0.' })
  accuracyPct: string | null;

  @Field(() => String, { nullable: true, description: '|A − F| / A × 100, 2 decimals; null when A is 0.' })
  absolutePercentageErrorPct: string | null;
}

@ObjectType('ForecastAccuracyMonth', { description: 'Forecast accuracy of one month: every project with a snapshot of it.' })
export class ForecastAccuracyMonth {
  @Field({ description: 'YYYY-MM.' })
  month: string;

  @Field(() => String, { nullable: true, description: 'MAPE = 100 / n × Σ |(A − F) / A| over the projects with A ≠ 0; null when none.' })
  mapePct: string | null;

  @Field(() => [ProjectForecastAccuracy])
  projects: ProjectForecastAccuracy[];
}

@ObjectType('ForecastAccuracy', {
  description: 'Forecast accuracy and variance (DOMAIN.md §3) of recorded snapshots against recognised revenue.',
})
export class ForecastAccuracy {
  @Field()
  from: string;

  @Field()
  to: string;

  @Field(() => String, { nullable: true, description: 'MAPE over every project and month of the range with A ≠ 0.' })
  mapePct: string | null;

  @Field(() => [ForecastAccuracyMonth], { description: 'Months with a snapshot, in order.' })
  months: ForecastAccuracyMonth[];
}
