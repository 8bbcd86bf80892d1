import { StateMachine } from '@concord/common';
import { BillingScheduleLineStatus } from './billing-schedule-line.entity';

/**
 * BillingScheduleLine (DOMAIN.md §2): PLANNED → READY (date reached or milestone accepted) → INVOICED
 * (an invoice billed it; invoiceId required); CANCELLED from PLANNED or READY. INVOICED → READY only when its
 * invoice is cancelled (the invoice does it; the transition mutation refuses it). CANCELLED is final.
 */
export const billingScheduleLineStates = new StateMachine<BillingScheduleLineStatus>('BillingScheduleLine', {
  [BillingScheduleLineStatus.PLANNED]: [BillingScheduleLineStatus.READY, BillingScheduleLineStatus.CANCELLED],
  [BillingScheduleLineStatus.READY]: [BillingScheduleLineStatus.INVOICED, BillingScheduleLineStatus.CANCELLED],
  [BillingScheduleLineStatus.INVOICED]: [BillingScheduleLineStatus.READY],
  [BillingScheduleLineStatus.CANCELLED]: [],
});
