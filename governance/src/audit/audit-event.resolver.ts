import { UseFilters, UseGuards } from '@nestjs/common';
import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { toConnection, type ConnectionShape } from '@concord/graphql';
import { GovernanceGraphQLErrorFilter } from '../common/graphql-error.filter';
import { PolicyGuard, RequireAbility } from '../policy/policy.guard';
import { AuditQueryService } from './audit-query.service';
import { AuditEventsArgs } from './dtos/audit-event.input';
import { AuditEventConnection, AuditEventOutput, AuditVerificationOutput } from './dtos/audit-event.output';

/** The auditors' API (read-only): CASL `read` on `AuditEvent`, which only `auditor` has in the default bundle. */
@Resolver(() => AuditEventOutput)
@UseGuards(PolicyGuard)
@RequireAbility('read', 'AuditEvent')
@UseFilters(GovernanceGraphQLErrorFilter)
export class AuditEventResolver {
  constructor(private readonly audit: AuditQueryService) {}

  @Query(() => AuditEventConnection, { description: 'Ledger entries matching the filter, newest first unless order is ASC.' })
  async auditEvents(@Args() args: AuditEventsArgs): Promise<ConnectionShape<AuditEventOutput>> {
    return toConnection(await this.audit.page(args));
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
