import { StateMachine } from '@concord/common';
import { AssignmentStatus } from './assignment.entity';

const { SOFT, HARD, COMPLETED, CANCELLED } = AssignmentStatus;

/** SOFT → HARD → COMPLETED; CANCELLED from SOFT or HARD. */
export const assignmentStates = new StateMachine<AssignmentStatus>('Assignment', {
  [SOFT]: [HARD, CANCELLED],
  [HARD]: [COMPLETED, CANCELLED],
  [COMPLETED]: [],
  [CANCELLED]: [],
});

/** Statuses in which an assignment can no longer be edited. */
export const CLOSED_ASSIGNMENT_STATUSES: readonly AssignmentStatus[] = [COMPLETED, CANCELLED];
