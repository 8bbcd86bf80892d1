import type { SchemaUsage } from './schema-check';

export const REGISTRY_OPTIONS = Symbol('REGISTRY_OPTIONS');

export interface RegistryOptions {
  /** REGISTRY_DEPRECATION_GRACE_DAYS: how long a field must be published as @deprecated before its removal */
  deprecationGraceDays: number;
  /** how far back usage counts (issue 5: 7 days) */
  usageWindowDays: number;
  /** REGISTRY_USAGE_RETENTION_DAYS: client usage older than this is deleted (at least usageWindowDays) */
  usageRetentionDays: number;
  /**
   * who used a coordinate; unset: the usage the gateways report (`DatabaseSchemaUsage`, governance.client_usage).
   * `assumeEveryCoordinateUsed` makes every breaking change fail.
   */
  usage?: SchemaUsage;
  /** REGISTRY_EXCLUDED_CLIENTS: clients (`name`, or `name@version`) whose usage does not hold a breaking change back */
  excludedClients: readonly string[];
  /** the current instant (a test clock in tests) */
  now: () => Date;
}

export const defaultRegistryOptions: RegistryOptions = {
  deprecationGraceDays: 14,
  usageWindowDays: 7,
  usageRetentionDays: 90,
  excludedClients: [],
  now: () => new Date(),
};
