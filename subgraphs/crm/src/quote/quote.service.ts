import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { EntityManager, Repository } from 'typeorm';
import { assertFound, BadInputError, ConflictError, groupByKeys, loadByIds, orderByKeys, paginate, type Page } from '@concord/common';
import { CLOCK, WritePoint, type Clock, type WriteTransaction } from '@concord/graphql';
import type { OpportunityEntity } from '../opportunity/opportunity.entity';
import { OpportunityService } from '../opportunity/opportunity.service';
import { QuoteSortField, type CreateQuoteInput, type QuotesArgs, type UpdateQuoteInput } from './dtos/quote.input';
import { QuoteLineEntity } from './quote-line.entity';
import { QuoteLineService } from './quote-line.service';
import { QuoteEntity } from './quote.entity';
import { assertDraft, assertOpportunityOpen, lockQuote, QuoteRule } from './quote.rules';
import { quoteStatuses, QuoteStatus, REVISABLE_STATUSES } from './quote.states';

@Injectable()
export class QuoteService {
  private readonly byId = new DataLoader<string, QuoteEntity | null>((ids) => loadByIds(this.quotes, ids), { cache: false });

  /** `Opportunity.quotes` (every version, oldest first) of every opportunity of one tick, one statement. */
  private readonly byOpportunity = new DataLoader<string, QuoteEntity[]>(
    async (opportunityIds) => {
      const rows = await this.quotes
        .createQueryBuilder('quote')
        .where('quote.opportunityId = ANY(:opportunityIds)', { opportunityIds: [...opportunityIds] })
        .orderBy('quote.createdAt', 'ASC')
        .addOrderBy('quote.id', 'ASC')
        .getMany();
      return groupByKeys(opportunityIds, rows, (row) => row.opportunityId);
    },
    { cache: false },
  );

  /** `Opportunity.acceptedQuote` of every opportunity of one tick, one statement. */
  private readonly acceptedByOpportunity = new DataLoader<string, QuoteEntity | null>(
    async (opportunityIds) => {
      const rows = await this.quotes
        .createQueryBuilder('quote')
        .where('quote.opportunityId = ANY(:opportunityIds) AND quote.status = :accepted', {
          opportunityIds: [...opportunityIds],
          accepted: QuoteStatus.ACCEPTED,
        })
        .getMany();
      return orderByKeys(opportunityIds, rows, (row) => row.opportunityId);
    },
    { cache: false },
  );

  constructor(
    @InjectRepository(QuoteEntity) private readonly quotes: Repository<QuoteEntity>,
    private readonly writePoint: WritePoint,
    private readonly opportunityService: OpportunityService,
    private readonly quoteLineService: QuoteLineService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  findById(id: string): Promise<QuoteEntity | null> {
    return this.byId.load(id);
  }

  async getById(id: string): Promise<QuoteEntity> {
    const quote = await this.findById(id);
    assertFound(quote, 'Quote', id);
    return quote;
  }

  listOfOpportunity(opportunityId: string): Promise<QuoteEntity[]> {
    return this.byOpportunity.load(opportunityId);
  }

  acceptedOfOpportunity(opportunityId: string): Promise<QuoteEntity | null> {
    return this.acceptedByOpportunity.load(opportunityId);
  }

  list({ filter = {}, orderBy, ...page }: QuotesArgs): Promise<Page<QuoteEntity>> {
    const query = this.quotes.createQueryBuilder('quote');
    if (filter.opportunityId) {
      query.andWhere('quote.opportunityId = :opportunityId', { opportunityId: filter.opportunityId });
    }
    if (filter.statusIn?.length) {
      query.andWhere('quote.status = ANY(:statuses)', { statuses: filter.statusIn });
    }
    const field = orderBy?.field ?? QuoteSortField.NUMBER;
    return paginate(query, page, { field, property: field, direction: orderBy?.direction ?? 'ASC' });
  }

  /** A new DRAFT quote (version 1, next number) for an open opportunity, with its initial lines priced. */
  create(input: CreateQuoteInput): Promise<QuoteEntity> {
    return this.writePoint.run(async (tx) => {
      const opportunity = await this.opportunityService.lockRow(tx.manager, input.opportunityId);
      if (!opportunity) {
        throw new BadInputError(`opportunity ${input.opportunityId} does not exist`, { field: 'opportunityId', id: input.opportunityId });
      }
      assertOpportunityOpen(opportunity);
      const quote = await tx.create(QuoteEntity, {
        number: await nextQuoteNumber(tx.manager),
        opportunityId: opportunity.id,
        version: 1,
        previousVersionId: null,
        status: QuoteStatus.DRAFT,
        validUntil: input.validUntil ?? null,
        currency: input.currency ?? opportunity.currency,
        billingTerms: input.billingTerms ?? null,
        subtotalAmount: '0.00',
        totalAmount: '0.00',
      });
      if (!input.lines?.length) {
        return quote;
      }
      for (const [index, line] of input.lines.entries()) {
        await this.quoteLineService.insert(tx, quote, line, index + 1);
      }
      return this.quoteLineService.recomputeTotals(tx, quote.id);
    });
  }

  update(id: string, input: UpdateQuoteInput): Promise<QuoteEntity> {
    return this.writePoint.run(async (tx) => {
      const quote = await lockQuote(tx.manager, id);
      assertFound(quote, 'Quote', id);
      assertDraft(quote);
      return tx.update(QuoteEntity, id, { ...input });
    });
  }

  /**
   * Moves a quote along DRAFT → SENT → ACCEPTED | REJECTED | EXPIRED (CANCELLED from DRAFT or SENT). Accepting
   * needs at least one line, an unexpired validity and no other ACCEPTED quote on the opportunity.
   */
  transition(id: string, to: QuoteStatus): Promise<QuoteEntity> {
    return this.writePoint.run(async (tx) => {
      const { quote, opportunity } = await this.lockWithOpportunity(tx, id);
      quoteStatuses.assertTransition(quote.status, to);
      if (to === QuoteStatus.SENT || to === QuoteStatus.ACCEPTED) {
        assertOpportunityOpen(opportunity);
      }
      if (to === QuoteStatus.ACCEPTED) {
        await assertAcceptable(tx.manager, quote, this.clock.today());
      }
      return tx.transition(QuoteEntity, id, quoteStatuses, to);
    });
  }

  /**
   * "Edits create a new version" (DOMAIN.md §2): copies a SENT, REJECTED or EXPIRED quote with its lines as the next
   * version, a DRAFT; a SENT original is CANCELLED (the client cannot accept both). Each version is revised once.
   */
  revise(id: string): Promise<QuoteEntity> {
    return this.writePoint.run(async (tx) => {
      const { quote: source, opportunity } = await this.lockWithOpportunity(tx, id);
      if (!REVISABLE_STATUSES.includes(source.status)) {
        throw new BadInputError(
          source.status === QuoteStatus.DRAFT
            ? `quote ${source.number} is a DRAFT: edit it instead of revising it`
            : `quote ${source.number} is ${source.status}: only ${REVISABLE_STATUSES.join(', ')} quotes can be revised`,
          { rule: QuoteRule.QUOTE_NOT_REVISABLE, status: source.status },
        );
      }
      assertOpportunityOpen(opportunity);
      const successor = await tx.manager.getRepository(QuoteEntity).findOneBy({ previousVersionId: id });
      if (successor) {
        throw new ConflictError(`quote ${source.number} was already revised by ${successor.number}; revise the latest version`, {
          rule: QuoteRule.ALREADY_REVISED,
          revisionId: successor.id,
        });
      }
      const version = source.version + 1;
      const revision = await tx.create(QuoteEntity, {
        number: `${source.number.replace(/-V\d+$/, '')}-V${version}`,
        opportunityId: source.opportunityId,
        version,
        previousVersionId: source.id,
        status: QuoteStatus.DRAFT,
        validUntil: source.validUntil,
        currency: source.currency,
        billingTerms: source.billingTerms,
        subtotalAmount: source.subtotalAmount,
        totalAmount: source.totalAmount,
      });
      await this.quoteLineService.copy(tx, source.id, revision);
      if (source.status === QuoteStatus.SENT) {
        await tx.transition(QuoteEntity, source.id, quoteStatuses, QuoteStatus.CANCELLED);
      }
      return revision;
    });
  }

  /** Locks the quote's opportunity, then the quote (always in this order, so concurrent writers cannot deadlock). */
  private async lockWithOpportunity(tx: WriteTransaction, id: string): Promise<{ quote: QuoteEntity; opportunity: OpportunityEntity }> {
    const unlocked = await tx.manager.getRepository(QuoteEntity).findOneBy({ id });
    assertFound(unlocked, 'Quote', id);
    const opportunity = await this.opportunityService.lockRow(tx.manager, unlocked.opportunityId);
    const quote = await lockQuote(tx.manager, id);
    assertFound(opportunity, 'Opportunity', unlocked.opportunityId);
    assertFound(quote, 'Quote', id);
    return { quote, opportunity };
  }
}

async function assertAcceptable(manager: EntityManager, quote: QuoteEntity, today: string): Promise<void> {
  const lines = await manager.getRepository(QuoteLineEntity).countBy({ quoteId: quote.id });
  if (lines === 0) {
    throw new BadInputError(`quote ${quote.number} has no lines and cannot be accepted`, { rule: QuoteRule.QUOTE_HAS_NO_LINES });
  }
  if (quote.validUntil && quote.validUntil < today) {
    throw new BadInputError(`quote ${quote.number} was valid until ${quote.validUntil}; revise it`, {
      rule: QuoteRule.QUOTE_VALIDITY_PASSED,
      validUntil: quote.validUntil,
    });
  }
  const accepted = await manager.getRepository(QuoteEntity).findOneBy({ opportunityId: quote.opportunityId, status: QuoteStatus.ACCEPTED });
  if (accepted) {
    throw new ConflictError(`opportunity ${quote.opportunityId} already has an accepted quote (${accepted.number})`, {
      rule: QuoteRule.ONE_ACCEPTED_QUOTE,
      acceptedQuoteId: accepted.id,
    });
  }
}

/** Q-000001, Q-000002, … from a database sequence (gap-free is not needed, unique is). */
async function nextQuoteNumber(manager: EntityManager): Promise<string> {
  const [{ value }] = (await manager.query(`SELECT nextval('crm.quote_number_seq') AS value`)) as { value: string }[];
  return `Q-${value.padStart(6, '0')}`;
}
