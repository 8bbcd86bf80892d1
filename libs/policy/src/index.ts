export * from './bundle';
export * from './policy-engine';
export * from './default-bundle/default-bundle';
export * from './schema-coordinates';
export * from './policy-store';
export * from './tokens';
