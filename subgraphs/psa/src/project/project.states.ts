import { StateMachine } from '@concord/common';
import { ProjectStatus } from './project.entity';

const { SETUP, ACTIVE, ON_HOLD, COMPLETED, CLOSED, CANCELLED } = ProjectStatus;

/** DOMAIN.md §2: SETUP → ACTIVE ⇄ ON_HOLD → COMPLETED → CLOSED; CANCELLED from SETUP / ACTIVE / ON_HOLD. */
export const projectStates = new StateMachine<ProjectStatus>('Project', {
  [SETUP]: [ACTIVE, CANCELLED],
  [ACTIVE]: [ON_HOLD, COMPLETED, CANCELLED],
  [ON_HOLD]: [ACTIVE, COMPLETED, CANCELLED],
  [COMPLETED]: [CLOSED],
  [CLOSED]: [],
  [CANCELLED]: [],
});

/** Statuses in which a project and its delivery structure can no longer change. */
export const FINAL_PROJECT_STATUSES: readonly ProjectStatus[] = [CLOSED, CANCELLED];
