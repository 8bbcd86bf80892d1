import { Args, ID, Mutation, Query, Resolver, ResolveReference } from '@nestjs/graphql';
import { Connection, toConnection, type ConnectionShape } from '@concord/graphql';
import { ContactEntity } from './contact.entity';
import { ContactService } from './contact.service';
import { ContactsArgs, CreateContactInput, UpdateContactInput } from './dtos/contact.input';

export const ContactConnection = Connection(ContactEntity, 'Contact');

@Resolver(() => ContactEntity)
export class ContactResolver {
  constructor(private readonly contactService: ContactService) {}

  @Query(() => ContactEntity, { nullable: true })
  contact(@Args('id', { type: () => ID }) id: string): Promise<ContactEntity | null> {
    return this.contactService.findById(id);
  }

  @Query(() => ContactConnection)
  async contacts(@Args() args: ContactsArgs): Promise<ConnectionShape<ContactEntity>> {
    return toConnection(await this.contactService.list(args));
  }

  @Mutation(() => ContactEntity)
  createContact(@Args('input') input: CreateContactInput): Promise<ContactEntity> {
    return this.contactService.create(input);
  }

  @Mutation(() => ContactEntity)
  updateContact(@Args('id', { type: () => ID }) id: string, @Args('input') input: UpdateContactInput): Promise<ContactEntity> {
    return this.contactService.update(id, input);
  }

  @ResolveReference()
  resolveReference(reference: { id: string }): Promise<ContactEntity | null> {
    return this.contactService.findById(reference.id);
  }
}
