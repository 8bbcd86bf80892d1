import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { Connection, toConnection, type ConnectionShape } from '@concord/graphql';
import { ProjectEntity } from '../project/project.entity';
import { ProjectService } from '../project/project.service';
import { CreateMilestoneInput, MilestonesArgs, UpdateMilestoneInput } from './dtos/milestone.input';
import { MilestoneEntity, MilestoneStatus } from './milestone.entity';
import { MilestoneService } from './milestone.service';

export const MilestoneConnection = Connection(MilestoneEntity, 'Milestone');

@Resolver(() => MilestoneEntity)
export class MilestoneResolver {
  constructor(
    private readonly milestoneService: MilestoneService,
    private readonly projectService: ProjectService,
  ) {}

  @Query(() => MilestoneEntity, { nullable: true })
  milestone(@Args('id', { type: () => ID }) id: string): Promise<MilestoneEntity | null> {
    return this.milestoneService.findById(id);
  }

  @Query(() => MilestoneConnection)
  async milestones(@Args() args: MilestonesArgs): Promise<ConnectionShape<MilestoneEntity>> {
    return toConnection(await this.milestoneService.list(args));
  }

  @Mutation(() => MilestoneEntity)
  createMilestone(@Args('input') input: CreateMilestoneInput): Promise<MilestoneEntity> {
    return this.milestoneService.create(input);
  }

  @Mutation(() => MilestoneEntity)
  updateMilestone(@Args('id', { type: () => ID }) id: string, @Args('input') input: UpdateMilestoneInput): Promise<MilestoneEntity> {
    return this.milestoneService.update(id, input);
  }

  @Mutation(() => MilestoneEntity, {
    description: 'PLANNED → REACHED → ACCEPTED; CANCELLED from PLANNED/REACHED. Without sign-off, REACHED accepts at once.',
  })
  transitionMilestone(
    @Args('id', { type: () => ID }) id: string,
    @Args('to', { type: () => MilestoneStatus }) to: MilestoneStatus,
  ): Promise<MilestoneEntity> {
    return this.milestoneService.transition(id, to);
  }

  @ResolveField(() => ProjectEntity)
  project(@Parent() milestone: MilestoneEntity): Promise<ProjectEntity> {
    return this.projectService.getById(milestone.projectId);
  }

  @ResolveReference()
  resolveReference(reference: { id: string }): Promise<MilestoneEntity | null> {
    return this.milestoneService.findById(reference.id);
  }
}

/** `Project.milestones`, batched. */
@Resolver(() => ProjectEntity)
export class ProjectMilestonesResolver {
  constructor(private readonly milestoneService: MilestoneService) {}

  @ResolveField(() => [MilestoneEntity], { description: 'Milestones by target date (first 100 by default).' })
  milestones(
    @Parent() project: ProjectEntity,
    @Args('first', { type: () => Int, defaultValue: 100 }) first: number,
  ): Promise<MilestoneEntity[]> {
    return this.milestoneService.milestonesOfProject(project.id, first);
  }
}
