import { UseFilters, UseGuards } from '@nestjs/common';
import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { toConnection, type ConnectionShape } from '@concord/graphql';
import { GovernanceGraphQLErrorFilter } from '../common/graphql-error.filter';
import { PolicyGuard, RequireAbility } from '../policy/policy.guard';
import { AuditQueryService } from './audit-query.service';
import { AuditMarginAccessService } from './audit-margin-access.service';
import { AuditEventsArgs, AuditRangeArgs, AuditSearchArgs, MarginAccessArgs } from './dtos/audit-event.input';
import {
  AuditEventConnection,
  AuditEventOutput,
  AuditRangeVerificationOutput,
  AuditVerificationOutput,
  MarginAccessConnectionOutput,
} from './dtos/audit-event.output';

/** The auditors' API (read-only): CASL `read` on `AuditEvent`, which only `auditor` has in the default bundle. */
@Resolver(() => AuditEventOutput)
@UseGuards(PolicyGuard)
@RequireAbility('read', 'AuditEvent')
@UseFilters(GovernanceGraphQLErrorFilter)
export class AuditEventResolver {
  constructor(
    private readonly audit: AuditQueryService,
    private readonly marginAccess: AuditMarginAccessService,
  ) {}

  @Query(() => AuditEventConnection, { description: 'Ledger entries matching the filter, newest first unless order is ASC.' })
  async auditEvents(@Args() args: AuditEventsArgs): Promise<ConnectionShape<AuditEventOutput>> {
    return toConnection(await this.audit.page(args));
  }

  @Query(() => AuditEventConnection, {
    description:
      "The auditors' ledger search: the filter (actor, action, entity, field, service, role, outcome, free text) within a required time range (BAD_USER_INPUT without it).",
  })
  async auditSearch(@Args() args: AuditSearchArgs): Promise<ConnectionShape<AuditEventOutput>> {
    return toConnection(await this.audit.search(args));
  }

  @Query(() => AuditRangeVerificationOutput, {
    description: 'Recomputes the chain between two positions, or over the entries that occurred in a time range.',
  })
  auditRangeVerification(@Args() args: AuditRangeArgs): Promise<AuditRangeVerificationOutput> {
    return this.audit.rangeVerification(args);
  }

  @Query(() => MarginAccessConnectionOutput, {
    description:
      'Who read MARGIN-class fields, and who was denied them, by period, role and record: newest period first, page by page, ' +
      'with the totals of every group.',
  })
  async auditMarginAccess(@Args() args: MarginAccessArgs): Promise<MarginAccessConnectionOutput> {
    const { totals, ...page } = await this.marginAccess.report(args);
    return { ...toConnection(page), totals };
  }

  @Query(() => AuditEventOutput, { nullable: true })
  auditEvent(@Args('eventId', { type: () => ID }) eventId: string): Promise<AuditEventOutput | null> {
    return this.audit.byEventId(eventId);
  }

  @Query(() => AuditVerificationOutput, { description: 'Recomputes the whole chain and checks every checkpoint signature.' })
  auditVerification(): Promise<AuditVerificationOutput> {
    return this.audit.verification();
  }
}
