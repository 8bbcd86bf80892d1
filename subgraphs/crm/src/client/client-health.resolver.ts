import { Directive, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { ClientEntity } from './client.entity';
import { ClientHealthService } from './client-health.service';
import { ClientHealth } from './dtos/client-health.output';

/** Health is read from fields PSA and ERP provide on Client; the gateway fetches them first (@requires). */
const REQUIRES_HEALTH_INPUTS = '@requires(fields: "activeProjectsRed activeProjectsAmber oldestOverdueDays marginPct")';

@Resolver(() => ClientEntity)
export class ClientHealthResolver {
  constructor(private readonly clientHealthService: ClientHealthService) {}

  @ResolveField(() => ClientHealth, { nullable: true, description: 'GREEN, AMBER or RED with the reasons (DOMAIN.md §2 client health).' })
  @Directive(REQUIRES_HEALTH_INPUTS)
  health(@Parent() client: ClientEntity): ClientHealth {
    return this.clientHealthService.healthOf(client);
  }
}
