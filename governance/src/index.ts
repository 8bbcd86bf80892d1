export { GovernanceModule, subgraphTargetsOf, type GovernanceModuleOptions } from './app.module';
export { governanceConfig, type GovernanceConfig } from './config';
export { governanceEntities } from './entities';
export { governanceMigrations } from './migrations';
export { OwnershipService, type OwnershipChange, type OwnershipChangeRequest } from './policy/ownership.service';
export { PolicyBundleService, type PolicyBundleVersion } from './policy/policy-bundle.service';
export { PolicyException, PolicyExceptionCode } from './policy/policy.exception';
export { SlaCron } from './sla/sla.cron';
export { SloState, type SloAssessment } from './sla/slo-evaluator';
