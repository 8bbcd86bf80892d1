import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { EntityManager, Repository } from 'typeorm';
import { assertFound, loadByIds, paginate, type Page } from '@concord/common';
import { WritePoint } from '@concord/graphql';
import { CurrencyEntity } from './currency.entity';
import { CurrencySortField, type CreateCurrencyInput, type CurrenciesArgs, type UpdateCurrencyInput } from './dtos/currency.input';

/** Decimals used for a currency the ERP has not registered (most ISO-4217 currencies have 2). */
export const DEFAULT_CURRENCY_DECIMALS = 2;

@Injectable()
export class CurrencyService {
  private readonly byId = new DataLoader<string, CurrencyEntity | null>((ids) => loadByIds(this.currencies, ids), { cache: false });

  constructor(
    @InjectRepository(CurrencyEntity) private readonly currencies: Repository<CurrencyEntity>,
    private readonly writePoint: WritePoint,
  ) {}

  findById(id: string): Promise<CurrencyEntity | null> {
    return this.byId.load(id);
  }

  async getById(id: string): Promise<CurrencyEntity> {
    const currency = await this.findById(id);
    assertFound(currency, 'Currency', id);
    return currency;
  }

  /** Minor-unit decimals of a currency code (2 when the currency is not registered). */
  async decimalsOf(code: string, manager?: EntityManager): Promise<number> {
    const repository = manager ? manager.getRepository(CurrencyEntity) : this.currencies;
    const currency = await repository.findOne({ where: { code } });
    return currency?.decimals ?? DEFAULT_CURRENCY_DECIMALS;
  }

  list({ filter = {}, orderBy, ...page }: CurrenciesArgs): Promise<Page<CurrencyEntity>> {
    const query = this.currencies.createQueryBuilder('currency');
    if (filter.codeIn?.length) {
      query.andWhere('currency.code = ANY(:codes)', { codes: filter.codeIn });
    }
    const field = orderBy?.field ?? CurrencySortField.CODE;
    return paginate(query, page, { field, property: field, direction: orderBy?.direction ?? 'ASC' });
  }

  create(input: CreateCurrencyInput): Promise<CurrencyEntity> {
    return this.writePoint.run((tx) => tx.create(CurrencyEntity, { ...input, decimals: input.decimals ?? DEFAULT_CURRENCY_DECIMALS }));
  }

  update(id: string, input: UpdateCurrencyInput): Promise<CurrencyEntity> {
    return this.writePoint.run((tx) => tx.update(CurrencyEntity, id, { ...input }));
  }
}
