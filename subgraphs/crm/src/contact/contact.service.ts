import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { EntityManager, Repository } from 'typeorm';
import { assertFound, BadInputError, containsPattern, loadByIds, loadChildren, pageSize, paginate, type Page } from '@concord/common';
import { childListLoader, WritePoint, type WriteTransaction } from '@concord/graphql';
import { ClientEntity } from '../client/client.entity';
import { ContactEntity } from './contact.entity';
import { ContactSortField, type ContactsArgs, type CreateContactInput, type UpdateContactInput } from './dtos/contact.input';

@Injectable()
export class ContactService {
  private readonly byId = new DataLoader<string, ContactEntity | null>((ids) => loadByIds(this.contacts, ids), { cache: false });

  /** `Client.contacts(first)`: the first N contacts by name of every client asked for in one tick, one statement. */
  private readonly byClient = childListLoader<{ first: number }, ContactEntity>((clientIds, { first }) =>
    loadChildren(this.contacts, clientIds, { parentProperty: 'clientId', limitPerParent: first, orderBy: 'name', direction: 'ASC' }),
  );

  constructor(
    @InjectRepository(ContactEntity) private readonly contacts: Repository<ContactEntity>,
    private readonly writePoint: WritePoint,
  ) {}

  findById(id: string): Promise<ContactEntity | null> {
    return this.byId.load(id);
  }

  listOfClient(clientId: string, first: number | null | undefined): Promise<ContactEntity[]> {
    return this.byClient.load({ parentId: clientId, args: { first: pageSize(first) } });
  }

  list({ filter = {}, orderBy, ...page }: ContactsArgs): Promise<Page<ContactEntity>> {
    const query = this.contacts.createQueryBuilder('contact');
    if (filter.clientId) {
      query.andWhere('contact.clientId = :clientId', { clientId: filter.clientId });
    }
    if (filter.nameContains) {
      query.andWhere('contact.name ILIKE :name', { name: containsPattern(filter.nameContains) });
    }
    if (filter.email) {
      query.andWhere('contact.email = :email', { email: filter.email.trim().toLowerCase() });
    }
    const field = orderBy?.field ?? ContactSortField.NAME;
    return paginate(query, page, { field, property: field, direction: orderBy?.direction ?? 'ASC' });
  }

  create(input: CreateContactInput): Promise<ContactEntity> {
    return this.writePoint.run(async (tx) => {
      await lockClient(tx.manager, input.clientId);
      if (input.isPrimary) {
        await this.clearPrimary(tx, input.clientId);
      }
      return tx.create(ContactEntity, {
        clientId: input.clientId,
        name: input.name,
        email: normalizeEmail(input.email),
        phone: input.phone ?? null,
        title: input.title ?? null,
        isPrimary: input.isPrimary ?? false,
      });
    });
  }

  update(id: string, input: UpdateContactInput): Promise<ContactEntity> {
    return this.writePoint.run(async (tx) => {
      const contact = await tx.manager.getRepository(ContactEntity).findOneBy({ id });
      assertFound(contact, 'Contact', id);
      const patch: Partial<ContactEntity> = { ...input };
      if (input.email !== undefined) {
        patch.email = normalizeEmail(input.email);
      }
      if (input.isPrimary) {
        await lockClient(tx.manager, contact.clientId);
        await this.clearPrimary(tx, contact.clientId, id);
      }
      return tx.update(ContactEntity, id, patch);
    });
  }

  /** Clears the client's current primary contact (through the write point, so the change is audited). */
  private async clearPrimary(tx: WriteTransaction, clientId: string, exceptId?: string): Promise<void> {
    const current = await tx.manager.getRepository(ContactEntity).findOneBy({ clientId, isPrimary: true });
    if (current && current.id !== exceptId) {
      await tx.update(ContactEntity, current.id, { isPrimary: false });
    }
  }
}

/**
 * Locks the client row for the rest of the transaction, so two writers cannot both make a contact primary;
 * also the clear error for an unknown clientId.
 */
async function lockClient(manager: EntityManager, clientId: string): Promise<void> {
  const client = await manager
    .getRepository(ClientEntity)
    .createQueryBuilder('client')
    .setLock('pessimistic_write')
    .where('client.id = :clientId', { clientId })
    .getOne();
  if (!client) {
    throw new BadInputError(`client ${clientId} does not exist`, { field: 'clientId', id: clientId });
  }
}

function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
