import { Parent, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { Money, SubgraphPolicyService } from '@concord/graphql';
import { LegalEntityCostService } from './legal-entity-cost.service';
import { LegalEntityExtension } from './legal-entity.type';

// Fields this subgraph adds to another subgraph's entity are nullable: if this subgraph is down, the gateway
// nulls just them instead of the whole parent object.
@Resolver(() => LegalEntityExtension)
export class LegalEntityExtensionResolver {
  constructor(
    private readonly legalEntityCostService: LegalEntityCostService,
    private readonly policy: SubgraphPolicyService,
  ) {}

  @ResolveReference()
  resolveReference(reference: { id: string }): LegalEntityExtension {
    return { id: reference.id };
  }

  // Also fetched by the gateway for ERP's LegalEntity.margin and marginPct (@requires) when the caller asked only
  // for them: a caller who may not read cost gets null here, so no cost travels on their behalf.
  @ResolveField(() => [Money], {
    nullable: true,
    description:
      'Σ cost of the SUBMITTED/APPROVED/INVOICED time and incurred expenses of the projects this legal entity delivers, per project currency. Null where the caller may not see cost.',
  })
  costToDate(@Parent() legalEntity: LegalEntityExtension): Promise<Money[]> | null {
    if (!this.policy.canRead('LegalEntity', { id: legalEntity.id }, 'costToDate')) {
      return null;
    }
    return this.legalEntityCostService.costToDateOf(legalEntity.id);
  }
}
