import { Args, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ClientEntity } from '../client/client.entity';
import { PipelinePeriodArgs, WeightedPipelineArgs, WeightedPipelineRow } from './weighted-pipeline.output';
import { WeightedPipelineService } from './weighted-pipeline.service';

@Resolver(() => WeightedPipelineRow)
export class WeightedPipelineResolver {
  constructor(private readonly weightedPipelineService: WeightedPipelineService) {}

  @Query(() => [WeightedPipelineRow], {
    description: 'Weighted pipeline of open opportunities closing in the period, per close-date month and currency.',
  })
  weightedPipeline(@Args() args: WeightedPipelineArgs): Promise<WeightedPipelineRow[]> {
    return this.weightedPipelineService.portfolio(args);
  }
}

@Resolver(() => ClientEntity)
export class ClientWeightedPipelineResolver {
  constructor(private readonly weightedPipelineService: WeightedPipelineService) {}

  @ResolveField(() => [WeightedPipelineRow], {
    description: "The client's weighted pipeline: open opportunities closing in the period, per close-date month and currency.",
  })
  weightedPipeline(@Parent() client: ClientEntity, @Args() { from, to }: PipelinePeriodArgs): Promise<WeightedPipelineRow[]> {
    return this.weightedPipelineService.ofClient(client.id, from, to);
  }
}
