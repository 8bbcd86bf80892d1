import { Directive, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Money, SubgraphPolicyService } from '@concord/graphql';
import { LegalEntityMarginService } from './legal-entity-margin.service';
import { LegalEntityEntity } from './legal-entity.entity';

const REQUIRES_COST = '@requires(fields: "costToDate { amount currency }")';

/** Revenue and gross margin of a legal entity; margin against PSA's cost of its projects (@requires costToDate). */
@Resolver(() => LegalEntityEntity)
export class LegalEntityMarginResolver {
  constructor(
    private readonly legalEntityMarginService: LegalEntityMarginService,
    private readonly policy: SubgraphPolicyService,
  ) {}

  @ResolveField(() => [Money], {
    nullable: true,
    description: 'Revenue recognised on the contracts of this legal entity (sum of their revenue entries), per currency.',
  })
  revenueRecognized(@Parent() legalEntity: LegalEntityEntity): Promise<Money[]> {
    return this.legalEntityMarginService.revenueRecognized(legalEntity.id);
  }

  @ResolveField(() => [Money], {
    nullable: true,
    description:
      "revenueRecognized − PSA's costToDate of the projects this entity delivers, per currency (never converted). Null with FORBIDDEN_FIELD where the caller may not see margin.",
  })
  @Directive(REQUIRES_COST)
  margin(@Parent() legalEntity: LegalEntityEntity): Promise<Money[] | null> {
    this.policy.assertCanRead('LegalEntity', { id: legalEntity.id }, 'margin');
    return this.legalEntityMarginService.margin(legalEntity.id, legalEntity.costToDate);
  }

  @ResolveField(() => String, {
    nullable: true,
    description:
      '(revenueRecognized − costToDate) / revenueRecognized × 100, 2 decimals, in the functional currency (others converted at today’s FxRate); null without revenue. Null with FORBIDDEN_FIELD where the caller may not see margin.',
  })
  @Directive(REQUIRES_COST)
  marginPct(@Parent() legalEntity: LegalEntityEntity): Promise<string | null> {
    this.policy.assertCanRead('LegalEntity', { id: legalEntity.id }, 'marginPct');
    return this.legalEntityMarginService.marginPct(legalEntity, legalEntity.costToDate);
  }
}
