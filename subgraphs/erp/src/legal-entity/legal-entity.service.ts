import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { Repository } from 'typeorm';
import { assertFound, containsPattern, loadByIds, paginate, type Page } from '@concord/common';
import { WritePoint } from '@concord/graphql';
import { LegalEntityEntity } from './legal-entity.entity';
import {
  LegalEntitySortField,
  type CreateLegalEntityInput,
  type LegalEntitiesArgs,
  type UpdateLegalEntityInput,
} from './dtos/legal-entity.input';

@Injectable()
export class LegalEntityService {
  private readonly byId = new DataLoader<string, LegalEntityEntity | null>((ids) => loadByIds(this.legalEntities, ids), { cache: false });

  constructor(
    @InjectRepository(LegalEntityEntity) private readonly legalEntities: Repository<LegalEntityEntity>,
    private readonly writePoint: WritePoint,
  ) {}

  findById(id: string): Promise<LegalEntityEntity | null> {
    return this.byId.load(id);
  }

  async getById(id: string): Promise<LegalEntityEntity> {
    const legalEntity = await this.findById(id);
    assertFound(legalEntity, 'LegalEntity', id);
    return legalEntity;
  }

  list({ filter = {}, orderBy, ...page }: LegalEntitiesArgs): Promise<Page<LegalEntityEntity>> {
    const query = this.legalEntities.createQueryBuilder('legalEntity');
    if (filter.search) {
      query.andWhere('(legalEntity.name ILIKE :search OR legalEntity.code ILIKE :search)', { search: containsPattern(filter.search) });
    }
    if (filter.country) {
      query.andWhere('legalEntity.country = :country', { country: filter.country });
    }
    if (filter.functionalCurrency) {
      query.andWhere('legalEntity.functionalCurrency = :currency', { currency: filter.functionalCurrency });
    }
    const field = orderBy?.field ?? LegalEntitySortField.CODE;
    return paginate(query, page, { field, property: field, direction: orderBy?.direction ?? 'ASC' });
  }

  create(input: CreateLegalEntityInput): Promise<LegalEntityEntity> {
    return this.writePoint.run((tx) => tx.create(LegalEntityEntity, { ...input, taxId: input.taxId ?? null }));
  }

  update(id: string, input: UpdateLegalEntityInput): Promise<LegalEntityEntity> {
    return this.writePoint.run((tx) => tx.update(LegalEntityEntity, id, { ...input }));
  }
}
