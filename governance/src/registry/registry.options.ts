import { assumeEveryCoordinateUsed, type SchemaUsage } from './schema-check';

export const REGISTRY_OPTIONS = Symbol('REGISTRY_OPTIONS');

export interface RegistryOptions {
  /** REGISTRY_DEPRECATION_GRACE_DAYS: how long a field must be published as @deprecated before its removal */
  deprecationGraceDays: number;
  /** how far back usage counts (issue 5: 7 days) */
  usageWindowDays: number;
  /** who used a coordinate; until the gateway reports usage, every coordinate counts as used */
  usage: SchemaUsage;
  /** the current instant (a test clock in tests) */
  now: () => Date;
}

export const defaultRegistryOptions: RegistryOptions = {
  deprecationGraceDays: 14,
  usageWindowDays: 7,
  usage: assumeEveryCoordinateUsed,
  now: () => new Date(),
};
