import { Args, Int, Parent, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { Money, SubgraphPolicyService } from '@concord/graphql';
import { ProjectEntity, ProjectStatus } from '../project/project.entity';
import { ProjectService } from '../project/project.service';
import { ClientDeliveryService } from './client-delivery.service';
import { ClientExtension } from './client.type';

// Fields this subgraph adds to another subgraph's entity are nullable: if this subgraph is down, the gateway
// nulls just them instead of the whole parent object.
@Resolver(() => ClientExtension)
export class ClientExtensionResolver {
  constructor(
    private readonly projectService: ProjectService,
    private readonly clientDeliveryService: ClientDeliveryService,
    private readonly policy: SubgraphPolicyService,
  ) {}

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

  @ResolveField(() => Int, {
    nullable: true,
    description: "The client's ACTIVE projects whose health is RED (CRM Client.health requires it).",
  })
  async activeProjectsRed(@Parent() client: ClientExtension): Promise<number> {
    return (await this.clientDeliveryService.projectHealthOf(client.id)).red;
  }

  @ResolveField(() => Int, {
    nullable: true,
    description: "The client's ACTIVE projects whose health is AMBER (CRM Client.health requires it).",
  })
  async activeProjectsAmber(@Parent() client: ClientExtension): Promise<number> {
    return (await this.clientDeliveryService.projectHealthOf(client.id)).amber;
  }

  // Also fetched by the gateway for ERP's Client.marginPct (@requires) when the caller asked only for
  // Client.health: a caller who may not read cost gets null here, so no cost travels on their behalf.
  @ResolveField(() => [Money], {
    nullable: true,
    description:
      "Σ cost of the client's SUBMITTED/APPROVED/INVOICED time and incurred expenses, per project currency. Null where the caller may not see cost.",
  })
  costToDate(@Parent() client: ClientExtension): Promise<Money[]> | null {
    if (!this.policy.canRead('Client', { id: client.id }, 'costToDate')) {
      return null;
    }
    return this.clientDeliveryService.costToDateOf(client.id);
  }
}
