import { Injectable } from '@nestjs/common';
import type { Page } from '@concord/common';
import { currentContext } from '@concord/common';
import { currentCaller, currentTeams } from '../common/caller';
import type { RequestOwnershipChangeInput } from './dtos/ownership.input';
import type { OwnershipChangeOutput, OwnershipRuleOutput, PolicyVersionOutput } from './dtos/ownership.output';
import { OwnershipChangeStatus } from './ownership-change.entity';
import { OwnershipService, selfApproval, type OwnershipChange } from './ownership.service';
import { DeniedAttempts } from './denied-attempts';
import { PolicyBundleService, type PolicyBundleVersion } from './policy-bundle.service';
import { PolicyException, PolicyExceptionCode } from './policy.exception';

/** The change as its caller sees it: with why they may not approve it, if so. */
function changeOutputOf(change: OwnershipChange): OwnershipChangeOutput {
  const caller = currentContext()?.actor;
  const refusal = caller ? selfApproval(change, caller.sub, currentTeams()) : null;
  return {
    ...change,
    selfApprovalReason: change.status === OwnershipChangeStatus.PENDING && refusal ? refusal.message : null,
    requestedAt: new Date(change.requestedAt),
    decidedAt: change.decidedAt === null ? null : new Date(change.decidedAt),
  };
}

function versionOutputOf(version: PolicyBundleVersion): PolicyVersionOutput {
  return { ...version, createdAt: new Date(version.createdAt) };
}

/**
 * The data stewards' API (issue 4, "Data ownership") over the policy store: the ownership rules in force, the
 * change requests, the version history, and requests and decisions made as the calling steward (the actor the
 * ledger records is the caller's subject; self-approval stays refused by OwnershipService).
 */
@Injectable()
export class StewardService {
  constructor(
    private readonly policies: PolicyBundleService,
    private readonly ownership: OwnershipService,
    private readonly denied: DeniedAttempts,
  ) {}

  /** Every entity's rule in the bundle in force, by entity name; field exceptions by field name. */
  async rules(): Promise<OwnershipRuleOutput[]> {
    const { ownership } = await this.policies.current();
    return Object.keys(ownership)
      .sort()
      .map((entity) => {
        const rule = ownership[entity];
        return {
          entity,
          owner: rule.owner,
          fields: Object.keys(rule.fields ?? {})
            .sort()
            .map((field) => ({ field, owner: rule.fields![field] })),
          approvalRequired: rule.approvalRequired ?? false,
        };
      });
  }

  async changes(status: OwnershipChangeStatus | null | undefined): Promise<OwnershipChangeOutput[]> {
    return (await this.ownership.changes({ status: status ?? undefined })).map(changeOutputOf);
  }

  async versions(request: { first?: number | null; after?: string | null }): Promise<Page<PolicyVersionOutput>> {
    const page = await this.policies.versions(request);
    return { ...page, nodes: page.nodes.map(versionOutputOf) };
  }

  async request(input: RequestOwnershipChangeInput): Promise<OwnershipChangeOutput> {
    return changeOutputOf(
      await this.ownership.requestOwnershipChange({
        entity: input.entity,
        field: input.field,
        owner: input.owner,
        reason: input.reason,
        actor: currentCaller(),
        teams: currentTeams(),
        onBehalfOfTeam: input.onBehalfOfTeam,
      }),
    );
  }

  async approve(id: string): Promise<OwnershipChangeOutput> {
    try {
      return changeOutputOf(await this.ownership.approve(id, currentCaller(), currentTeams()));
    } catch (error) {
      if (error instanceof PolicyException && error.code === PolicyExceptionCode.SELF_APPROVAL) {
        await this.denied.record({
          entity: 'OwnershipChange',
          entityId: id,
          operation: 'approveOwnershipChange',
          code: error.code,
          message: error.message,
        });
      }
      throw error;
    }
  }

  async reject(id: string, reason: string): Promise<OwnershipChangeOutput> {
    return changeOutputOf(await this.ownership.reject(id, currentCaller(), reason));
  }
}
