export { GovernanceModule, subgraphTargetsOf, type GovernanceModuleOptions } from './app.module';
export { governanceConfig, type GovernanceConfig } from './config';
export { governanceEntities } from './entities';
export { governanceMigrations } from './migrations';
