import { Args, ID, Mutation, Query, Resolver, ResolveReference } from '@nestjs/graphql';
import { Connection, toConnection, type ConnectionShape } from '@concord/graphql';
import { ClientEntity } from './client.entity';
import { ClientService, type ClientHealthExternals } from './client.service';
import { ClientsArgs, CreateClientInput, UpdateClientInput } from './dtos/client.input';

export const ClientConnection = Connection(ClientEntity, 'Client');

@Resolver(() => ClientEntity)
export class ClientResolver {
  constructor(private readonly clientService: ClientService) {}

  @Query(() => ClientEntity, { nullable: true })
  client(@Args('id', { type: () => ID }) id: string): Promise<ClientEntity | null> {
    return this.clientService.findById(id);
  }

  @Query(() => ClientConnection)
  async clients(@Args() args: ClientsArgs): Promise<ConnectionShape<ClientEntity>> {
    return toConnection(await this.clientService.list(args));
  }

  @Mutation(() => ClientEntity)
  createClient(@Args('input') input: CreateClientInput): Promise<ClientEntity> {
    return this.clientService.create(input);
  }

  @Mutation(() => ClientEntity)
  updateClient(@Args('id', { type: () => ID }) id: string, @Args('input') input: UpdateClientInput): Promise<ClientEntity> {
    return this.clientService.update(id, input);
  }

  /** A reference may carry the external fields health requires (PSA's and ERP's): they are kept on the loaded row. */
  @ResolveReference()
  resolveReference(reference: { id: string } & ClientHealthExternals): Promise<ClientEntity | null> {
    return this.clientService.findReference(reference);
  }
}
