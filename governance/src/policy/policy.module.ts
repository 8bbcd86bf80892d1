import { DeniedAttempts } from './denied-attempts';
import { Module } from '@nestjs/common';
import { OwnershipImpactService } from './ownership-impact.service';
import { OwnershipService } from './ownership.service';
import { PolicyBundleService } from './policy-bundle.service';
import { PolicyDecisionService } from './policy-decision.service';
import { PolicyController } from './policy.controller';
import { PolicyGuard } from './policy.guard';
import { StewardResolver } from './steward.resolver';
import { StewardService } from './steward.service';

/**
 * The versioned policy bundle, data stewards' ownership changes (and their GraphQL API), and governance's own
 * decisions with that bundle (PolicyDecisionService, PolicyGuard); the ledger comes from the global AuditModule.
 */
@Module({
  controllers: [PolicyController],
  providers: [
    PolicyBundleService,
    OwnershipService,
    OwnershipImpactService,
    PolicyDecisionService,
    DeniedAttempts,
    PolicyGuard,
    StewardService,
    StewardResolver,
  ],
  exports: [PolicyBundleService, OwnershipService, PolicyDecisionService, DeniedAttempts, PolicyGuard],
})
export class PolicyModule {}
