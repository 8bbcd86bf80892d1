export { CrmModule, type CrmModuleOptions } from './app.module';
export { crmEntities } from './entities';
export { crmMigrations } from './migrations';
