export * from './graphql-client';
export * from './service';
export * from './test-database';
export * from './test-identity';
export { freePort } from './global-setup';
export * from './schema-file';
export * from './subgraph-schema';
export * from './use-test-service';
export * from './in-process-caller';
