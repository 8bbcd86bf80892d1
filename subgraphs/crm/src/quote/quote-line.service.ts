import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { Repository } from 'typeorm';
import { assertFound, groupByKeys, loadByIds, sumAmounts, toAmount } from '@concord/common';
import { WritePoint, type WriteTransaction } from '@concord/graphql';
import { HOURLY_BILLING_MODELS } from '../common/billing-model.enum';
import type { QuoteLineInput, UpdateQuoteLineInput } from './dtos/quote-line.input';
import { ServiceTracking, QuoteLineEntity } from './quote-line.entity';
import { QuoteEntity } from './quote.entity';
import { assertLineTerms, lineAmount, type LineTerms } from './quote-pricing';
import { assertDraft, lockQuote } from './quote.rules';

@Injectable()
export class QuoteLineService {
  private readonly byId = new DataLoader<string, QuoteLineEntity | null>((ids) => loadByIds(this.lines, ids), { cache: false });

  /** `Quote.lines` of every quote asked for in one tick, one statement. */
  private readonly byQuote = new DataLoader<string, QuoteLineEntity[]>(
    async (quoteIds) => {
      const rows = await this.lines
        .createQueryBuilder('line')
        .where('line.quoteId = ANY(:quoteIds)', { quoteIds: [...quoteIds] })
        .orderBy('line.position', 'ASC')
        .getMany();
      return groupByKeys(quoteIds, rows, (row) => row.quoteId);
    },
    { cache: false },
  );

  constructor(
    @InjectRepository(QuoteLineEntity) private readonly lines: Repository<QuoteLineEntity>,
    private readonly writePoint: WritePoint,
  ) {}

  findById(id: string): Promise<QuoteLineEntity | null> {
    return this.byId.load(id);
  }

  listOfQuote(quoteId: string): Promise<QuoteLineEntity[]> {
    return this.byQuote.load(quoteId);
  }

  /** Adds a line at the end of a DRAFT quote and re-prices the quote, in one transaction. */
  add(quoteId: string, input: QuoteLineInput): Promise<QuoteLineEntity> {
    return this.writePoint.run(async (tx) => {
      const quote = await lockQuote(tx.manager, quoteId);
      assertFound(quote, 'Quote', quoteId);
      assertDraft(quote);
      const last = await tx.manager.getRepository(QuoteLineEntity).maximum('position', { quoteId });
      const line = await this.insert(tx, quote, input, (last ?? 0) + 1);
      await this.recomputeTotals(tx, quote.id);
      return line;
    });
  }

  update(id: string, input: UpdateQuoteLineInput): Promise<QuoteLineEntity> {
    return this.writePoint.run(async (tx) => {
      const current = await this.lockedLineOfDraft(tx, id);
      const terms: LineTerms = {
        billingModel: input.billingModel ?? current.billingModel,
        hours: input.hours !== undefined ? decimalOrNull(input.hours, 2) : current.hours,
        quantity: input.quantity !== undefined ? decimalOrNull(input.quantity, 2) : current.quantity,
        unitRate: input.unitRate !== undefined ? toAmount(input.unitRate, 6) : current.unitRateAmount,
        discountPct: input.discountPct !== undefined ? toAmount(input.discountPct, 2) : current.discountPct,
        milestoneName: input.milestoneName !== undefined ? input.milestoneName : current.milestoneName,
        milestoneDate: input.milestoneDate !== undefined ? input.milestoneDate : current.milestoneDate,
      };
      assertLineTerms(terms);
      const { unitRate, ...priced } = terms;
      const patch: Partial<QuoteLineEntity> = { ...priced, unitRateAmount: unitRate, amountAmount: lineAmount(terms) };
      if (input.serviceCode !== undefined) {
        patch.serviceCode = input.serviceCode;
      }
      if (input.description !== undefined) {
        patch.description = input.description;
      }
      if (input.roleId !== undefined) {
        patch.roleId = input.roleId;
      }
      if (input.serviceTracking !== undefined) {
        patch.serviceTracking = input.serviceTracking;
      }
      const line = await tx.update(QuoteLineEntity, id, patch);
      await this.recomputeTotals(tx, line.quoteId);
      return line;
    });
  }

  /** Removes a line of a DRAFT quote; returns the re-priced quote. */
  remove(id: string): Promise<QuoteEntity> {
    return this.writePoint.run(async (tx) => {
      const line = await this.lockedLineOfDraft(tx, id);
      await tx.delete(QuoteLineEntity, id);
      return this.recomputeTotals(tx, line.quoteId);
    });
  }

  /** Prices and writes one line of `quote` (inside the caller's transaction; the caller re-prices the quote). */
  async insert(tx: WriteTransaction, quote: QuoteEntity, input: QuoteLineInput, position: number): Promise<QuoteLineEntity> {
    const hourly = HOURLY_BILLING_MODELS.includes(input.billingModel);
    const terms: LineTerms = {
      billingModel: input.billingModel,
      hours: decimalOrNull(input.hours, 2),
      // A fixed-fee or milestone line is usually one unit.
      quantity:
        input.quantity !== undefined && input.quantity !== null ? toAmount(input.quantity, 2) : hourly || input.hours ? null : '1.00',
      unitRate: toAmount(input.unitRate, 6),
      discountPct: toAmount(input.discountPct ?? '0', 2),
      milestoneName: input.milestoneName ?? null,
      milestoneDate: input.milestoneDate ?? null,
    };
    assertLineTerms(terms);
    const { unitRate, ...priced } = terms;
    return tx.create(QuoteLineEntity, {
      ...priced,
      quoteId: quote.id,
      position,
      serviceCode: input.serviceCode,
      description: input.description ?? null,
      roleId: input.roleId ?? null,
      unitRateAmount: unitRate,
      amountAmount: lineAmount(terms),
      currency: quote.currency,
      serviceTracking: input.serviceTracking ?? ServiceTracking.NONE,
    });
  }

  /** Copies every line of one quote to another (a revision), same order and prices. */
  async copy(tx: WriteTransaction, fromQuoteId: string, to: QuoteEntity): Promise<void> {
    const lines = await tx.manager.getRepository(QuoteLineEntity).find({ where: { quoteId: fromQuoteId }, order: { position: 'ASC' } });
    for (const line of lines) {
      const { id: _id, createdAt: _createdAt, updatedAt: _updatedAt, ...values } = line;
      await tx.create(QuoteLineEntity, { ...values, quoteId: to.id, currency: to.currency });
    }
  }

  /** subtotal = Σ line amounts (decimals), total = subtotal (no tax in the CRM); written in the caller's transaction. */
  async recomputeTotals(tx: WriteTransaction, quoteId: string): Promise<QuoteEntity> {
    const lines = await tx.manager.getRepository(QuoteLineEntity).findBy({ quoteId });
    const subtotal = toAmount(sumAmounts(lines.map((line) => line.amountAmount)), 2);
    return tx.update(QuoteEntity, quoteId, { subtotalAmount: subtotal, totalAmount: subtotal });
  }

  private async lockedLineOfDraft(tx: WriteTransaction, id: string): Promise<QuoteLineEntity> {
    const repository = tx.manager.getRepository(QuoteLineEntity);
    const line = await repository.findOneBy({ id });
    assertFound(line, 'QuoteLine', id);
    const quote = await lockQuote(tx.manager, line.quoteId);
    assertFound(quote, 'Quote', line.quoteId);
    assertDraft(quote);
    // Read again under the quote's lock: another edit may have committed meanwhile.
    const current = await repository.findOneBy({ id });
    assertFound(current, 'QuoteLine', id);
    return current;
  }
}

function decimalOrNull(value: string | null | undefined, places: number): string | null {
  return value === undefined || value === null ? null : toAmount(value, places);
}
