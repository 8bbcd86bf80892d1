import { UseFilters, UseGuards } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { toConnection, type ConnectionShape } from '@concord/graphql';
import { GovernanceGraphQLErrorFilter } from '../common/graphql-error.filter';
import { OwnershipChangesArgs, OwnershipImpactArgs, PolicyVersionsArgs, RequestOwnershipChangeInput } from './dtos/ownership.input';
import {
  OwnershipChangeOutput,
  OwnershipImpactOutput,
  OwnershipRuleOutput,
  PolicyVersionConnection,
  PolicyVersionOutput,
} from './dtos/ownership.output';
import { OwnershipImpactService } from './ownership-impact.service';
import { PolicyGuard, RequireAbility } from './policy.guard';
import { StewardService } from './steward.service';

/** The data stewards' API: CASL `manage` on `OwnershipRule`, which only `data_steward` has in the default bundle. */
@Resolver(() => OwnershipRuleOutput)
@UseGuards(PolicyGuard)
@RequireAbility('manage', 'OwnershipRule')
@UseFilters(GovernanceGraphQLErrorFilter)
export class StewardResolver {
  constructor(
    private readonly steward: StewardService,
    private readonly impact: OwnershipImpactService,
  ) {}

  @Query(() => [OwnershipRuleOutput], { description: 'The systems of record in the policy bundle in force.' })
  ownershipRules(): Promise<OwnershipRuleOutput[]> {
    return this.steward.rules();
  }

  @Query(() => [OwnershipChangeOutput], { description: 'Ownership change requests, latest first.' })
  ownershipChanges(@Args() args: OwnershipChangesArgs): Promise<OwnershipChangeOutput[]> {
    return this.steward.changes(args.status);
  }

  @Query(() => OwnershipImpactOutput, {
    description:
      'Impact preview of an ownership change (a request by changeId, or entity + field + owner): the ledger’s writes of the last `days` days the new rule would have refused, counted, with the latest as samples.',
  })
  ownershipImpact(@Args() args: OwnershipImpactArgs): Promise<OwnershipImpactOutput> {
    return this.impact.preview(args);
  }

  @Query(() => PolicyVersionConnection, { description: 'Every published version of the policy bundle, latest first.' })
  async policyVersions(@Args() args: PolicyVersionsArgs): Promise<ConnectionShape<PolicyVersionOutput>> {
    return toConnection(await this.steward.versions(args));
  }

  @Mutation(() => OwnershipChangeOutput, {
    description: 'Applied at once (a new bundle version), or PENDING until a second steward approves where the rule requires it.',
  })
  requestOwnershipChange(@Args('input') input: RequestOwnershipChangeInput): Promise<OwnershipChangeOutput> {
    return this.steward.request(input);
  }

  @Mutation(() => OwnershipChangeOutput, {
    description:
      'Applies a pending change; refused (FORBIDDEN, reason SELF_APPROVAL) to its requester and through a team: to members of the team it was asked for, to a team identity of the requester’s, to members of a requesting team identity.',
  })
  approveOwnershipChange(@Args('id', { type: () => ID }) id: string): Promise<OwnershipChangeOutput> {
    return this.steward.approve(id);
  }

  @Mutation(() => OwnershipChangeOutput, { description: 'Closes a pending change without applying it; a reason is required.' })
  rejectOwnershipChange(@Args('id', { type: () => ID }) id: string, @Args('reason') reason: string): Promise<OwnershipChangeOutput> {
    return this.steward.reject(id, reason);
  }
}
