import { parsePolicyBundle, type PolicyBundle } from '../bundle';
import { DEFAULT_CLASSIFICATIONS } from './classifications';
import { DEFAULT_OWNERSHIP } from './default-ownership';
import { defaultRoles } from './default-roles';

export interface DefaultPolicyBundleOptions {
  /** when version 1 came to be (default: now) */
  createdAt?: string;
}

/**
 * Version 1 of the policy: the roles of ARCHITECTURE.md §4, a class for every coordinate of the composed API
 * schema and the systems of record of DOMAIN.md §1. Governance stores it when it has no bundle yet; from then on
 * the stored versions are the policy. Each call returns a fresh copy.
 */
export function defaultPolicyBundle(options: DefaultPolicyBundleOptions = {}): PolicyBundle {
  return parsePolicyBundle({
    version: 1,
    createdAt: options.createdAt ?? new Date().toISOString(),
    roles: defaultRoles(),
    classifications: { ...DEFAULT_CLASSIFICATIONS },
    ownership: structuredClone(DEFAULT_OWNERSHIP),
  });
}
