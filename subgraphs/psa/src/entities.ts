import { AssignmentEntity } from './assignment/assignment.entity';
import { ChangeOrderEntity } from './change-order/change-order.entity';
import { ExpenseEntity } from './expense/expense.entity';
import { MilestoneEntity } from './milestone/milestone.entity';
import { ProjectEntity } from './project/project.entity';
import { ResourceRequestEntity } from './resource-request/resource-request.entity';
import { ResourceEntity } from './resource/resource.entity';
import { TaskEntity } from './task/task.entity';
import { TimeEntryEntity } from './time-entry/time-entry.entity';
import { UtilizationPeriodEntity } from './utilization/utilization-period.entity';

export const psaEntities: Function[] = [
  ProjectEntity,
  TaskEntity,
  MilestoneEntity,
  ChangeOrderEntity,
  ResourceEntity,
  ResourceRequestEntity,
  AssignmentEntity,
  TimeEntryEntity,
  ExpenseEntity,
  UtilizationPeriodEntity,
];
