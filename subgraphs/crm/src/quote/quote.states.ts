import { registerEnumType } from '@nestjs/graphql';
import { StateMachine } from '@concord/common';

export enum QuoteStatus {
  DRAFT = 'DRAFT',
  SENT = 'SENT',
  ACCEPTED = 'ACCEPTED',
  REJECTED = 'REJECTED',
  EXPIRED = 'EXPIRED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(QuoteStatus, { name: 'QuoteStatus' });

const { SENT, ACCEPTED, REJECTED, EXPIRED, CANCELLED } = QuoteStatus;

/** DOMAIN.md §2: DRAFT → SENT → ACCEPTED | REJECTED | EXPIRED; CANCELLED from DRAFT or SENT. */
export const quoteStatuses = new StateMachine<QuoteStatus>('Quote', {
  DRAFT: [SENT, CANCELLED],
  SENT: [ACCEPTED, REJECTED, EXPIRED, CANCELLED],
  ACCEPTED: [],
  REJECTED: [],
  EXPIRED: [],
  CANCELLED: [],
});

/** A quote in one of these states can be revised: `reviseQuote` makes the next version as a DRAFT copy. */
export const REVISABLE_STATUSES: readonly QuoteStatus[] = [SENT, REJECTED, EXPIRED];
