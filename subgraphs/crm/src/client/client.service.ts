import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { Repository } from 'typeorm';
import { assertFound, containsPattern, loadByIds, paginate, type Page } from '@concord/common';
import { WritePoint } from '@concord/graphql';
import { ClientEntity } from './client.entity';
import { ClientSortField, type ClientsArgs, type CreateClientInput, type UpdateClientInput } from './dtos/client.input';

/** The fields other subgraphs provide on Client that Client.health @requires. */
const EXTERNAL_HEALTH_FIELDS = ['activeProjectsRed', 'activeProjectsAmber', 'oldestOverdueDays', 'marginPct'] as const;
export type ClientHealthExternals = Partial<Pick<ClientEntity, (typeof EXTERNAL_HEALTH_FIELDS)[number]>>;

@Injectable()
export class ClientService {
  /** Batches every id asked for in one tick (federation `_entities`, nested lookups) into one query. */
  private readonly byId = new DataLoader<string, ClientEntity | null>((ids) => loadByIds(this.clients, ids), { cache: false });

  constructor(
    @InjectRepository(ClientEntity) private readonly clients: Repository<ClientEntity>,
    private readonly writePoint: WritePoint,
  ) {}

  findById(id: string): Promise<ClientEntity | null> {
    return this.byId.load(id);
  }

  /** A federation reference: the stored client with the external fields the representation carries. */
  async findReference({ id, ...externals }: { id: string } & ClientHealthExternals): Promise<ClientEntity | null> {
    const client = await this.findById(id);
    if (!client) {
      return null;
    }
    const given = Object.fromEntries(
      EXTERNAL_HEALTH_FIELDS.filter((field) => externals[field] !== undefined).map((field) => [field, externals[field]]),
    );
    // a copy: two references to one client in a batch may carry different fields
    return Object.assign(Object.create(Object.getPrototypeOf(client) as object) as ClientEntity, client, given);
  }

  async getById(id: string): Promise<ClientEntity> {
    const client = await this.findById(id);
    assertFound(client, 'Client', id);
    return client;
  }

  list({ filter = {}, orderBy, ...page }: ClientsArgs): Promise<Page<ClientEntity>> {
    const query = this.clients.createQueryBuilder('client');
    if (filter.nameContains) {
      query.andWhere('client.name ILIKE :name', { name: containsPattern(filter.nameContains) });
    }
    if (filter.industry) {
      query.andWhere('client.industry = :industry', { industry: filter.industry });
    }
    if (filter.tierIn?.length) {
      query.andWhere('client.tier = ANY(:tiers)', { tiers: filter.tierIn });
    }
    if (filter.ownerId) {
      query.andWhere('client.ownerId = :ownerId', { ownerId: filter.ownerId });
    }
    const field = orderBy?.field ?? ClientSortField.NAME;
    return paginate(query, page, { field, property: field, direction: orderBy?.direction ?? 'ASC' });
  }

  create(input: CreateClientInput): Promise<ClientEntity> {
    const { arr, ...fields } = input;
    return this.writePoint.run((tx) => tx.create(ClientEntity, { ...fields, arrAmount: arr ?? null }));
  }

  update(id: string, input: UpdateClientInput): Promise<ClientEntity> {
    const { arr, ...fields } = input;
    const patch: Partial<ClientEntity> = { ...fields };
    if (arr !== undefined) {
      patch.arrAmount = arr;
    }
    return this.writePoint.run((tx) => tx.update(ClientEntity, id, patch));
  }
}
