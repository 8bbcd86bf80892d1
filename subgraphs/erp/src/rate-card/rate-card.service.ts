import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { Repository } from 'typeorm';
import { assertFound, BadInputError, containsPattern, groupByKeys, loadByIds, paginate, toAmount, type Page } from '@concord/common';
import { WritePoint, type Money, type WriteTransaction } from '@concord/graphql';
import {
  RateCardLineSortField,
  RateCardSortField,
  type BillRateArgs,
  type CreateRateCardInput,
  type CreateRateCardLineInput,
  type RateCardLinesArgs,
  type RateCardsArgs,
  type UpdateRateCardInput,
  type UpdateRateCardLineInput,
} from './dtos/rate-card.input';
import { RateCardLineEntity } from './rate-card-line.entity';
import { RateCardEntity } from './rate-card.entity';

@Injectable()
export class RateCardService {
  private readonly byId = new DataLoader<string, RateCardEntity | null>((ids) => loadByIds(this.rateCards, ids), { cache: false });
  private readonly lineById = new DataLoader<string, RateCardLineEntity | null>((ids) => loadByIds(this.rateCardLines, ids), {
    cache: false,
  });

  /** RateCard.lines of many cards in one statement. */
  private readonly linesByRateCardId = new DataLoader<string, RateCardLineEntity[]>(
    async (rateCardIds) => {
      const rows = await this.rateCardLines
        .createQueryBuilder('line')
        .where('line.rateCardId = ANY(:rateCardIds)', { rateCardIds: [...rateCardIds] })
        .orderBy('line.role', 'ASC')
        .addOrderBy('line.activity', 'ASC', 'NULLS FIRST')
        .addOrderBy('line.id', 'ASC')
        .getMany();
      return groupByKeys(rateCardIds, rows, (row) => row.rateCardId);
    },
    { cache: false },
  );

  constructor(
    @InjectRepository(RateCardEntity) private readonly rateCards: Repository<RateCardEntity>,
    @InjectRepository(RateCardLineEntity) private readonly rateCardLines: Repository<RateCardLineEntity>,
    private readonly writePoint: WritePoint,
  ) {}

  findById(id: string): Promise<RateCardEntity | null> {
    return this.byId.load(id);
  }

  async getById(id: string): Promise<RateCardEntity> {
    const rateCard = await this.findById(id);
    assertFound(rateCard, 'RateCard', id);
    return rateCard;
  }

  findLineById(id: string): Promise<RateCardLineEntity | null> {
    return this.lineById.load(id);
  }

  linesOf(rateCardId: string): Promise<RateCardLineEntity[]> {
    return this.linesByRateCardId.load(rateCardId);
  }

  list({ filter = {}, orderBy, ...page }: RateCardsArgs): Promise<Page<RateCardEntity>> {
    const query = this.rateCards.createQueryBuilder('rateCard');
    if (filter.nameContains) {
      query.andWhere('rateCard.name ILIKE :name', { name: containsPattern(filter.nameContains) });
    }
    if (filter.currency) {
      query.andWhere('rateCard.currency = :currency', { currency: filter.currency });
    }
    if (filter.effectiveOn) {
      query.andWhere('rateCard.effectiveFrom <= :on AND (rateCard.effectiveTo IS NULL OR rateCard.effectiveTo >= :on)', {
        on: filter.effectiveOn,
      });
    }
    const field = orderBy?.field ?? RateCardSortField.NAME;
    return paginate(query, page, { field, property: field, direction: orderBy?.direction ?? 'ASC' });
  }

  listLines({ filter = {}, orderBy, ...page }: RateCardLinesArgs): Promise<Page<RateCardLineEntity>> {
    const query = this.rateCardLines.createQueryBuilder('line');
    if (filter.rateCardId) {
      query.andWhere('line.rateCardId = :rateCardId', { rateCardId: filter.rateCardId });
    }
    if (filter.role) {
      query.andWhere('line.role = :role', { role: filter.role });
    }
    const field = orderBy?.field ?? RateCardLineSortField.CREATED_AT;
    return paginate(query, page, { field, property: field, direction: orderBy?.direction ?? 'ASC' });
  }

  create(input: CreateRateCardInput): Promise<RateCardEntity> {
    assertPeriod(input.effectiveFrom, input.effectiveTo ?? null);
    return this.writePoint.run((tx) => tx.create(RateCardEntity, { ...input, effectiveTo: input.effectiveTo ?? null }));
  }

  update(id: string, input: UpdateRateCardInput): Promise<RateCardEntity> {
    return this.writePoint.run(async (tx) => {
      const before = await this.lockCard(tx, id);
      const effectiveTo = input.effectiveTo === undefined ? before.effectiveTo : input.effectiveTo;
      assertPeriod(input.effectiveFrom ?? before.effectiveFrom, effectiveTo);
      const updated = await tx.update(RateCardEntity, id, { ...input });
      if (input.currency && input.currency !== before.currency) {
        const lines = await tx.manager.getRepository(RateCardLineEntity).find({ where: { rateCardId: id } });
        for (const line of lines) {
          await tx.update(RateCardLineEntity, line.id, { currency: input.currency });
        }
      }
      return updated;
    });
  }

  createLine(input: CreateRateCardLineInput): Promise<RateCardLineEntity> {
    return this.writePoint.run(async (tx) => {
      const card = await this.lockCard(tx, input.rateCardId);
      const { billRate, ...fields } = input;
      return tx.create(RateCardLineEntity, {
        ...fields,
        activity: fields.activity ?? null,
        billRateAmount: toAmount(billRate, 6),
        currency: card.currency,
      });
    });
  }

  updateLine(id: string, input: UpdateRateCardLineInput): Promise<RateCardLineEntity> {
    const { billRate, ...fields } = input;
    const patch: Partial<RateCardLineEntity> = { ...fields };
    if (billRate !== undefined) {
      patch.billRateAmount = toAmount(billRate, 6);
    }
    return this.writePoint.run((tx) => tx.update(RateCardLineEntity, id, patch));
  }

  /** The bill rate of `role` on `date` (see billRateLine); null when none applies. */
  async billRate(args: BillRateArgs): Promise<Money | null> {
    return (await this.billRateLine(args))?.billRate ?? null;
  }

  /**
   * The rate card line that prices `role` on `date`: the role's line for `activity` if given and present, else
   * its general line (activity null). Null when the card is not effective on the date or has no such line.
   */
  async billRateLine({ rateCardId, role, date, activity }: BillRateArgs): Promise<RateCardLineEntity | null> {
    const card = await this.getById(rateCardId);
    if (card.effectiveFrom > date || (card.effectiveTo !== null && card.effectiveTo < date)) {
      return null;
    }
    const query = this.rateCardLines
      .createQueryBuilder('line')
      .where('line.rateCardId = :rateCardId AND line.role = :role', { rateCardId, role })
      .andWhere(activity ? '(line.activity = :activity OR line.activity IS NULL)' : 'line.activity IS NULL', { activity })
      .orderBy('line.activity', 'ASC', 'NULLS LAST')
      .limit(1);
    return query.getOne();
  }

  /** Locks the card so its currency cannot change under a line being written. */
  private async lockCard(tx: WriteTransaction, id: string): Promise<RateCardEntity> {
    const card = await tx.manager
      .getRepository(RateCardEntity)
      .createQueryBuilder('rateCard')
      .setLock('pessimistic_write')
      .where('rateCard.id = :id', { id })
      .getOne();
    assertFound(card, 'RateCard', id);
    return card;
  }
}

function assertPeriod(from: string, to: string | null): void {
  if (to !== null && to < from) {
    throw new BadInputError('effectiveTo must be on or after effectiveFrom', { effectiveFrom: from, effectiveTo: to });
  }
}
