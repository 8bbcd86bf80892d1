import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { Repository } from 'typeorm';
import { assertFound, BadInputError, containsPattern, loadByIds, loadChildren, pageSize, paginate, type Page } from '@concord/common';
import { childListLoader, WritePoint, type WriteTransaction } from '@concord/graphql';
import { definedOnly, normalizeDecimals } from '../common/input-formats';
import { MilestoneEntity } from '../milestone/milestone.entity';
import { ProjectService } from '../project/project.service';
import { TaskSortField, type CreateTaskInput, type TasksArgs, type UpdateTaskInput } from './dtos/task.input';
import { TaskEntity, TaskStatus } from './task.entity';
import { taskStates } from './task.states';

const DECIMAL_FIELDS = ['allocatedHours', 'progress', 'weight'] as const;

type ChildOf = 'projectId' | 'parentTaskId' | 'milestoneId';

@Injectable()
export class TaskService {
  private readonly byId = new DataLoader<string, TaskEntity | null>((ids) => loadByIds(this.tasks, ids), { cache: false });
  private readonly byProject = this.childLoader('projectId');
  private readonly byParentTask = this.childLoader('parentTaskId');
  private readonly byMilestone = this.childLoader('milestoneId');

  constructor(
    @InjectRepository(TaskEntity) private readonly tasks: Repository<TaskEntity>,
    private readonly projectService: ProjectService,
    private readonly writePoint: WritePoint,
  ) {}

  findById(id: string): Promise<TaskEntity | null> {
    return this.byId.load(id);
  }

  /** `Project.tasks` (every task, subtasks included), batched over every project asked for. */
  tasksOfProject(projectId: string, first: number): Promise<TaskEntity[]> {
    return this.byProject.load({ parentId: projectId, args: { first: pageSize(first) } });
  }

  /** `Task.subtasks`, batched. */
  subtasksOf(taskId: string, first: number): Promise<TaskEntity[]> {
    return this.byParentTask.load({ parentId: taskId, args: { first: pageSize(first) } });
  }

  /** `Milestone.tasks`, batched. */
  tasksOfMilestone(milestoneId: string, first: number): Promise<TaskEntity[]> {
    return this.byMilestone.load({ parentId: milestoneId, args: { first: pageSize(first) } });
  }

  list({ filter = {}, orderBy, ...page }: TasksArgs): Promise<Page<TaskEntity>> {
    const query = this.tasks.createQueryBuilder('task');
    if (filter.projectId) {
      query.andWhere('task.projectId = :projectId', { projectId: filter.projectId });
    }
    if (filter.parentTaskId) {
      query.andWhere('task.parentTaskId = :parentTaskId', { parentTaskId: filter.parentTaskId });
    }
    if (filter.rootOnly) {
      query.andWhere('task.parentTaskId IS NULL');
    }
    if (filter.milestoneId) {
      query.andWhere('task.milestoneId = :milestoneId', { milestoneId: filter.milestoneId });
    }
    if (filter.statusIn?.length) {
      query.andWhere('task.status = ANY(:statuses)', { statuses: filter.statusIn });
    }
    if (filter.billable !== undefined && filter.billable !== null) {
      query.andWhere('task.billable = :billable', { billable: filter.billable });
    }
    if (filter.nameContains) {
      query.andWhere('task.name ILIKE :name', { name: containsPattern(filter.nameContains) });
    }
    const field = orderBy?.field ?? TaskSortField.CREATED_AT;
    return paginate(query, page, { field, property: field, direction: orderBy?.direction ?? 'ASC' });
  }

  create(input: CreateTaskInput): Promise<TaskEntity> {
    return this.writePoint.run(async (tx) => {
      const project = await this.projectService.lockEditable(tx, input.projectId);
      await this.assertLinks(tx, project.id, input);
      const task = await tx.create(TaskEntity, { ...definedOnly(normalizeDecimals(input, DECIMAL_FIELDS)), status: TaskStatus.OPEN });
      await this.projectService.recomputePercentComplete(tx, project.id);
      return task;
    });
  }

  update(id: string, input: UpdateTaskInput): Promise<TaskEntity> {
    const patch: Partial<TaskEntity> = definedOnly(normalizeDecimals(input, DECIMAL_FIELDS));
    return this.writePoint.run(async (tx) => {
      const current = await this.lockProjectOf(tx, id);
      await this.assertLinks(tx, current.projectId, patch, id);
      const task = await tx.update(TaskEntity, id, patch);
      await this.projectService.recomputePercentComplete(tx, current.projectId);
      return task;
    });
  }

  /** Moves a task along its state machine; DONE sets progress to 100. The project's percentComplete follows. */
  transition(id: string, to: TaskStatus): Promise<TaskEntity> {
    return this.writePoint.run(async (tx) => {
      const current = await this.lockProjectOf(tx, id);
      const task = await tx.transition<TaskEntity>(TaskEntity, id, taskStates, to, () =>
        to === TaskStatus.DONE ? { progress: '100.00' } : undefined,
      );
      await this.projectService.recomputePercentComplete(tx, current.projectId);
      return task;
    });
  }

  private async lockProjectOf(tx: WriteTransaction, id: string): Promise<TaskEntity> {
    const task = await tx.manager.getRepository(TaskEntity).findOneBy({ id });
    assertFound(task, 'Task', id);
    await this.projectService.lockEditable(tx, task.projectId);
    return task;
  }

  /** The parent task and the milestone must belong to the task's project, and a task may not be its own ancestor. */
  private async assertLinks(
    tx: WriteTransaction,
    projectId: string,
    links: { parentTaskId?: string | null; milestoneId?: string | null },
    taskId?: string,
  ): Promise<void> {
    if (links.parentTaskId) {
      const parent = await tx.manager.getRepository(TaskEntity).findOneBy({ id: links.parentTaskId });
      assertFound(parent, 'Task', links.parentTaskId);
      if (parent.projectId !== projectId) {
        throw new BadInputError('the parent task belongs to another project', { field: 'parentTaskId', parentTaskId: links.parentTaskId });
      }
      if (taskId && (await this.isAncestorOrSelf(tx, taskId, links.parentTaskId))) {
        throw new BadInputError('a task cannot be placed under itself or one of its subtasks', {
          field: 'parentTaskId',
          parentTaskId: links.parentTaskId,
        });
      }
    }
    if (links.milestoneId) {
      const milestone = await tx.manager.getRepository(MilestoneEntity).findOneBy({ id: links.milestoneId });
      assertFound(milestone, 'Milestone', links.milestoneId);
      if (milestone.projectId !== projectId) {
        throw new BadInputError('the milestone belongs to another project', { field: 'milestoneId', milestoneId: links.milestoneId });
      }
    }
  }

  private async isAncestorOrSelf(tx: WriteTransaction, taskId: string, candidateParentId: string): Promise<boolean> {
    const rows: unknown[] = await tx.manager.query(
      `WITH RECURSIVE ancestors (id, parent_task_id) AS (
         SELECT id, parent_task_id FROM psa.task WHERE id = $1
         UNION
         SELECT task.id, task.parent_task_id FROM psa.task task JOIN ancestors ON task.id = ancestors.parent_task_id
       ) SELECT 1 FROM ancestors WHERE id = $2 LIMIT 1`,
      [candidateParentId, taskId],
    );
    return rows.length > 0;
  }

  private childLoader(parentProperty: ChildOf) {
    return childListLoader<{ first: number }, TaskEntity>((parentIds, { first }) =>
      loadChildren(this.tasks, parentIds, { parentProperty, limitPerParent: first, orderBy: 'createdAt', direction: 'ASC' }),
    );
  }
}
