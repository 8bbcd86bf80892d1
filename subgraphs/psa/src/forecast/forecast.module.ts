import { Module } from '@nestjs/common';
import { ClockModule } from '@concord/graphql';
import { CapacityPlanResolver } from './capacity-plan.resolver';
import { CapacityPlanService } from './capacity-plan.service';
import { ProjectRevenueForecastResolver, RevenueForecastResolver } from './revenue-forecast.resolver';
import { RevenueForecastService } from './revenue-forecast.service';

/** Forecasting and capacity (issue 6): PSA's T&M part of the revenue forecast and capacity against demand. */
@Module({
  imports: [ClockModule],
  providers: [CapacityPlanService, CapacityPlanResolver, RevenueForecastService, RevenueForecastResolver, ProjectRevenueForecastResolver],
})
export class ForecastModule {}
