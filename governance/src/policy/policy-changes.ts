import { canonicalJson, z } from '@concord/common';
import {
  CLASSIFICATIONS,
  ownershipRuleSchema,
  parsePolicyBundle,
  roleDefinitionSchema,
  type OwnershipRule,
  type PolicyBundle,
  type SystemOfRecord,
} from '@concord/policy';
import { PolicyException, PolicyExceptionCode } from './policy.exception';

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
const COORDINATE = /^[_A-Za-z][_0-9A-Za-z]*\.[_A-Za-z][_0-9A-Za-z]*$/;

/**
 * What a publish changes, section by section: a key set to a value replaces or adds it, a key set to null removes
 * it, a key left out stays as it is.
 */
export const policyChangesSchema = z.strictObject({
  roles: z.record(z.string().min(1), roleDefinitionSchema.nullable()).optional(),
  classifications: z
    .record(z.string().regex(COORDINATE, 'a coordinate is Type.field or Enum.VALUE'), z.enum(CLASSIFICATIONS).nullable())
    .optional(),
  ownership: z.record(z.string().regex(NAME, 'an entity is a GraphQL type name'), ownershipRuleSchema.nullable()).optional(),
});
export type PolicyChanges = z.infer<typeof policyChangesSchema>;

const SECTIONS = ['roles', 'classifications', 'ownership'] as const;
type Section = (typeof SECTIONS)[number];

export interface AppliedChanges {
  bundle: PolicyBundle;
  /** per section, the previous value of each changed key (null: it did not exist) */
  before: Partial<Record<Section, Record<string, unknown>>>;
  /** per section, the new value of each changed key (null: removed) */
  after: Partial<Record<Section, Record<string, unknown>>>;
  /** `section.key` of each change, e.g. `classifications.Project.margin` */
  changedFields: string[];
}

/** Validates untrusted changes; throws INVALID_CHANGES naming each problem. */
export function parsePolicyChanges(value: unknown): PolicyChanges {
  const parsed = policyChangesSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new PolicyException(PolicyExceptionCode.INVALID_CHANGES, `invalid policy changes: ${problems[0]}`, { problems });
  }
  return parsed.data;
}

/**
 * The next version: `current` with the changes applied, validated as a whole. Keys whose value does not change are
 * left out of before/after; when nothing changes at all, NOTHING_CHANGES.
 */
export function applyPolicyChanges(
  current: PolicyBundle,
  changes: PolicyChanges,
  next: { version: number; createdAt: string },
): AppliedChanges {
  const sections = { roles: { ...current.roles }, classifications: { ...current.classifications }, ownership: { ...current.ownership } };
  const before: AppliedChanges['before'] = {};
  const after: AppliedChanges['after'] = {};
  const changedFields: string[] = [];
  for (const section of SECTIONS) {
    const target: Record<string, unknown> = sections[section];
    for (const [key, value] of Object.entries(changes[section] ?? {})) {
      const previous = Object.hasOwn(target, key) ? target[key] : null;
      if (canonicalJson(previous) === canonicalJson(value)) {
        continue;
      }
      (before[section] ??= {})[key] = previous;
      (after[section] ??= {})[key] = value;
      changedFields.push(`${section}.${key}`);
      if (value === null) {
        delete target[key];
      } else {
        target[key] = value;
      }
    }
  }
  if (changedFields.length === 0) {
    throw new PolicyException(PolicyExceptionCode.NOTHING_CHANGES, `the changes leave version ${current.version} as it is`);
  }
  let bundle: PolicyBundle;
  try {
    bundle = parsePolicyBundle({ ...sections, version: next.version, createdAt: next.createdAt });
  } catch (error) {
    throw new PolicyException(PolicyExceptionCode.INVALID_CHANGES, error instanceof Error ? error.message : String(error));
  }
  return { bundle, before, after, changedFields };
}

/** The system of record of an entity (field undefined/null) or of one of its fields under `rule`. */
export function ownerUnder(rule: OwnershipRule, field?: string | null): SystemOfRecord {
  return (field ? rule.fields?.[field] : undefined) ?? rule.owner;
}

/**
 * `rule` with the owner of the entity or of one field changed. Field exceptions stay minimal: a field owned like its
 * entity has no entry, so changing the entity's owner drops the exceptions that now agree with it.
 */
export function withOwner(rule: OwnershipRule, field: string | null | undefined, owner: SystemOfRecord): OwnershipRule {
  const entityOwner = field ? rule.owner : owner;
  const fields = { ...rule.fields };
  if (field) {
    fields[field] = owner;
  }
  const exceptions = Object.fromEntries(Object.entries(fields).filter(([, fieldOwner]) => fieldOwner !== entityOwner));
  const { fields: _fields, ...rest } = rule;
  return { ...rest, owner: entityOwner, ...(Object.keys(exceptions).length ? { fields: exceptions } : {}) };
}
