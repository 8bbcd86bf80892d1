import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ForecastAccuracy } from './dtos/forecast-accuracy.output';
import { ForecastAccuracyArgs, RecordRevenueForecastSnapshotInput } from './dtos/forecast-snapshot.input';
import { ForecastSnapshotService } from './forecast-snapshot.service';
import { RevenueForecastSnapshotEntity } from './revenue-forecast-snapshot.entity';

@Resolver(() => RevenueForecastSnapshotEntity)
export class ForecastSnapshotResolver {
  constructor(private readonly forecastSnapshotService: ForecastSnapshotService) {}

  @Mutation(() => [RevenueForecastSnapshotEntity], {
    description:
      "Keeps each project's forecast of a month (T&M as read from PSA, fixed fee from its contract's billing schedule now). Idempotent per month: once a month is recorded, later calls return that snapshot unchanged.",
  })
  recordRevenueForecastSnapshot(@Args('input') input: RecordRevenueForecastSnapshotInput): Promise<RevenueForecastSnapshotEntity[]> {
    return this.forecastSnapshotService.record(input);
  }

  @Query(() => [RevenueForecastSnapshotEntity], { description: 'The forecast snapshot of a month (YYYY-MM), per project and currency.' })
  revenueForecastSnapshot(@Args('month') month: string): Promise<RevenueForecastSnapshotEntity[]> {
    return this.forecastSnapshotService.snapshots(month);
  }

  @Query(() => ForecastAccuracy, {
    description: 'Forecast accuracy and variance per month and project: recorded snapshots against revenue recognised, with MAPE.',
  })
  forecastAccuracy(@Args() { from, to }: ForecastAccuracyArgs): Promise<ForecastAccuracy> {
    return this.forecastSnapshotService.accuracy(from, to);
  }
}
