import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { EntityManager, Repository } from 'typeorm';
import {
  assertFound,
  BadInputError,
  ConcordError,
  decimal,
  ErrorCode,
  loadByIds,
  money,
  paginate,
  toAmount,
  type DecimalValue,
  type MoneyValue,
  type Page,
} from '@concord/common';
import { WritePoint } from '@concord/graphql';
import { CurrencyService } from './currency.service';
import { FxRateSortField, type CreateFxRateInput, type FxRatesArgs, type UpdateFxRateInput } from './dtos/fx-rate.input';
import { FxRateEntity } from './fx-rate.entity';

const RATE_PLACES = 6;

/** The rate applying to a pair on a day; `exact` keeps full precision for conversions (an inverse is 1/x). */
export interface ResolvedRate {
  fromCurrency: string;
  toCurrency: string;
  date: string;
  rateDate: string;
  inverse: boolean;
  /** 6 decimals, for display and for snapshots on documents */
  rate: string;
  exact: DecimalValue;
}

@Injectable()
export class FxRateService {
  private readonly byId = new DataLoader<string, FxRateEntity | null>((ids) => loadByIds(this.fxRates, ids), { cache: false });

  constructor(
    @InjectRepository(FxRateEntity) private readonly fxRates: Repository<FxRateEntity>,
    private readonly currencyService: CurrencyService,
    private readonly writePoint: WritePoint,
  ) {}

  findById(id: string): Promise<FxRateEntity | null> {
    return this.byId.load(id);
  }

  async getById(id: string): Promise<FxRateEntity> {
    const fxRate = await this.findById(id);
    assertFound(fxRate, 'FxRate', id);
    return fxRate;
  }

  list({ filter = {}, orderBy, ...page }: FxRatesArgs): Promise<Page<FxRateEntity>> {
    const query = this.fxRates.createQueryBuilder('fxRate');
    if (filter.fromCurrency) {
      query.andWhere('fxRate.fromCurrency = :fromCurrency', { fromCurrency: filter.fromCurrency });
    }
    if (filter.toCurrency) {
      query.andWhere('fxRate.toCurrency = :toCurrency', { toCurrency: filter.toCurrency });
    }
    if (filter.dateFrom) {
      query.andWhere('fxRate.date >= :dateFrom', { dateFrom: filter.dateFrom });
    }
    if (filter.dateTo) {
      query.andWhere('fxRate.date <= :dateTo', { dateTo: filter.dateTo });
    }
    const field = orderBy?.field ?? FxRateSortField.DATE;
    return paginate(query, page, { field, property: field, direction: orderBy?.direction ?? 'DESC' });
  }

  create(input: CreateFxRateInput): Promise<FxRateEntity> {
    if (input.fromCurrency === input.toCurrency) {
      throw new BadInputError('fromCurrency and toCurrency must differ', { fromCurrency: input.fromCurrency });
    }
    return this.writePoint.run((tx) => tx.create(FxRateEntity, { ...input, rate: toAmount(input.rate, RATE_PLACES) }));
  }

  update(id: string, input: UpdateFxRateInput): Promise<FxRateEntity> {
    return this.writePoint.run((tx) => tx.update(FxRateEntity, id, { rate: toAmount(input.rate, RATE_PLACES) }));
  }

  /**
   * The rate of `from → to` on `date`: the latest stored rate of the pair on or before the date; when the pair
   * has none, the inverse of the latest opposite-pair rate. NOT_FOUND when neither exists. One statement.
   */
  async rateOn(from: string, to: string, date: string, manager?: EntityManager): Promise<ResolvedRate> {
    if (from === to) {
      return {
        fromCurrency: from,
        toCurrency: to,
        date,
        rateDate: date,
        inverse: false,
        rate: decimal(1).toFixed(RATE_PLACES),
        exact: decimal(1),
      };
    }
    const repository = manager ? manager.getRepository(FxRateEntity) : this.fxRates;
    const stored = await repository
      .createQueryBuilder('fxRate')
      .where('((fxRate.fromCurrency = :from AND fxRate.toCurrency = :to) OR (fxRate.fromCurrency = :to AND fxRate.toCurrency = :from))', {
        from,
        to,
      })
      .andWhere('fxRate.date <= :date', { date })
      .orderBy('CASE WHEN fxRate.fromCurrency = :from THEN 0 ELSE 1 END', 'ASC')
      .addOrderBy('fxRate.date', 'DESC')
      .limit(1)
      .getOne();
    if (!stored) {
      throw new ConcordError(ErrorCode.NOT_FOUND, `no exchange rate ${from}→${to} (or ${to}→${from}) on or before ${date}`, {
        entity: 'FxRate',
        from,
        to,
        date,
      });
    }
    const inverse = stored.fromCurrency !== from;
    const exact = inverse ? decimal(1).div(stored.rate) : decimal(stored.rate);
    return { fromCurrency: from, toCurrency: to, date, rateDate: stored.date, inverse, rate: exact.toFixed(RATE_PLACES), exact };
  }

  /**
   * Converts an amount with the rate of `date` (see rateOn), rounded half-even to the target currency's decimals.
   * It uses the full-precision rate: an inverse is not rounded to 6 decimals first.
   */
  async convert(amount: string, from: string, to: string, date: string, manager?: EntityManager): Promise<MoneyValue> {
    const rate = await this.rateOn(from, to, date, manager);
    const places = await this.currencyService.decimalsOf(to, manager);
    return money(decimal(amount).times(rate.exact), to, places);
  }
}
