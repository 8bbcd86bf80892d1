import { Args, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { ClientEntity } from '../client/client.entity';
import { ContactEntity } from './contact.entity';
import { ContactService } from './contact.service';

/** `Client.contacts`: the contact context extends the client type (batched, one statement per request). */
@Resolver(() => ClientEntity)
export class ClientContactsResolver {
  constructor(private readonly contactService: ContactService) {}

  @ResolveField(() => [ContactEntity], { description: 'The first contacts of the client by name.' })
  contacts(
    @Parent() client: ClientEntity,
    @Args('first', { type: () => Int, defaultValue: 20, description: 'At most this many, 0 to 100.' }) first: number,
  ): Promise<ContactEntity[]> {
    return this.contactService.listOfClient(client.id, first);
  }
}
