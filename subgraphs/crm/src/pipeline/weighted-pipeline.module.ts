import { Module } from '@nestjs/common';
import { ClientWeightedPipelineResolver, WeightedPipelineResolver } from './weighted-pipeline.resolver';
import { WeightedPipelineService } from './weighted-pipeline.service';

/** Weighted pipeline (DOMAIN.md §3) on the portfolio and on Client. */
@Module({ providers: [WeightedPipelineService, WeightedPipelineResolver, ClientWeightedPipelineResolver] })
export class WeightedPipelineModule {}
