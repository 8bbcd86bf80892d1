import { z } from 'zod';

/**
 * The policy bundle (ARCHITECTURE.md §4–6): roles, CASL rules, a classification for every schema coordinate and
 * the data-ownership rules. Governance stores it versioned; the gateway and the subgraphs load it, enforce it and
 * keep the last good copy on disk.
 */

/** Sensitivity of a schema coordinate, from least to most restricted. */
export const CLASSIFICATIONS = ['PUBLIC', 'INTERNAL', 'FINANCIAL', 'PII', 'MARGIN'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];
/** What an unclassified coordinate is treated as: the strictest class. */
export const STRICTEST_CLASSIFICATION: Classification = 'MARGIN';

/** The systems of record. */
export const SYSTEMS = ['crm', 'erp', 'psa'] as const;
export type SystemOfRecord = (typeof SYSTEMS)[number];

/** Actions the rules speak about. `manage` and `all` are CASL's wildcards. */
export const POLICY_ACTIONS = ['read', 'create', 'update', 'delete', 'transition', 'manage'] as const;

const stringOrList = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/**
 * A CASL raw rule. String values in `conditions` may reference the caller: `"${caller.sub}"` is replaced by the
 * caller's subject before the ability is built.
 */
export const policyRuleSchema = z.object({
  action: stringOrList,
  subject: stringOrList,
  fields: z.array(z.string().min(1)).optional(),
  conditions: z.record(z.string(), z.unknown()).optional(),
  inverted: z.boolean().optional(),
  reason: z.string().optional(),
});
export type PolicyRule = z.infer<typeof policyRuleSchema>;

export const roleDefinitionSchema = z.object({
  description: z.string(),
  /** classifications this role reads everywhere */
  classifications: z.array(z.enum(CLASSIFICATIONS)),
  /** further grants and restrictions (writes, conditional reads such as margin on own projects) */
  rules: z.array(policyRuleSchema),
  /**
   * Row scopes: for these entity types the role sees only the rows matching the conditions (e.g. a consultant's own
   * time entries: `{ TimeEntry: { personId: "${caller.sub}" } }`). The owning subgraph applies them to every read.
   */
  scopes: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
});
export type RoleDefinition = z.infer<typeof roleDefinitionSchema>;

export const ownershipRuleSchema = z.object({
  /** the system of record of the entity's fields */
  owner: z.enum(SYSTEMS),
  /** fields whose record is another system than the entity's owner */
  fields: z.record(z.string(), z.enum(SYSTEMS)).optional(),
  /**
   * of those, the ones the entity's owner stores and serves as a copy the record system's workflows stamp (PSA's
   * `TimeEntry.invoiceId`, written by ERP's billing): the schema registry lets the owner expose them; every other
   * field of another system is only resolved by that system
   */
  stored: z.array(z.string()).optional(),
  /** a change to this rule needs a second data steward's approval */
  approvalRequired: z.boolean().optional(),
});
export type OwnershipRule = z.infer<typeof ownershipRuleSchema>;

export const policyBundleSchema = z.object({
  /** increases by one with every published change */
  version: z.number().int().positive(),
  createdAt: z.string(),
  roles: z.record(z.string(), roleDefinitionSchema),
  /** `Type.field` (object, interface and input fields) and `Enum.VALUE` coordinates → class */
  classifications: z.record(z.string(), z.enum(CLASSIFICATIONS)),
  /** entity type name (GraphQL type, e.g. `Project`) → ownership */
  ownership: z.record(z.string(), ownershipRuleSchema),
});
export type PolicyBundle = z.infer<typeof policyBundleSchema>;

/** Parses untrusted bundle JSON; throws with the first problem's path. */
export function parsePolicyBundle(value: unknown): PolicyBundle {
  const parsed = policyBundleSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid policy bundle at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  return parsed.data;
}

/** The caller as the policy sees it. */
export interface PolicyCaller {
  sub: string;
  roles: readonly string[];
}
