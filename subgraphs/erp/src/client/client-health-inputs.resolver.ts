import { Directive, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Money, SubgraphPolicyService } from '@concord/graphql';
import { ClientHealthInputsService } from './client-health-inputs.service';
import { ClientExtension } from './client.type';

/** The ERP's inputs of the CRM's Client.health (which `@requires` them), readable on their own too, and the client's margin. */
// Fields this subgraph adds to another subgraph's entity are nullable: if this subgraph is down, the gateway
// nulls just them instead of the whole parent object.
@Resolver(() => ClientExtension)
export class ClientHealthInputsResolver {
  constructor(
    private readonly clientHealthInputsService: ClientHealthInputsService,
    private readonly policy: SubgraphPolicyService,
  ) {}

  @ResolveField(() => Int, {
    nullable: true,
    description: 'Days the oldest POSTED invoice with an amount due is past its due date (today); 0 when nothing is overdue.',
  })
  oldestOverdueDays(@Parent() client: ClientExtension): Promise<number> {
    return this.clientHealthInputsService.oldestOverdueDays(client.id);
  }

  @ResolveField(() => [Money], {
    nullable: true,
    description:
      "revenueRecognized of the client's contracts − PSA's costToDate of its projects, per currency (never converted). Null with FORBIDDEN_FIELD where the caller may not see margin.",
  })
  @Directive('@requires(fields: "costToDate { amount currency }")')
  margin(@Parent() client: ClientExtension): Promise<Money[] | null> {
    this.policy.assertCanRead('Client', { id: client.id }, 'margin');
    return this.clientHealthInputsService.margin(client.id, client.costToDate);
  }

  // Also fetched by the gateway for the CRM's Client.health (@requires) when the caller asked only for health: a
  // caller who may not read margin gets null here, so no margin travels on their behalf.
  @ResolveField(() => String, {
    nullable: true,
    description:
      "(revenueRecognized − PSA's costToDate) / revenueRecognized × 100 over the client's contracts, 2 decimals, in its latest contract's currency; null without revenue or where the caller may not see margin.",
  })
  @Directive('@requires(fields: "costToDate { amount currency }")')
  marginPct(@Parent() client: ClientExtension): Promise<string | null> | null {
    if (!this.policy.canRead('Client', { id: client.id }, 'marginPct')) {
      return null;
    }
    return this.clientHealthInputsService.marginPct(client.id, client.costToDate);
  }
}
