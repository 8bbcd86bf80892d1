import { Inject, Injectable } from '@nestjs/common';
import { SubgraphPolicyService } from '@concord/graphql';
import { clientHealthOf } from './client-health';
import { CLIENT_HEALTH_OPTIONS, type ClientHealthOptions } from './client-health.options';
import type { ClientEntity } from './client.entity';
import type { ClientHealth } from './dtos/client-health.output';

@Injectable()
export class ClientHealthService {
  constructor(
    @Inject(CLIENT_HEALTH_OPTIONS) private readonly options: ClientHealthOptions,
    private readonly policy: SubgraphPolicyService,
  ) {}

  /**
   * The health of a client from the inputs the gateway passed in. Margin counts only for callers who may read
   * Client.marginPct: for the others the status is decided without it (marginConsidered false), so neither a
   * reason nor a status computed from margin tells them anything about it.
   */
  healthOf(client: ClientEntity): ClientHealth {
    const mayReadMargin = this.policy.canRead('Client', { id: client.id }, 'marginPct');
    return clientHealthOf(
      {
        activeProjectsRed: client.activeProjectsRed ?? null,
        activeProjectsAmber: client.activeProjectsAmber ?? null,
        oldestOverdueDays: client.oldestOverdueDays ?? null,
        marginPct: mayReadMargin ? (client.marginPct ?? null) : null,
      },
      this.options,
    );
  }
}
