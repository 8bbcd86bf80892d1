import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { Connection, toConnection, type ConnectionShape } from '@concord/graphql';
import { ClientExtension } from '../client/client.type';
import { ContractReference } from '../references/contract.reference';
import { OpportunityReference } from '../references/opportunity.reference';
import { CreateProjectInput, ProjectsArgs, UpdateProjectInput } from './dtos/project.input';
import { ProjectEntity, ProjectStatus } from './project.entity';
import { ProjectService } from './project.service';

export const ProjectConnection = Connection(ProjectEntity, 'Project');

@Resolver(() => ProjectEntity)
export class ProjectResolver {
  constructor(private readonly projectService: ProjectService) {}

  @Query(() => ProjectEntity, { nullable: true })
  project(@Args('id', { type: () => ID }) id: string): Promise<ProjectEntity | null> {
    return this.projectService.findById(id);
  }

  @Query(() => ProjectConnection)
  async projects(@Args() args: ProjectsArgs): Promise<ConnectionShape<ProjectEntity>> {
    return toConnection(await this.projectService.list(args));
  }

  @Mutation(() => ProjectEntity)
  createProject(@Args('input') input: CreateProjectInput): Promise<ProjectEntity> {
    return this.projectService.create(input);
  }

  @Mutation(() => ProjectEntity)
  updateProject(@Args('id', { type: () => ID }) id: string, @Args('input') input: UpdateProjectInput): Promise<ProjectEntity> {
    return this.projectService.update(id, input);
  }

  @Mutation(() => ProjectEntity, { description: 'SETUP → ACTIVE ⇄ ON_HOLD → COMPLETED → CLOSED; CANCELLED from SETUP/ACTIVE/ON_HOLD.' })
  transitionProject(
    @Args('id', { type: () => ID }) id: string,
    @Args('to', { type: () => ProjectStatus }) to: ProjectStatus,
  ): Promise<ProjectEntity> {
    return this.projectService.transition(id, to);
  }

  @ResolveField(() => ClientExtension)
  client(@Parent() project: ProjectEntity): ClientExtension {
    return { id: project.clientId };
  }

  @ResolveField(() => ContractReference, { nullable: true })
  contract(@Parent() project: ProjectEntity): ContractReference | null {
    return project.contractId ? { id: project.contractId } : null;
  }

  @ResolveField(() => OpportunityReference, { nullable: true })
  opportunity(@Parent() project: ProjectEntity): OpportunityReference | null {
    return project.opportunityId ? { id: project.opportunityId } : null;
  }

  @ResolveReference()
  resolveReference(reference: { id: string }): Promise<ProjectEntity | null> {
    return this.projectService.findById(reference.id);
  }
}
