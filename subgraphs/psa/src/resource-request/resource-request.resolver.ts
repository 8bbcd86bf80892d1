import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { Connection, toConnection, type ConnectionShape } from '@concord/graphql';
import { ProjectEntity } from '../project/project.entity';
import { ProjectService } from '../project/project.service';
import { ResourceRequestEntity } from './resource-request.entity';
import { ResourceRequestService } from './resource-request.service';
import { CreateResourceRequestInput, ResourceRequestsArgs, UpdateResourceRequestInput } from './dtos/resource-request.input';

export const ResourceRequestConnection = Connection(ResourceRequestEntity, 'ResourceRequest');

@Resolver(() => ResourceRequestEntity)
export class ResourceRequestResolver {
  constructor(
    private readonly resourceRequestService: ResourceRequestService,
    private readonly projectService: ProjectService,
  ) {}

  @Query(() => ResourceRequestEntity, { nullable: true })
  resourceRequest(@Args('id', { type: () => ID }) id: string): Promise<ResourceRequestEntity | null> {
    return this.resourceRequestService.findById(id);
  }

  @Query(() => ResourceRequestConnection)
  async resourceRequests(@Args() args: ResourceRequestsArgs): Promise<ConnectionShape<ResourceRequestEntity>> {
    return toConnection(await this.resourceRequestService.list(args));
  }

  @Mutation(() => ResourceRequestEntity)
  createResourceRequest(@Args('input') input: CreateResourceRequestInput): Promise<ResourceRequestEntity> {
    return this.resourceRequestService.create(input);
  }

  @Mutation(() => ResourceRequestEntity)
  updateResourceRequest(
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateResourceRequestInput,
  ): Promise<ResourceRequestEntity> {
    return this.resourceRequestService.update(id, input);
  }

  @Mutation(() => ResourceRequestEntity, {
    description: 'OPEN → CANCELLED. A request is fulfilled by createAssignment(input: { resourceRequestId }).',
  })
  cancelResourceRequest(@Args('id', { type: () => ID }) id: string): Promise<ResourceRequestEntity> {
    return this.resourceRequestService.cancel(id);
  }

  @ResolveField(() => ProjectEntity, { nullable: true })
  project(@Parent() request: ResourceRequestEntity): Promise<ProjectEntity | null> {
    return this.projectService.findById(request.projectId);
  }

  @ResolveReference()
  resolveReference(reference: { id: string }): Promise<ResourceRequestEntity | null> {
    return this.resourceRequestService.findById(reference.id);
  }
}

/** `Project.resourceRequests`: the staffing needs of a project, batched over every project of the response. */
@Resolver(() => ProjectEntity)
export class ProjectResourceRequestsResolver {
  constructor(private readonly resourceRequestService: ResourceRequestService) {}

  @ResolveField(() => [ResourceRequestEntity], { description: 'Staffing needs of the project, by start date.' })
  resourceRequests(@Parent() project: ProjectEntity): Promise<ResourceRequestEntity[]> {
    return this.resourceRequestService.ofProject(project.id);
  }
}
