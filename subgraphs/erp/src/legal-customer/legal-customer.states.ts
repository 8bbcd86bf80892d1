import { StateMachine } from '@concord/common';
import { LegalCustomerStatus } from './legal-customer.entity';

/** ACTIVE ⇄ FROZEN: a frozen customer (credit hold, dispute) gets no new contracts until unfrozen. */
export const legalCustomerStates = new StateMachine<LegalCustomerStatus>('LegalCustomer', {
  [LegalCustomerStatus.ACTIVE]: [LegalCustomerStatus.FROZEN],
  [LegalCustomerStatus.FROZEN]: [LegalCustomerStatus.ACTIVE],
});
