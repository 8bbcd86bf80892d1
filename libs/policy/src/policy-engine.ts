import { createMongoAbility, subject as asSubject, type MongoAbility, type RawRuleOf } from '@casl/ability';
import {
  STRICTEST_CLASSIFICATION,
  type Classification,
  type OwnershipRule,
  type PolicyBundle,
  type PolicyCaller,
  type PolicyRule,
  type SystemOfRecord,
} from './bundle';

/**
 * What the gateway may decide about a field before planning: `allow` and `deny` hold for every row; `conditional`
 * means a row rule decides (the owning subgraph checks it on the loaded row with `canReadField`).
 */
export type FieldAccess = 'allow' | 'deny' | 'conditional';

/** A caller's field decisions, memoised: the gateway asks this once per coordinate per role set. */
export type FieldAccessLookup = (typeName: string, field: string) => FieldAccess;

export type WriteAction = 'create' | 'update' | 'delete' | 'transition';

type Ability = MongoAbility;
type AbilityRule = ReturnType<Ability['rulesFor']>[number];

const CALLER_SUB = '${caller.sub}';
const MAX_CACHED_CALLERS = 10_000;

/**
 * The policy decision point compiled from one bundle (immutable: a new bundle version builds a new engine).
 *
 * Reads: a role reads every coordinate of its `classifications` (an unclassified coordinate counts as the strictest
 * class); its CASL `rules` add grants or restrictions on top, the more specific and later ones winning as CASL
 * orders them. Writes: only the CASL rules decide. Decisions for the gateway depend on the role set alone and are
 * memoised; row decisions build one CASL ability per caller (the `${caller.sub}` placeholders filled in), cached.
 */
export class PolicyEngine {
  readonly version: number;
  private readonly classifications: ReadonlyMap<string, Classification>;
  private readonly lookups = new Map<string, FieldAccessLookup>();
  private readonly abilities = new Map<string, Ability>();

  constructor(readonly bundle: PolicyBundle) {
    this.version = bundle.version;
    this.classifications = new Map(Object.entries(bundle.classifications));
  }

  /** The class of a coordinate (`Type.field`, `Input.field`, `Enum.VALUE`); unclassified → the strictest. */
  classificationOf(coordinate: string): Classification {
    return this.classifications.get(coordinate) ?? STRICTEST_CLASSIFICATION;
  }

  isClassified(coordinate: string): boolean {
    return this.classifications.has(coordinate);
  }

  /** Roles the bundle does not define (a token naming them gets nothing from them). */
  unknownRoles(roles: readonly string[]): string[] {
    return roles.filter((role) => !Object.hasOwn(this.bundle.roles, role));
  }

  /** Field decisions for a role set, memoised per role set and coordinate. */
  fieldAccess(roles: readonly string[]): FieldAccessLookup {
    const key = rolesKey(roles);
    let lookup = this.lookups.get(key);
    if (!lookup) {
      lookup = this.buildLookup(roles);
      this.remember(this.lookups, key, lookup);
    }
    return lookup;
  }

  /** Row-level read decision on a loaded row (the subgraph's half of a `conditional` field). */
  canReadField(caller: PolicyCaller, typeName: string, row: Record<string, unknown>, field: string): boolean {
    const access = this.fieldAccess(caller.roles)(typeName, field);
    if (access !== 'conditional') {
      return access === 'allow';
    }
    const rule = this.abilityFor(caller).relevantRuleFor('read', asSubject(typeName, { ...row }), field);
    if (rule) {
      return !rule.inverted;
    }
    return this.classAllowed(caller.roles, `${typeName}.${field}`);
  }

  /**
   * Write decision (ARCHITECTURE.md §6 b): the action on the row, and for updates each changed field. Returns the
   * fields refused (empty = allowed); `['*']` when the action itself is refused.
   */
  refusedWrite(
    caller: PolicyCaller,
    action: WriteAction,
    typeName: string,
    row: Record<string, unknown>,
    fields: readonly string[] = [],
  ): string[] {
    const ability = this.abilityFor(caller);
    const target = asSubject(typeName, { ...row });
    if (!ability.can(action, target)) {
      return ['*'];
    }
    return action === 'update' ? fields.filter((field) => !ability.can(action, target, field)) : [];
  }

  /**
   * The rows of an entity type the caller may see: undefined = all of them (some role of the caller has no scope on
   * the type); otherwise the caller sees a row matching any of the returned conditions (one per scoped role).
   */
  rowScopes(caller: PolicyCaller, typeName: string): Record<string, unknown>[] | undefined {
    const scopes: Record<string, unknown>[] = [];
    for (const role of caller.roles) {
      const definition = this.bundle.roles[role];
      if (!definition) {
        continue;
      }
      const scope = definition.scopes?.[typeName];
      if (!scope) {
        return undefined;
      }
      scopes.push(bindValue(scope, caller) as Record<string, unknown>);
    }
    // a caller without any known role sees nothing: an impossible scope
    return scopes.length ? scopes : [{ id: null }];
  }

  /** The system of record of an entity's field, or undefined when the bundle has no rule for the entity. */
  ownerOf(typeName: string, field?: string): SystemOfRecord | undefined {
    const rule: OwnershipRule | undefined = this.bundle.ownership[typeName];
    if (!rule) {
      return undefined;
    }
    return (field !== undefined ? rule.fields?.[field] : undefined) ?? rule.owner;
  }

  /** True when the entity's owner stores and serves `field` as a copy another system records (`stored`). */
  storesCopy(typeName: string, field: string): boolean {
    return this.bundle.ownership[typeName]?.stored?.includes(field) ?? false;
  }

  /** The CASL ability of one caller, built from their roles' rules with `${caller.sub}` filled in. */
  abilityFor(caller: PolicyCaller): Ability {
    const key = `${caller.sub}\u0000${rolesKey(caller.roles)}`;
    let ability = this.abilities.get(key);
    if (!ability) {
      ability = createMongoAbility(this.rulesOf(caller.roles).map((rule) => bindCaller(rule, caller)));
      this.remember(this.abilities, key, ability);
    }
    return ability;
  }

  private buildLookup(roles: readonly string[]): FieldAccessLookup {
    // a type-level ability: conditions stay unbound, only their presence matters here
    const ability = createMongoAbility(this.rulesOf(roles) as RawRuleOf<Ability>[]);
    const allowed = this.allowedClasses(roles);
    const memo = new Map<string, FieldAccess>();
    return (typeName, field) => {
      const coordinate = `${typeName}.${field}`;
      let access = memo.get(coordinate);
      if (access === undefined) {
        access = decide(ability.rulesFor('read', typeName, field), allowed.has(this.classificationOf(coordinate)));
        memo.set(coordinate, access);
      }
      return access;
    };
  }

  private classAllowed(roles: readonly string[], coordinate: string): boolean {
    return this.allowedClasses(roles).has(this.classificationOf(coordinate));
  }

  private allowedClasses(roles: readonly string[]): Set<Classification> {
    return new Set(roles.flatMap((role) => this.bundle.roles[role]?.classifications ?? []));
  }

  private rulesOf(roles: readonly string[]): PolicyRule[] {
    return roles.flatMap((role) => this.bundle.roles[role]?.rules ?? []);
  }

  private remember<V>(cache: Map<string, V>, key: string, value: V): void {
    if (cache.size >= MAX_CACHED_CALLERS) {
      cache.delete(cache.keys().next().value as string);
    }
    cache.set(key, value);
  }
}

/**
 * Type-level read decision from the rules that match a field, in CASL priority order (most relevant first): the
 * first unconditional rule settles it; conditional rules on the way make the answer row-dependent.
 */
function decide(rules: readonly AbilityRule[], classAllowed: boolean): FieldAccess {
  let conditionalAllow = false;
  let conditionalDeny = false;
  for (const rule of rules) {
    if (!rule.conditions) {
      if (rule.inverted) {
        return conditionalAllow ? 'conditional' : 'deny';
      }
      return conditionalDeny ? 'conditional' : 'allow';
    }
    if (rule.inverted) {
      conditionalDeny = true;
    } else {
      conditionalAllow = true;
    }
  }
  if (classAllowed) {
    return conditionalDeny ? 'conditional' : 'allow';
  }
  return conditionalAllow ? 'conditional' : 'deny';
}

function rolesKey(roles: readonly string[]): string {
  return roles.length <= 1 ? (roles[0] ?? '') : [...roles].sort().join(',');
}

function bindCaller(rule: PolicyRule, caller: PolicyCaller): RawRuleOf<Ability> {
  if (!rule.conditions) {
    return rule as RawRuleOf<Ability>;
  }
  return { ...rule, conditions: bindValue(rule.conditions, caller) as Record<string, unknown> } as RawRuleOf<Ability>;
}

function bindValue(value: unknown, caller: PolicyCaller): unknown {
  if (value === CALLER_SUB) {
    return caller.sub;
  }
  if (Array.isArray(value)) {
    return value.map((item) => bindValue(item, caller));
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, bindValue(item, caller)]));
  }
  return value;
}
