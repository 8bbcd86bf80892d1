import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { Connection, toConnection, type ConnectionShape } from '@concord/graphql';
import { ResourceEntity } from '../resource/resource.entity';
import { ResourceService } from '../resource/resource.service';
import { UtilizationPeriodEntity } from './utilization-period.entity';
import { UtilizationService } from './utilization.service';
import { RefreshUtilizationArgs, ResourceUtilizationArgs, UtilizationPeriodsArgs } from './dtos/utilization.input';

export const UtilizationPeriodConnection = Connection(UtilizationPeriodEntity, 'UtilizationPeriod');

@Resolver(() => UtilizationPeriodEntity)
export class UtilizationResolver {
  constructor(
    private readonly utilizationService: UtilizationService,
    private readonly resourceService: ResourceService,
  ) {}

  @Query(() => UtilizationPeriodEntity, { nullable: true })
  utilizationPeriod(@Args('id', { type: () => ID }) id: string): Promise<UtilizationPeriodEntity | null> {
    return this.utilizationService.findById(id);
  }

  @Query(() => UtilizationPeriodConnection)
  async utilizationPeriods(@Args() args: UtilizationPeriodsArgs): Promise<ConnectionShape<UtilizationPeriodEntity>> {
    return toConnection(await this.utilizationService.list(args));
  }

  @Mutation(() => [UtilizationPeriodEntity], {
    description: 'Recomputes (upserts) the weekly utilization of a resource from its approved time and capacity.',
  })
  refreshUtilization(@Args() { resourceId, fromWeek, toWeek }: RefreshUtilizationArgs): Promise<UtilizationPeriodEntity[]> {
    return this.utilizationService.refresh(resourceId, fromWeek, toWeek);
  }

  @ResolveField(() => ResourceEntity, { nullable: true })
  resource(@Parent() period: UtilizationPeriodEntity): Promise<ResourceEntity | null> {
    return this.resourceService.findById(period.resourceId);
  }

  @ResolveReference()
  resolveReference(reference: { id: string }): Promise<UtilizationPeriodEntity | null> {
    return this.utilizationService.findById(reference.id);
  }
}

/** `Resource.utilization(from, to)`, batched over every resource of the response. */
@Resolver(() => ResourceEntity)
export class ResourceUtilizationResolver {
  constructor(private readonly utilizationService: UtilizationService) {}

  @ResolveField(() => [UtilizationPeriodEntity], { description: 'Computed weeks (see refreshUtilization) in the range, oldest first.' })
  utilization(@Parent() resource: ResourceEntity, @Args() { from, to }: ResourceUtilizationArgs): Promise<UtilizationPeriodEntity[]> {
    return this.utilizationService.ofResource(resource.id, from, to);
  }
}
