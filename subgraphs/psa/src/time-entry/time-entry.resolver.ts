import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { Connection, toConnection, type ConnectionShape } from '@concord/graphql';
import { AssignmentEntity } from '../assignment/assignment.entity';
import { AssignmentService } from '../assignment/assignment.service';
import { ProjectEntity } from '../project/project.entity';
import { ProjectService } from '../project/project.service';
import { InvoiceReference } from '../references/invoice.reference';
import { ResourceEntity } from '../resource/resource.entity';
import { ResourceService } from '../resource/resource.service';
import { TaskEntity } from '../task/task.entity';
import { TaskService } from '../task/task.service';
import { TimeEntryEntity, TimeEntryStatus } from './time-entry.entity';
import { TimeEntryService } from './time-entry.service';
import {
  CreateTimeEntryInput,
  MarkTimeEntriesInvoicedArgs,
  ProjectTimeEntriesArgs,
  ResourceTimeEntriesArgs,
  TimeEntriesArgs,
  UpdateTimeEntryInput,
} from './dtos/time-entry.input';

export const TimeEntryConnection = Connection(TimeEntryEntity, 'TimeEntry');

@Resolver(() => TimeEntryEntity)
export class TimeEntryResolver {
  constructor(
    private readonly timeEntryService: TimeEntryService,
    private readonly projectService: ProjectService,
    private readonly taskService: TaskService,
    private readonly resourceService: ResourceService,
    private readonly assignmentService: AssignmentService,
  ) {}

  @Query(() => TimeEntryEntity, { nullable: true })
  timeEntry(@Args('id', { type: () => ID }) id: string): Promise<TimeEntryEntity | null> {
    return this.timeEntryService.findById(id);
  }

  @Query(() => TimeEntryConnection)
  async timeEntries(@Args() args: TimeEntriesArgs): Promise<ConnectionShape<TimeEntryEntity>> {
    return toConnection(await this.timeEntryService.list(args));
  }

  @Mutation(() => TimeEntryEntity, { description: 'Logs hours on an assignment as a DRAFT entry.' })
  createTimeEntry(@Args('input') input: CreateTimeEntryInput): Promise<TimeEntryEntity> {
    return this.timeEntryService.create(input);
  }

  @Mutation(() => TimeEntryEntity)
  updateTimeEntry(@Args('id', { type: () => ID }) id: string, @Args('input') input: UpdateTimeEntryInput): Promise<TimeEntryEntity> {
    return this.timeEntryService.update(id, input);
  }

  @Mutation(() => TimeEntryEntity, {
    description:
      'DRAFT → SUBMITTED → APPROVED; SUBMITTED → REJECTED → DRAFT; CANCELLED unless INVOICED. INVOICED is set by markTimeEntriesInvoiced only.',
  })
  transitionTimeEntry(
    @Args('id', { type: () => ID }) id: string,
    @Args('to', { type: () => TimeEntryStatus }) to: TimeEntryStatus,
  ): Promise<TimeEntryEntity> {
    return this.timeEntryService.transition(id, to);
  }

  @Mutation(() => [TimeEntryEntity], {
    description: 'Invoice posted: APPROVED billable entries → INVOICED on the invoice, all or nothing; retry-safe.',
  })
  markTimeEntriesInvoiced(@Args() { ids, invoiceId, invoiceLineId }: MarkTimeEntriesInvoicedArgs): Promise<TimeEntryEntity[]> {
    return this.timeEntryService.markInvoiced(ids, invoiceId, invoiceLineId);
  }

  @Mutation(() => [TimeEntryEntity], { description: 'Invoice cancelled: its entries go back to APPROVED and are unlinked.' })
  unmarkTimeEntriesInvoiced(@Args('invoiceId', { type: () => ID }) invoiceId: string): Promise<TimeEntryEntity[]> {
    return this.timeEntryService.unmarkInvoiced(invoiceId);
  }

  @ResolveField(() => ProjectEntity, { nullable: true })
  project(@Parent() entry: TimeEntryEntity): Promise<ProjectEntity | null> {
    return this.projectService.findById(entry.projectId);
  }

  @ResolveField(() => TaskEntity, { nullable: true })
  task(@Parent() entry: TimeEntryEntity): Promise<TaskEntity | null> {
    return entry.taskId ? this.taskService.findById(entry.taskId) : Promise.resolve(null);
  }

  @ResolveField(() => ResourceEntity, { nullable: true })
  resource(@Parent() entry: TimeEntryEntity): Promise<ResourceEntity | null> {
    return this.resourceService.findById(entry.resourceId);
  }

  @ResolveField(() => AssignmentEntity, { nullable: true })
  assignment(@Parent() entry: TimeEntryEntity): Promise<AssignmentEntity | null> {
    return this.assignmentService.findById(entry.assignmentId);
  }

  @ResolveField(() => InvoiceReference, { nullable: true, description: 'The ERP invoice that billed the entry.' })
  invoice(@Parent() entry: TimeEntryEntity): InvoiceReference | null {
    return entry.invoiceId ? { id: entry.invoiceId } : null;
  }

  @ResolveReference()
  resolveReference(reference: { id: string }): Promise<TimeEntryEntity | null> {
    return this.timeEntryService.findById(reference.id);
  }
}

/** `Project.timeEntries`, batched over every project of the response. */
@Resolver(() => ProjectEntity)
export class ProjectTimeEntriesResolver {
  constructor(private readonly timeEntryService: TimeEntryService) {}

  @ResolveField(() => [TimeEntryEntity], { description: 'The latest time entries of the project (by date, newest first).' })
  timeEntries(@Parent() project: ProjectEntity, @Args() { first, statusIn }: ProjectTimeEntriesArgs): Promise<TimeEntryEntity[]> {
    return this.timeEntryService.ofProject(project.id, first, statusIn);
  }
}

/** `Resource.timeEntries`, batched over every resource of the response. */
@Resolver(() => ResourceEntity)
export class ResourceTimeEntriesResolver {
  constructor(private readonly timeEntryService: TimeEntryService) {}

  @ResolveField(() => [TimeEntryEntity], { description: 'The latest time entries of the resource in a date range (newest first).' })
  timeEntries(@Parent() resource: ResourceEntity, @Args() { first, from, to }: ResourceTimeEntriesArgs): Promise<TimeEntryEntity[]> {
    return this.timeEntryService.ofResource(resource.id, first, from, to);
  }
}
