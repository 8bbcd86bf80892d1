import type { EntityManager } from 'typeorm';
import { BadInputError } from '@concord/common';
import { OpportunityEntity } from '../opportunity/opportunity.entity';
import { isClosed } from '../opportunity/opportunity.states';
import { QuoteEntity } from './quote.entity';
import { QuoteStatus } from './quote.states';

/** The rule a refused quote change broke, in `extensions.rule` next to BAD_USER_INPUT or CONFLICT. */
export enum QuoteRule {
  QUOTE_NOT_DRAFT = 'QUOTE_NOT_DRAFT',
  QUOTE_HAS_NO_LINES = 'QUOTE_HAS_NO_LINES',
  QUOTE_VALIDITY_PASSED = 'QUOTE_VALIDITY_PASSED',
  ONE_ACCEPTED_QUOTE = 'ONE_ACCEPTED_QUOTE',
  QUOTE_NOT_REVISABLE = 'QUOTE_NOT_REVISABLE',
  ALREADY_REVISED = 'ALREADY_REVISED',
  OPPORTUNITY_CLOSED = 'OPPORTUNITY_CLOSED',
}

/** Reads the quote FOR UPDATE: line edits and status changes of one quote are serialized on its row. */
export function lockQuote(manager: EntityManager, id: string): Promise<QuoteEntity | null> {
  return manager
    .getRepository(QuoteEntity)
    .createQueryBuilder('quote')
    .setLock('pessimistic_write')
    .where('quote.id = :id', { id })
    .getOne();
}

/** Only a DRAFT can be edited: once sent, a change is a new version (`reviseQuote`). */
export function assertDraft(quote: QuoteEntity): void {
  if (quote.status !== QuoteStatus.DRAFT) {
    throw new BadInputError(`quote ${quote.number} is ${quote.status}: only DRAFT quotes can be edited (revise it to make a new version)`, {
      rule: QuoteRule.QUOTE_NOT_DRAFT,
      status: quote.status,
    });
  }
}

/** New quotes, revisions, sending and accepting need an open opportunity (reopen a closed one first). */
export function assertOpportunityOpen(opportunity: OpportunityEntity): void {
  if (isClosed(opportunity.status)) {
    throw new BadInputError(`opportunity ${opportunity.id} is ${opportunity.status}; reopen it first`, {
      rule: QuoteRule.OPPORTUNITY_CLOSED,
      stage: opportunity.status,
    });
  }
}
