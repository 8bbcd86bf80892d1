import { StateMachine } from '@concord/common';
import { ChangeOrderStatus } from './change-order.entity';

const { DRAFT, SUBMITTED, APPROVED, APPLIED, REJECTED, WITHDRAWN } = ChangeOrderStatus;

/** DOMAIN.md §2 (proposal): DRAFT → SUBMITTED → APPROVED → APPLIED; REJECTED from SUBMITTED, WITHDRAWN from DRAFT/SUBMITTED. */
export const changeOrderStates = new StateMachine<ChangeOrderStatus>('ChangeOrder', {
  [DRAFT]: [SUBMITTED, WITHDRAWN],
  [SUBMITTED]: [APPROVED, REJECTED, WITHDRAWN],
  [APPROVED]: [APPLIED],
  [APPLIED]: [],
  [REJECTED]: [],
  [WITHDRAWN]: [],
});
