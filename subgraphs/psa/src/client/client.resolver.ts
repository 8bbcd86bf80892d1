import { Args, Int, Parent, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { ProjectEntity, ProjectStatus } from '../project/project.entity';
import { ProjectService } from '../project/project.service';
import { ClientExtension } from './client.type';

@Resolver(() => ClientExtension)
export class ClientExtensionResolver {
  constructor(private readonly projectService: ProjectService) {}

  @ResolveReference()
  resolveReference(reference: { id: string }): ClientExtension {
    return { id: reference.id };
  }

  @ResolveField(() => [ProjectEntity], { description: "The client's projects by code (first 20 by default, at most 100)." })
  projects(
    @Parent() client: ClientExtension,
    @Args('first', { type: () => Int, defaultValue: 20 }) first: number,
    @Args('statusIn', { type: () => [ProjectStatus], nullable: true }) statusIn: ProjectStatus[] | null,
  ): Promise<ProjectEntity[]> {
    return this.projectService.projectsOfClient(client.id, first, statusIn);
  }
}
