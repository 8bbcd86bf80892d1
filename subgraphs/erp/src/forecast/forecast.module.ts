import { Module } from '@nestjs/common';
import { ForecastSnapshotResolver } from './forecast-snapshot.resolver';
import { ForecastSnapshotService } from './forecast-snapshot.service';
import { LegalEntityRevenueForecastResolver, RevenueForecastResolver } from './revenue-forecast.resolver';
import { RevenueForecastService } from './revenue-forecast.service';

/** Forecasting (issue 6): ERP's fixed-fee part of the revenue forecast, its monthly totals, forecast snapshots. */
@Module({
  providers: [
    ForecastSnapshotService,
    ForecastSnapshotResolver,
    RevenueForecastService,
    RevenueForecastResolver,
    LegalEntityRevenueForecastResolver,
  ],
})
export class ForecastModule {}
