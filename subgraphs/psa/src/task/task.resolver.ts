import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { Connection, toConnection, type ConnectionShape } from '@concord/graphql';
import { MilestoneEntity } from '../milestone/milestone.entity';
import { MilestoneService } from '../milestone/milestone.service';
import { ProjectEntity } from '../project/project.entity';
import { ProjectService } from '../project/project.service';
import { CreateTaskInput, TasksArgs, UpdateTaskInput } from './dtos/task.input';
import { TaskEntity, TaskStatus } from './task.entity';
import { TaskService } from './task.service';

export const TaskConnection = Connection(TaskEntity, 'Task');

const FIRST = { type: () => Int, defaultValue: 100 } as const;

@Resolver(() => TaskEntity)
export class TaskResolver {
  constructor(
    private readonly taskService: TaskService,
    private readonly projectService: ProjectService,
    private readonly milestoneService: MilestoneService,
  ) {}

  @Query(() => TaskEntity, { nullable: true })
  task(@Args('id', { type: () => ID }) id: string): Promise<TaskEntity | null> {
    return this.taskService.findById(id);
  }

  @Query(() => TaskConnection)
  async tasks(@Args() args: TasksArgs): Promise<ConnectionShape<TaskEntity>> {
    return toConnection(await this.taskService.list(args));
  }

  @Mutation(() => TaskEntity, { description: "Creates a task and recomputes the project's percentComplete." })
  createTask(@Args('input') input: CreateTaskInput): Promise<TaskEntity> {
    return this.taskService.create(input);
  }

  @Mutation(() => TaskEntity)
  updateTask(@Args('id', { type: () => ID }) id: string, @Args('input') input: UpdateTaskInput): Promise<TaskEntity> {
    return this.taskService.update(id, input);
  }

  @Mutation(() => TaskEntity, { description: 'OPEN ⇄ IN_PROGRESS → DONE (reopen to IN_PROGRESS); CANCELLED from OPEN/IN_PROGRESS.' })
  transitionTask(@Args('id', { type: () => ID }) id: string, @Args('to', { type: () => TaskStatus }) to: TaskStatus): Promise<TaskEntity> {
    return this.taskService.transition(id, to);
  }

  @ResolveField(() => ProjectEntity)
  project(@Parent() task: TaskEntity): Promise<ProjectEntity> {
    return this.projectService.getById(task.projectId);
  }

  @ResolveField(() => TaskEntity, { nullable: true })
  parentTask(@Parent() task: TaskEntity): Promise<TaskEntity | null> | null {
    return task.parentTaskId ? this.taskService.findById(task.parentTaskId) : null;
  }

  @ResolveField(() => MilestoneEntity, { nullable: true })
  milestone(@Parent() task: TaskEntity): Promise<MilestoneEntity | null> | null {
    return task.milestoneId ? this.milestoneService.findById(task.milestoneId) : null;
  }

  @ResolveField(() => [TaskEntity], { description: 'Direct subtasks by creation time (first 100 by default).' })
  subtasks(@Parent() task: TaskEntity, @Args('first', FIRST) first: number): Promise<TaskEntity[]> {
    return this.taskService.subtasksOf(task.id, first);
  }

  @ResolveReference()
  resolveReference(reference: { id: string }): Promise<TaskEntity | null> {
    return this.taskService.findById(reference.id);
  }
}

/** `Project.tasks`, batched. */
@Resolver(() => ProjectEntity)
export class ProjectTasksResolver {
  constructor(private readonly taskService: TaskService) {}

  @ResolveField(() => [TaskEntity], {
    description: 'Every task of the project, subtasks included, by creation time (first 100 by default).',
  })
  tasks(@Parent() project: ProjectEntity, @Args('first', FIRST) first: number): Promise<TaskEntity[]> {
    return this.taskService.tasksOfProject(project.id, first);
  }
}

/** `Milestone.tasks`, batched. */
@Resolver(() => MilestoneEntity)
export class MilestoneTasksResolver {
  constructor(private readonly taskService: TaskService) {}

  @ResolveField(() => [TaskEntity], { description: 'Tasks that deliver this milestone, by creation time (first 100 by default).' })
  tasks(@Parent() milestone: MilestoneEntity, @Args('first', FIRST) first: number): Promise<TaskEntity[]> {
    return this.taskService.tasksOfMilestone(milestone.id, first);
  }
}
