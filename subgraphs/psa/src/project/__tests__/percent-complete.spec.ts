import { TaskStatus } from '../../task/task.entity';
import { computePercentComplete, type TaskProgress } from '../percent-complete';
import { PercentCompleteMethod } from '../project.entity';

const task = (status: TaskStatus, progress: string, weight = '1'): TaskProgress => ({ status, progress, weight });

describe(computePercentComplete.name, () => {
  const tasks = [
    task(TaskStatus.DONE, '100', '3'),
    task(TaskStatus.IN_PROGRESS, '50', '1'),
    task(TaskStatus.OPEN, '0', '1'),
    task(TaskStatus.CANCELLED, '0', '5'),
  ];

  it('should leave MANUAL projects to the manager', () => {
    expect(computePercentComplete(PercentCompleteMethod.MANUAL, tasks)).toBeNull();
  });

  it('should count DONE tasks over the tasks not cancelled', () => {
    expect(computePercentComplete(PercentCompleteMethod.TASK_COMPLETION, tasks)).toBe('33.33');
  });

  it('should average the progress of the tasks not cancelled', () => {
    expect(computePercentComplete(PercentCompleteMethod.AVG_PROGRESS, tasks)).toBe('50.00');
  });

  it('should weight progress by task weight', () => {
    // (100×3 + 50×1 + 0×1) / 5 = 70
    expect(computePercentComplete(PercentCompleteMethod.WEIGHTED_PROGRESS, tasks)).toBe('70.00');
  });

  it('should give 0 when no task counts', () => {
    expect(computePercentComplete(PercentCompleteMethod.AVG_PROGRESS, [task(TaskStatus.CANCELLED, '80')])).toBe('0.00');
    expect(computePercentComplete(PercentCompleteMethod.WEIGHTED_PROGRESS, [task(TaskStatus.OPEN, '80', '0')])).toBe('0.00');
    expect(computePercentComplete(PercentCompleteMethod.TASK_COMPLETION, [])).toBe('0.00');
  });
});
