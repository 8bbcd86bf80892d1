import { Args, ID, Mutation, Query, Resolver, ResolveReference } from '@nestjs/graphql';
import { Connection, toConnection, type ConnectionShape } from '@concord/graphql';
import { ResourceEntity } from './resource.entity';
import { ResourceService } from './resource.service';
import { CreateResourceInput, ResourcesArgs, UpdateResourceInput } from './dtos/resource.input';

export const ResourceConnection = Connection(ResourceEntity, 'Resource');

@Resolver(() => ResourceEntity)
export class ResourceResolver {
  constructor(private readonly resourceService: ResourceService) {}

  @Query(() => ResourceEntity, { nullable: true })
  resource(@Args('id', { type: () => ID }) id: string): Promise<ResourceEntity | null> {
    return this.resourceService.findById(id);
  }

  @Query(() => ResourceConnection)
  async resources(@Args() args: ResourcesArgs): Promise<ConnectionShape<ResourceEntity>> {
    return toConnection(await this.resourceService.list(args));
  }

  @Mutation(() => ResourceEntity)
  createResource(@Args('input') input: CreateResourceInput): Promise<ResourceEntity> {
    return this.resourceService.create(input);
  }

  @Mutation(() => ResourceEntity)
  updateResource(@Args('id', { type: () => ID }) id: string, @Args('input') input: UpdateResourceInput): Promise<ResourceEntity> {
    return this.resourceService.update(id, input);
  }

  @ResolveReference()
  resolveReference(reference: { id: string }): Promise<ResourceEntity | null> {
    return this.resourceService.findById(reference.id);
  }
}
