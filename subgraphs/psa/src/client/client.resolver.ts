import { Args, Int, Parent, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { ProjectEntity, ProjectStatus } from '../project/project.entity';
import { ProjectService } from '../project/project.service';
import { ClientExtension } from './client.type';

// Fields this subgraph adds to another subgraph's entity are nullable: if this subgraph is down, the gateway
// nulls just them instead of the whole parent object.
@Resolver(() => ClientExtension)
export class ClientExtensionResolver {
  constructor(private readonly projectService: ProjectService) {}

  @ResolveReference()
  resolveReference(reference: { id: string }): ClientExtension {
    return { id: reference.id };
  }

  @ResolveField(() => [ProjectEntity], { nullable: true, description: "The client's projects by code (first 20 by default, at most 100)." })
  projects(
    @Parent() client: ClientExtension,
    @Args('first', { type: () => Int, defaultValue: 20 }) first: number,
    @Args('statusIn', { type: () => [ProjectStatus], nullable: true }) statusIn: ProjectStatus[] | null,
  ): Promise<ProjectEntity[]> {
    return this.projectService.projectsOfClient(client.id, first, statusIn);
  }
}
