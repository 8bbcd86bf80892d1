import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { Connection, toConnection, type ConnectionShape } from '@concord/graphql';
import { ClientExtension, clientReference } from '../client/client.type';
import { CreateLegalCustomerInput, LegalCustomersArgs, UpdateLegalCustomerInput } from './dtos/legal-customer.input';
import { LegalCustomerEntity, LegalCustomerStatus } from './legal-customer.entity';
import { LegalCustomerService } from './legal-customer.service';

export const LegalCustomerConnection = Connection(LegalCustomerEntity, 'LegalCustomer');

@Resolver(() => LegalCustomerEntity)
export class LegalCustomerResolver {
  constructor(private readonly legalCustomerService: LegalCustomerService) {}

  @Query(() => LegalCustomerEntity, { nullable: true })
  legalCustomer(@Args('id', { type: () => ID }) id: string): Promise<LegalCustomerEntity | null> {
    return this.legalCustomerService.findById(id);
  }

  @Query(() => LegalCustomerConnection)
  async legalCustomers(@Args() args: LegalCustomersArgs): Promise<ConnectionShape<LegalCustomerEntity>> {
    return toConnection(await this.legalCustomerService.list(args));
  }

  @Mutation(() => LegalCustomerEntity)
  createLegalCustomer(@Args('input') input: CreateLegalCustomerInput): Promise<LegalCustomerEntity> {
    return this.legalCustomerService.create(input);
  }

  @Mutation(() => LegalCustomerEntity)
  updateLegalCustomer(@Args('id', { type: () => ID }) id: string, @Args('input') input: UpdateLegalCustomerInput): Promise<LegalCustomerEntity> {
    return this.legalCustomerService.update(id, input);
  }

  @Mutation(() => LegalCustomerEntity, { description: 'ACTIVE ⇄ FROZEN.' })
  transitionLegalCustomer(
    @Args('id', { type: () => ID }) id: string,
    @Args('to', { type: () => LegalCustomerStatus }) to: LegalCustomerStatus,
  ): Promise<LegalCustomerEntity> {
    return this.legalCustomerService.transition(id, to);
  }

  @ResolveField(() => ClientExtension, { description: 'The CRM Client.' })
  client(@Parent() legalCustomer: LegalCustomerEntity): ClientExtension {
    return clientReference(legalCustomer.clientId);
  }

  @ResolveReference()
  resolveReference(reference: { id: string }): Promise<LegalCustomerEntity | null> {
    return this.legalCustomerService.findById(reference.id);
  }
}
