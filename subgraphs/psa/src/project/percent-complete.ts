import { decimal, sumAmounts, toAmount } from '@concord/common';
import { TaskStatus } from '../task/task.entity';
import { PercentCompleteMethod } from './project.entity';

export interface TaskProgress {
  status: TaskStatus;
  progress: string;
  weight: string;
}

/**
 * A project's percent complete from its tasks (ERPNext percent_complete_method); CANCELLED tasks do not count.
 * Returns null for MANUAL, where the manager's value stands. No counted task (or no weight) gives 0.
 */
export function computePercentComplete(method: PercentCompleteMethod, tasks: readonly TaskProgress[]): string | null {
  const counted = tasks.filter((task) => task.status !== TaskStatus.CANCELLED);
  switch (method) {
    case PercentCompleteMethod.MANUAL:
      return null;
    case PercentCompleteMethod.TASK_COMPLETION: {
      if (counted.length === 0) {
        return toAmount('0');
      }
      const done = counted.filter((task) => task.status === TaskStatus.DONE).length;
      return toAmount(decimal(done).times(100).dividedBy(counted.length));
    }
    case PercentCompleteMethod.AVG_PROGRESS: {
      if (counted.length === 0) {
        return toAmount('0');
      }
      return toAmount(sumAmounts(counted.map((task) => task.progress)).dividedBy(counted.length));
    }
    case PercentCompleteMethod.WEIGHTED_PROGRESS: {
      const totalWeight = sumAmounts(counted.map((task) => task.weight));
      if (totalWeight.isZero()) {
        return toAmount('0');
      }
      return toAmount(sumAmounts(counted.map((task) => decimal(task.progress).times(task.weight))).dividedBy(totalWeight));
    }
  }
}
