import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { Connection, toConnection, type ConnectionShape } from '@concord/graphql';
import { ProjectEntity } from '../project/project.entity';
import { ProjectService } from '../project/project.service';
import { ResourceRequestEntity } from '../resource-request/resource-request.entity';
import { ResourceRequestService } from '../resource-request/resource-request.service';
import { ResourceEntity } from '../resource/resource.entity';
import { ResourceService } from '../resource/resource.service';
import { AssignmentEntity, AssignmentStatus } from './assignment.entity';
import { AssignmentService } from './assignment.service';
import { AssignmentsArgs, CreateAssignmentInput, NestedAssignmentsArgs, UpdateAssignmentInput } from './dtos/assignment.input';

export const AssignmentConnection = Connection(AssignmentEntity, 'Assignment');

@Resolver(() => AssignmentEntity)
export class AssignmentResolver {
  constructor(
    private readonly assignmentService: AssignmentService,
    private readonly projectService: ProjectService,
    private readonly resourceService: ResourceService,
    private readonly resourceRequestService: ResourceRequestService,
  ) {}

  @Query(() => AssignmentEntity, { nullable: true })
  assignment(@Args('id', { type: () => ID }) id: string): Promise<AssignmentEntity | null> {
    return this.assignmentService.findById(id);
  }

  @Query(() => AssignmentConnection)
  async assignments(@Args() args: AssignmentsArgs): Promise<ConnectionShape<AssignmentEntity>> {
    return toConnection(await this.assignmentService.list(args));
  }

  @Mutation(() => AssignmentEntity, {
    description: 'Books a resource; with resourceRequestId the request becomes FULFILLED in the same transaction.',
  })
  createAssignment(@Args('input') input: CreateAssignmentInput): Promise<AssignmentEntity> {
    return this.assignmentService.create(input);
  }

  @Mutation(() => AssignmentEntity)
  updateAssignment(@Args('id', { type: () => ID }) id: string, @Args('input') input: UpdateAssignmentInput): Promise<AssignmentEntity> {
    return this.assignmentService.update(id, input);
  }

  @Mutation(() => AssignmentEntity, {
    description: 'SOFT → HARD → COMPLETED; CANCELLED from SOFT or HARD. Anything else is INVALID_TRANSITION.',
  })
  transitionAssignment(
    @Args('id', { type: () => ID }) id: string,
    @Args('to', { type: () => AssignmentStatus }) to: AssignmentStatus,
  ): Promise<AssignmentEntity> {
    return this.assignmentService.transition(id, to);
  }

  @ResolveField(() => ProjectEntity, { nullable: true })
  project(@Parent() assignment: AssignmentEntity): Promise<ProjectEntity | null> {
    return this.projectService.findById(assignment.projectId);
  }

  @ResolveField(() => ResourceEntity, { nullable: true })
  resource(@Parent() assignment: AssignmentEntity): Promise<ResourceEntity | null> {
    return this.resourceService.findById(assignment.resourceId);
  }

  @ResolveField(() => ResourceRequestEntity, { nullable: true })
  resourceRequest(@Parent() assignment: AssignmentEntity): Promise<ResourceRequestEntity | null> {
    return assignment.resourceRequestId ? this.resourceRequestService.findById(assignment.resourceRequestId) : Promise.resolve(null);
  }

  @ResolveReference()
  resolveReference(reference: { id: string }): Promise<AssignmentEntity | null> {
    return this.assignmentService.findById(reference.id);
  }
}

/** `Project.assignments`, batched over every project of the response. */
@Resolver(() => ProjectEntity)
export class ProjectAssignmentsResolver {
  constructor(private readonly assignmentService: AssignmentService) {}

  @ResolveField(() => [AssignmentEntity], { description: 'Assignments of the project, by start date.' })
  assignments(@Parent() project: ProjectEntity, @Args() { first, statusIn }: NestedAssignmentsArgs): Promise<AssignmentEntity[]> {
    return this.assignmentService.ofProject(project.id, first, statusIn);
  }
}

/** `Resource.assignments`, batched over every resource of the response. */
@Resolver(() => ResourceEntity)
export class ResourceAssignmentsResolver {
  constructor(private readonly assignmentService: AssignmentService) {}

  @ResolveField(() => [AssignmentEntity], { description: 'Assignments of the resource, by start date.' })
  assignments(@Parent() resource: ResourceEntity, @Args() { first, statusIn }: NestedAssignmentsArgs): Promise<AssignmentEntity[]> {
    return this.assignmentService.ofResource(resource.id, first, statusIn);
  }
}

/** `ResourceRequest.assignment`: the assignment that fulfilled the request. */
@Resolver(() => ResourceRequestEntity)
export class ResourceRequestAssignmentResolver {
  constructor(private readonly assignmentService: AssignmentService) {}

  @ResolveField(() => AssignmentEntity, { nullable: true })
  assignment(@Parent() request: ResourceRequestEntity): Promise<AssignmentEntity | null> {
    return request.assignmentId ? this.assignmentService.findById(request.assignmentId) : Promise.resolve(null);
  }
}
