import { registerEnumType } from '@nestjs/graphql';
import { StateMachine } from '@concord/common';

export enum PaymentStatus {
  DRAFT = 'DRAFT',
  POSTED = 'POSTED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(PaymentStatus, { name: 'PaymentStatus' });

/** DOMAIN.md §2 Payment: DRAFT → POSTED → CANCELLED; cancelling a posted payment reverses its allocations. */
export const paymentStates = new StateMachine<PaymentStatus>('Payment', {
  [PaymentStatus.DRAFT]: [PaymentStatus.POSTED, PaymentStatus.CANCELLED],
  [PaymentStatus.POSTED]: [PaymentStatus.CANCELLED],
  [PaymentStatus.CANCELLED]: [],
});

export enum PaymentMethod {
  BANK_TRANSFER = 'BANK_TRANSFER',
  DIRECT_DEBIT = 'DIRECT_DEBIT',
  CARD = 'CARD',
  CHECK = 'CHECK',
  CASH = 'CASH',
  OTHER = 'OTHER',
}
registerEnumType(PaymentMethod, { name: 'PaymentMethod' });
