import { StateMachine } from '@concord/common';
import { ResourceRequestStatus } from './resource-request.entity';

const { OPEN, FULFILLED, CANCELLED } = ResourceRequestStatus;

/** OPEN → FULFILLED (by creating an assignment from it) | CANCELLED. */
export const resourceRequestStates = new StateMachine<ResourceRequestStatus>('ResourceRequest', {
  [OPEN]: [FULFILLED, CANCELLED],
  [FULFILLED]: [],
  [CANCELLED]: [],
});
