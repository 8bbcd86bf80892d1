import { StateMachine } from '@concord/common';
import { TaskStatus } from './task.entity';

const { OPEN, IN_PROGRESS, DONE, CANCELLED } = TaskStatus;

/** OPEN ⇄ IN_PROGRESS → DONE (reopened to IN_PROGRESS); CANCELLED from any open state, final. */
export const taskStates = new StateMachine<TaskStatus>('Task', {
  [OPEN]: [IN_PROGRESS, DONE, CANCELLED],
  [IN_PROGRESS]: [OPEN, DONE, CANCELLED],
  [DONE]: [IN_PROGRESS],
  [CANCELLED]: [],
});
