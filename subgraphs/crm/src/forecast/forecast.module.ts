import { Module } from '@nestjs/common';
import { PipelineDemandResolver } from './pipeline-demand.resolver';
import { PipelineDemandService } from './pipeline-demand.service';
import { ClientRevenueForecastResolver, RevenueForecastResolver } from './revenue-forecast.resolver';
import { RevenueForecastService } from './revenue-forecast.service';

/** Forecasting and capacity (issue 6): CRM's weighted pipeline in the revenue forecast, pipeline demand per role. */
@Module({ providers: [PipelineDemandService, PipelineDemandResolver, RevenueForecastService, RevenueForecastResolver, ClientRevenueForecastResolver] })
export class ForecastModule {}
