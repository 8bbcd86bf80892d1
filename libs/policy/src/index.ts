export * from './bundle';
export * from './policy-engine';
