import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { Connection, toConnection, type ConnectionShape } from '@concord/graphql';
import { ClientExtension, clientReference } from '../client/client.type';
import { LegalCustomerEntity } from '../legal-customer/legal-customer.entity';
import { LegalCustomerService } from '../legal-customer/legal-customer.service';
import { LegalEntityEntity } from '../legal-entity/legal-entity.entity';
import { LegalEntityService } from '../legal-entity/legal-entity.service';
import { OpportunityReference, opportunityReference } from '../references/opportunity.reference';
import { QuoteReference, quoteReference } from '../references/quote.reference';
import { ContractAmendmentEntity } from './contract-amendment.entity';
import { ContractLineEntity } from './contract-line.entity';
import { ContractEntity, ContractStatus } from './contract.entity';
import { ContractService } from './contract.service';
import { ContractsArgs, CreateContractInput, UpdateContractInput } from './dtos/contract.input';

export const ContractConnection = Connection(ContractEntity, 'Contract');

@Resolver(() => ContractEntity)
export class ContractResolver {
  constructor(
    private readonly contractService: ContractService,
    private readonly legalCustomerService: LegalCustomerService,
    private readonly legalEntityService: LegalEntityService,
  ) {}

  @Query(() => ContractEntity, { nullable: true })
  contract(@Args('id', { type: () => ID }) id: string): Promise<ContractEntity | null> {
    return this.contractService.findById(id);
  }

  @Query(() => ContractConnection)
  async contracts(@Args() args: ContractsArgs): Promise<ConnectionShape<ContractEntity>> {
    return toConnection(await this.contractService.list(args));
  }

  @Mutation(() => ContractEntity, { description: 'A DRAFT contract, optionally with its lines (total computed from them).' })
  createContract(@Args('input') input: CreateContractInput): Promise<ContractEntity> {
    return this.contractService.create(input);
  }

  @Mutation(() => ContractEntity)
  updateContract(@Args('id', { type: () => ID }) id: string, @Args('input') input: UpdateContractInput): Promise<ContractEntity> {
    return this.contractService.update(id, input);
  }

  @Mutation(() => ContractEntity, {
    description:
      'DRAFT → ACTIVE (needs a line, startDate ≤ endDate) | CANCELLED; ACTIVE → SUSPENDED | COMPLETED | TERMINATED; SUSPENDED → ACTIVE | TERMINATED.',
  })
  transitionContract(
    @Args('id', { type: () => ID }) id: string,
    @Args('to', { type: () => ContractStatus }) to: ContractStatus,
  ): Promise<ContractEntity> {
    return this.contractService.transition(id, to);
  }

  @ResolveField(() => LegalCustomerEntity)
  customer(@Parent() contract: ContractEntity): Promise<LegalCustomerEntity> {
    return this.legalCustomerService.getById(contract.customerId);
  }

  @ResolveField(() => LegalEntityEntity)
  legalEntity(@Parent() contract: ContractEntity): Promise<LegalEntityEntity> {
    return this.legalEntityService.getById(contract.legalEntityId);
  }

  @ResolveField(() => [ContractLineEntity], { description: 'All lines, oldest first.' })
  lines(@Parent() contract: ContractEntity): Promise<ContractLineEntity[]> {
    return this.contractService.linesOf(contract.id);
  }

  @ResolveField(() => [ContractAmendmentEntity], {
    description: 'Amendments of the signed contract (line changes after DRAFT), latest version first.',
  })
  amendments(@Parent() contract: ContractEntity): Promise<ContractAmendmentEntity[]> {
    return this.contractService.amendmentsOf(contract.id);
  }

  @ResolveField(() => ClientExtension, { description: 'The CRM Client.' })
  client(@Parent() contract: ContractEntity): ClientExtension {
    return clientReference(contract.clientId);
  }

  @ResolveField(() => OpportunityReference, { nullable: true })
  opportunity(@Parent() contract: ContractEntity): OpportunityReference | null {
    return opportunityReference(contract.opportunityId);
  }

  @ResolveField(() => QuoteReference, { nullable: true })
  sourceQuote(@Parent() contract: ContractEntity): QuoteReference | null {
    return quoteReference(contract.sourceQuoteId);
  }

  @ResolveReference()
  resolveReference(reference: { id: string }): Promise<ContractEntity | null> {
    return this.contractService.findById(reference.id);
  }
}
