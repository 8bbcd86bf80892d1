import { Args, Parent, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import type { Money } from '@concord/graphql';
import { ContractEntity } from '../contract/contract.entity';
import { ContractService } from '../contract/contract.service';
import { ClientContractsArgs } from '../contract/dtos/contract.input';
import { LegalCustomerEntity } from '../legal-customer/legal-customer.entity';
import { LegalCustomerService } from '../legal-customer/legal-customer.service';
import { ClientExtension, clientReference } from './client.type';

/** The ERP fields of the unified Client; each is batched over every client of a page. */
// Fields this subgraph adds to another subgraph's entity are nullable: if this subgraph is down, the gateway
// nulls just them instead of the whole parent object.
@Resolver(() => ClientExtension)
export class ClientExtensionResolver {
  constructor(
    private readonly legalCustomerService: LegalCustomerService,
    private readonly contractService: ContractService,
  ) {}

  @ResolveReference()
  resolveReference(reference: { id: string; costToDate?: Money[] | null }): ClientExtension {
    return clientReference(reference.id, reference.costToDate);
  }

  @ResolveField(() => LegalCustomerEntity, {
    nullable: true,
    description: 'The legal/billing customer of this client, if the ERP has one.',
  })
  legalCustomer(@Parent() client: ClientExtension): Promise<LegalCustomerEntity | null> {
    return this.legalCustomerService.findByClientId(client.id);
  }

  @ResolveField(() => [ContractEntity], { nullable: true, description: 'Contracts of the client, newest first.' })
  contracts(@Parent() client: ClientExtension, @Args() args: ClientContractsArgs): Promise<ContractEntity[]> {
    return this.contractService.contractsOfClient(client.id, args);
  }
}
