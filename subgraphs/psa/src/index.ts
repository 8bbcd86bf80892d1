export { PsaModule, type PsaModuleOptions } from './app.module';
export { psaEntities } from './entities';
export { psaMigrations } from './migrations';
