import { StateMachine } from '@concord/common';
import { MilestoneStatus } from './milestone.entity';

const { PLANNED, REACHED, ACCEPTED, CANCELLED } = MilestoneStatus;

/** PLANNED → REACHED → ACCEPTED; CANCELLED from PLANNED or REACHED. */
export const milestoneStates = new StateMachine<MilestoneStatus>('Milestone', {
  [PLANNED]: [REACHED, CANCELLED],
  [REACHED]: [ACCEPTED, CANCELLED],
  [ACCEPTED]: [],
  [CANCELLED]: [],
});

/** A milestone in these statuses is settled (ERP may have billed it): its terms no longer change. */
export const SETTLED_MILESTONE_STATUSES: readonly MilestoneStatus[] = [ACCEPTED, CANCELLED];
