import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { MoneyValue } from '@concord/common';
import { deliveredCostByOwner } from '../project-cost/owner-cost';

/** Delivered cost of the projects of legal entities (ERP `LegalEntity.margin` requires it), batched per request. */
@Injectable()
export class LegalEntityCostService {
  private readonly cost = new DataLoader<string, MoneyValue[]>((ids) => deliveredCostByOwner(this.dataSource, 'legal_entity_id', ids), {
    cache: false,
  });

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  costToDateOf(legalEntityId: string): Promise<MoneyValue[]> {
    return this.cost.load(legalEntityId);
  }
}
