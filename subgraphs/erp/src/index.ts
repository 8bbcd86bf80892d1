export { ErpModule, type ErpModuleOptions } from './app.module';
export { erpEntities } from './entities';
export { erpMigrations } from './migrations';
