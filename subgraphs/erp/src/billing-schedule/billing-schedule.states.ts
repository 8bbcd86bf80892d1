import { StateMachine } from '@concord/common';
import { BillingScheduleLineStatus } from './billing-schedule-line.entity';

/**
 * BillingScheduleLine (DOMAIN.md §2): PLANNED → READY (date reached or milestone accepted) → INVOICED
 * (an invoice billed it; invoiceId required); CANCELLED from PLANNED or READY. INVOICED and CANCELLED are final.
 */
export const billingScheduleLineStates = new StateMachine<BillingScheduleLineStatus>('BillingScheduleLine', {
  [BillingScheduleLineStatus.PLANNED]: [BillingScheduleLineStatus.READY, BillingScheduleLineStatus.CANCELLED],
  [BillingScheduleLineStatus.READY]: [BillingScheduleLineStatus.INVOICED, BillingScheduleLineStatus.CANCELLED],
  [BillingScheduleLineStatus.INVOICED]: [],
  [BillingScheduleLineStatus.CANCELLED]: [],
});
