import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { Connection, toConnection, type ConnectionShape } from '@concord/graphql';
import { ClientEntity } from '../client/client.entity';
import { ClientService } from '../client/client.service';
import { ContactEntity } from '../contact/contact.entity';
import { ContactService } from '../contact/contact.service';
import { ContractReference } from '../references/contract.reference';
import { ProjectReference } from '../references/project.reference';
import { referenceTo } from '../references/reference';
import { CreateOpportunityInput, MoveOpportunityArgs, OpportunitiesArgs, UpdateOpportunityInput } from './dtos/opportunity.input';
import { OpportunityEntity } from './opportunity.entity';
import { OpportunityService } from './opportunity.service';

export const OpportunityConnection = Connection(OpportunityEntity, 'Opportunity');

@Resolver(() => OpportunityEntity)
export class OpportunityResolver {
  constructor(
    private readonly opportunityService: OpportunityService,
    private readonly clientService: ClientService,
    private readonly contactService: ContactService,
  ) {}

  @Query(() => OpportunityEntity, { nullable: true })
  opportunity(@Args('id', { type: () => ID }) id: string): Promise<OpportunityEntity | null> {
    return this.opportunityService.findById(id);
  }

  @Query(() => OpportunityConnection)
  async opportunities(@Args() args: OpportunitiesArgs): Promise<ConnectionShape<OpportunityEntity>> {
    return toConnection(await this.opportunityService.list(args));
  }

  @Mutation(() => OpportunityEntity)
  createOpportunity(@Args('input') input: CreateOpportunityInput): Promise<OpportunityEntity> {
    return this.opportunityService.create(input);
  }

  @Mutation(() => OpportunityEntity, { description: 'Changes anything but the stage; use moveOpportunity for that.' })
  updateOpportunity(@Args('id', { type: () => ID }) id: string, @Args('input') input: UpdateOpportunityInput): Promise<OpportunityEntity> {
    return this.opportunityService.update(id, input);
  }

  @Mutation(() => OpportunityEntity, {
    description:
      'Records the ERP contract and PSA project a CLOSED_WON opportunity became (the closed-won workflow writes them back). The same links again change nothing; other links than the recorded ones are a CONFLICT.',
  })
  linkOpportunityDelivery(
    @Args('id', { type: () => ID }) id: string,
    @Args('contractId', { type: () => ID }) contractId: string,
    @Args('projectId', { type: () => ID, nullable: true, description: 'None when no quote line is tracked in PSA.' })
    projectId: string | null,
  ): Promise<OpportunityEntity> {
    return this.opportunityService.linkDelivery(id, contractId, projectId ?? null);
  }

  @Mutation(() => OpportunityEntity, {
    description:
      'Moves the opportunity to another stage. CLOSED_WON needs an ACCEPTED quote and sets probability 100; CLOSED_LOST needs lostReason and no DRAFT or SENT quote and sets probability 0; an open stage gets its default probability and clears closedAt.',
  })
  moveOpportunity(@Args() args: MoveOpportunityArgs): Promise<OpportunityEntity> {
    return this.opportunityService.move(args);
  }

  @ResolveField(() => ClientEntity)
  async client(@Parent() opportunity: OpportunityEntity): Promise<ClientEntity> {
    return this.clientService.getById(opportunity.clientId);
  }

  @ResolveField(() => ContactEntity, { nullable: true })
  async primaryContact(@Parent() opportunity: OpportunityEntity): Promise<ContactEntity | null> {
    return opportunity.primaryContactId ? this.contactService.findById(opportunity.primaryContactId) : null;
  }

  @ResolveField(() => ContractReference, { nullable: true, description: 'The ERP contract created at closed-won.' })
  contract(@Parent() opportunity: OpportunityEntity): ContractReference | null {
    return referenceTo(opportunity.contractId);
  }

  @ResolveField(() => ProjectReference, { nullable: true, description: 'The PSA project created at closed-won.' })
  project(@Parent() opportunity: OpportunityEntity): ProjectReference | null {
    return referenceTo(opportunity.projectId);
  }

  @ResolveReference()
  resolveReference(reference: { id: string }): Promise<OpportunityEntity | null> {
    return this.opportunityService.findById(reference.id);
  }
}
