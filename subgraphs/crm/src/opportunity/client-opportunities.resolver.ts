import { Args, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { ClientEntity } from '../client/client.entity';
import { OpportunityEntity } from './opportunity.entity';
import { OpportunityService } from './opportunity.service';
import { OpportunityStage } from './opportunity.states';

/** `Client.opportunities`: the opportunity context extends the client type (batched, one statement per request). */
@Resolver(() => ClientEntity)
export class ClientOpportunitiesResolver {
  constructor(private readonly opportunityService: OpportunityService) {}

  @ResolveField(() => [OpportunityEntity], { description: "The client's first opportunities by close date." })
  opportunities(
    @Parent() client: ClientEntity,
    @Args('first', { type: () => Int, defaultValue: 20, description: 'At most this many, 0 to 100.' }) first: number,
    @Args('stageIn', { type: () => [OpportunityStage], nullable: true }) stageIn: OpportunityStage[] | null,
  ): Promise<OpportunityEntity[]> {
    return this.opportunityService.listOfClient(client.id, first, stageIn);
  }
}
