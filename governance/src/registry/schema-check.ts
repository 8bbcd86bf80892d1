import { createHash } from 'node:crypto';
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import {
  GraphQLError,
  Kind,
  Source,
  parse,
  print,
  type ConstDirectiveNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type GraphQLSchema,
  type TypeNode,
} from 'graphql';
import type { PolicyEngine } from '@concord/policy';

export type ChangeCriticality = 'BREAKING' | 'DANGEROUS' | 'SAFE';

/** One difference from the subgraph's latest published SDL, classified by @graphql-inspector/core. */
export interface SchemaChange {
  criticality: ChangeCriticality;
  /** the inspector's change type, e.g. FIELD_REMOVED */
  type: string;
  /** the schema coordinate it concerns (`Type.field`, `Type.field.argument`), null for schema-wide changes */
  path: string | null;
  message: string;
  /** for a breaking change: the clients that used what it affects within the usage window (see usageLookupOf) */
  clients?: string[];
  /** for a breaking change: false when no (not excluded) client used it within the window, so it does not fail the check */
  used?: boolean;
}

export interface CompositionProblem {
  code: string;
  message: string;
}

export interface CompositionReport {
  ok: boolean;
  errors: CompositionProblem[];
}

/** A field this version newly resolves whose system of record is another subgraph. */
export interface OwnershipViolation {
  coordinate: string;
  owner: string;
}

/** A removed field and whether it was deprecated long enough before. */
export interface DeprecationFinding {
  coordinate: string;
  ok: boolean;
  /** when the field was first published as @deprecated (in the streak reaching the latest version), null: never */
  deprecatedSince: string | null;
  /** when removal becomes allowed, null: never deprecated */
  removableFrom: string | null;
}

/** What a check found; `ok` is false when `reasons` is not empty. */
export interface SchemaCheckReport {
  ok: boolean;
  subgraph: string;
  /** sha256 of the normalised SDL (print(parse(sdl))), null when it does not parse */
  sha256: string | null;
  /** the published version the diff is against, null for a first publish */
  baseVersion: number | null;
  policyVersion: number;
  checkedAt: string;
  composition: CompositionReport;
  changes: SchemaChange[];
  ownership: OwnershipViolation[];
  deprecation: DeprecationFinding[];
  reasons: string[];
  /** the clients whose usage this check left out (REGISTRY_EXCLUDED_CLIENTS and the call's own), when it had breaking changes */
  excludedClients?: string[];
}

/**
 * What a breaking change's usage is looked up as in the gateways' reports, which name the fields operations select
 * (`Type.field`), the arguments they give (`Type.field.argument`), and the input fields (`Input.field`) and enum values
 * (`Enum.VALUE`) in argument values. See usageLookupOf.
 */
export interface UsageLookup {
  /** what the answer is keyed by: the change's path, or the subgraph's name for a schema-wide change */
  key: string;
  /** reported coordinates any use of which counts */
  coordinates: readonly string[];
  /** types any of whose reported coordinates counts */
  types: readonly string[];
}

/**
 * Who used what a breaking change affects since a time: the seam for usage-aware checks. A breaking change fails only
 * when some client used what it breaks; `assumeEveryCoordinateUsed` counts everything as used. Answers, per lookup
 * key somebody used, the clients (`name@version (operations: …)`).
 */
export interface SchemaUsage {
  clientsUsing(lookups: readonly UsageLookup[], since: Date, options?: SchemaUsageOptions): Promise<Map<string, string[]>>;
}

export interface SchemaUsageOptions {
  /** REGISTRY_EXCLUDED_CLIENTS: `name` (every version) or `name@version` whose usage does not count */
  excludedClients?: readonly string[];
}

export const UNKNOWN_USAGE = 'unknown clients (usage is not reported yet: assumed used)';

export const assumeEveryCoordinateUsed: SchemaUsage = {
  clientsUsing: (lookups) => Promise.resolve(new Map(lookups.map((lookup) => [lookup.key, [UNKNOWN_USAGE]]))),
};

/** Changes to an input type's fields that break every operation giving a value of that type. */
const INPUT_TYPE_WIDE = new Set(['INPUT_FIELD_ADDED', 'INPUT_FIELD_TYPE_CHANGED']);

/**
 * Which usage a breaking change of `subgraph` (its published SDL `previous`) counts:
 * - a schema-wide change (no path, or a directive `@name`): any use of what the subgraph defines — its object,
 *   interface and input fields (not `@external` ones) and enum values;
 * - a removed argument: that argument given (`Type.field.argument`); any other argument change (a required one added,
 *   a type changed) breaks operations that select the field, given or not: the field;
 * - a required input field added or an input field's type changed: any value of the input type given — the arguments
 *   and input fields of that type, and the type's fields given;
 * - a type (`Type`): any of its reported coordinates;
 * - otherwise the coordinate itself: a field selected, an input field given, an enum value chosen.
 */
export function usageLookupOf(change: Pick<SchemaChange, 'type' | 'path'>, subgraph: string, previous: DocumentNode): UsageLookup {
  const path = change.path;
  if (!path || path.startsWith('@')) {
    return { key: path ?? subgraph, coordinates: definedCoordinates(previous), types: [] };
  }
  const parts = path.split('.');
  if (parts.length === 1) {
    return { key: path, coordinates: [], types: [path] };
  }
  if (parts.length > 2) {
    return { key: path, coordinates: change.type === 'FIELD_ARGUMENT_REMOVED' ? [path] : [`${parts[0]}.${parts[1]}`], types: [] };
  }
  if (INPUT_TYPE_WIDE.has(change.type)) {
    return { key: path, coordinates: [path, ...inputTypeUses(previous, parts[0])], types: [parts[0]] };
  }
  return { key: path, coordinates: [path], types: [] };
}

function namedTypeOf(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedTypeOf(type.type);
}

/** Every object, interface and input field the SDL defines (not `@external`), and every enum value. */
function definedCoordinates(document: DocumentNode): string[] {
  const coordinates = new Set<string>();
  for (const [coordinate, facts] of fieldFactsOf(document)) {
    if (!facts.external) {
      coordinates.add(coordinate);
    }
  }
  for (const definition of document.definitions) {
    if (definition.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION || definition.kind === Kind.INPUT_OBJECT_TYPE_EXTENSION) {
      definition.fields?.forEach((field) => coordinates.add(`${definition.name.value}.${field.name.value}`));
    } else if (definition.kind === Kind.ENUM_TYPE_DEFINITION || definition.kind === Kind.ENUM_TYPE_EXTENSION) {
      definition.values?.forEach((value) => coordinates.add(`${definition.name.value}.${value.name.value}`));
    }
  }
  return [...coordinates].sort();
}

/** The arguments (`Type.field.argument`) and input fields (`Input.field`) whose type is the input type `typeName`. */
function inputTypeUses(document: DocumentNode, typeName: string): string[] {
  const uses: string[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION || definition.kind === Kind.INPUT_OBJECT_TYPE_EXTENSION) {
      for (const field of definition.fields ?? []) {
        if (namedTypeOf(field.type) === typeName) {
          uses.push(`${definition.name.value}.${field.name.value}`);
        }
      }
    } else if (
      definition.kind === Kind.OBJECT_TYPE_DEFINITION ||
      definition.kind === Kind.OBJECT_TYPE_EXTENSION ||
      definition.kind === Kind.INTERFACE_TYPE_DEFINITION ||
      definition.kind === Kind.INTERFACE_TYPE_EXTENSION
    ) {
      for (const field of definition.fields ?? []) {
        for (const argument of field.arguments ?? []) {
          if (namedTypeOf(argument.type) === typeName) {
            uses.push(`${definition.name.value}.${field.name.value}.${argument.name.value}`);
          }
        }
      }
    }
  }
  return uses;
}

export interface SubgraphSdl {
  name: string;
  sdl: string;
  /** where gateways reach it; without one the supergraph names an unroutable host (see UNROUTED_HOST_SUFFIX) */
  url?: string | null;
}

/**
 * The host suffix of a subgraph published without a routing URL (`http://crm.subgraph.invalid/graphql`): `.invalid`
 * never resolves (RFC 2606), and gateways replace such URLs with their own endpoint for the subgraph.
 */
export const UNROUTED_HOST_SUFFIX = '.subgraph.invalid';

/** The SDL parsed (errors name the subgraph), or the syntax error. */
export function parseSdl(subgraph: string, sdl: string): DocumentNode | GraphQLError {
  try {
    return parse(new Source(sdl, subgraph));
  } catch (error) {
    return error instanceof GraphQLError ? error : new GraphQLError(String(error));
  }
}

/** sha256 of the SDL as graphql prints it: formatting and comments do not make a new version. */
export function sdlSha256(document: DocumentNode): string {
  return createHash('sha256').update(print(document)).digest('hex');
}

/** Composes the subgraphs (@apollo/composition) into a supergraph SDL, or the composition errors. */
export function composeSubgraphs(subgraphs: readonly SubgraphSdl[]): { supergraphSdl: string | null; errors: CompositionProblem[] } {
  const errors: CompositionProblem[] = [];
  const services: { name: string; typeDefs: DocumentNode; url: string }[] = [];
  for (const subgraph of subgraphs) {
    const document = parseSdl(subgraph.name, subgraph.sdl);
    if (document instanceof GraphQLError) {
      errors.push({ code: 'INVALID_GRAPHQL', message: `[${subgraph.name}] ${document.message}` });
    } else {
      services.push({
        name: subgraph.name,
        typeDefs: document,
        url: subgraph.url ?? `http://${subgraph.name}${UNROUTED_HOST_SUFFIX}/graphql`,
      });
    }
  }
  if (errors.length) {
    return { supergraphSdl: null, errors };
  }
  const result = composeServices(services);
  if (result.errors) {
    return {
      supergraphSdl: null,
      errors: result.errors.map((error) => ({
        code: typeof error.extensions.code === 'string' ? error.extensions.code : 'COMPOSITION_ERROR',
        message: error.message,
      })),
    };
  }
  return { supergraphSdl: result.supergraphSdl, errors: [] };
}

function criticalityOf(change: Change): ChangeCriticality {
  // An added optional argument leaves every existing operation valid; the inspector calls it dangerous only because
  // a resolver may read it differently, which is the subgraph's own business.
  if (change.type === 'FIELD_ARGUMENT_ADDED' && change.criticality.level === CriticalityLevel.Dangerous) {
    const meta = change.meta as { addedArgumentType?: string; hasDefaultValue?: boolean };
    if (meta.hasDefaultValue || !meta.addedArgumentType?.endsWith('!')) {
      return 'SAFE';
    }
  }
  switch (change.criticality.level) {
    case CriticalityLevel.Breaking:
      return 'BREAKING';
    case CriticalityLevel.Dangerous:
      return 'DANGEROUS';
    case CriticalityLevel.NonBreaking:
      return 'SAFE';
  }
}

function subgraphSchema(document: DocumentNode): GraphQLSchema {
  return buildSubgraphSchema([{ typeDefs: document }]);
}

/**
 * The changes from `previous` to `next`, both built as federation subgraph schemas (so `@key`, `@external`, … are
 * understood and the federation types are the same on both sides). Breaking first.
 */
export async function diffSubgraphSchemas(previous: DocumentNode, next: DocumentNode): Promise<SchemaChange[]> {
  const changes = await diff(subgraphSchema(previous), subgraphSchema(next));
  const order: Record<ChangeCriticality, number> = { BREAKING: 0, DANGEROUS: 1, SAFE: 2 };
  return changes
    .map((change) => ({
      criticality: criticalityOf(change),
      type: String(change.type),
      path: change.path ?? null,
      message: change.message,
    }))
    .sort((a, b) => order[a.criticality] - order[b.criticality] || (a.path ?? '').localeCompare(b.path ?? ''));
}

/** What a subgraph says about one of its object or interface fields. */
export interface FieldFacts {
  /** marked @external (on the field or its type): another subgraph resolves it */
  external: boolean;
  /** named in the type's @key: a reference, not a resolved value */
  key: boolean;
  deprecated: boolean;
}

function directiveNamed(directives: readonly ConstDirectiveNode[] | undefined, name: string): ConstDirectiveNode[] {
  return (directives ?? []).filter((directive) => directive.name.value === name);
}

/** The top-level field names of `@key(fields: "id sku { x }")` selections. */
function keyFieldsOf(directives: readonly ConstDirectiveNode[] | undefined): Set<string> {
  const names = new Set<string>();
  for (const key of directiveNamed(directives, 'key')) {
    const fields = key.arguments?.find((argument) => argument.name.value === 'fields')?.value;
    if (fields?.kind !== Kind.STRING) {
      continue;
    }
    let depth = 0;
    for (const token of fields.value.match(/[{}]|[_A-Za-z][_0-9A-Za-z]*/g) ?? []) {
      if (token === '{') {
        depth++;
      } else if (token === '}') {
        depth--;
      } else if (depth === 0) {
        names.add(token);
      }
    }
  }
  return names;
}

/** Every object and interface field of the SDL (type extensions included) by coordinate. */
export function fieldFactsOf(document: DocumentNode): Map<string, FieldFacts> {
  const facts = new Map<string, FieldFacts>();
  for (const definition of document.definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.OBJECT_TYPE_EXTENSION &&
      definition.kind !== Kind.INTERFACE_TYPE_DEFINITION &&
      definition.kind !== Kind.INTERFACE_TYPE_EXTENSION
    ) {
      continue;
    }
    const typeExternal = directiveNamed(definition.directives, 'external').length > 0;
    const keys = keyFieldsOf(definition.directives);
    for (const field of (definition.fields ?? []) as readonly FieldDefinitionNode[]) {
      const coordinate = `${definition.name.value}.${field.name.value}`;
      const previous = facts.get(coordinate);
      facts.set(coordinate, {
        external: (previous?.external ?? true) && (typeExternal || directiveNamed(field.directives, 'external').length > 0),
        key: (previous?.key ?? false) || keys.has(field.name.value),
        deprecated: (previous?.deprecated ?? false) || directiveNamed(field.directives, 'deprecated').length > 0,
      });
    }
  }
  return facts;
}

/**
 * Fields this version newly resolves (absent before, or only @external or a key before) on a type whose system
 * of record, for that field, is another subgraph. Keys and @external fields are references, allowed everywhere. So
 * are the copies an entity's owner stores for another system (the ownership rule's `stored`, e.g. PSA's
 * `TimeEntry.invoiceId`, stamped by ERP's billing): the row lives in the owner, which serves the copy and refuses its
 * own writes to it (`OWNERSHIP_VIOLATION` at its write point).
 */
export function ownershipViolations(
  subgraph: string,
  previous: DocumentNode | null,
  next: DocumentNode,
  engine: Pick<PolicyEngine, 'ownerOf' | 'storesCopy'>,
): OwnershipViolation[] {
  const before = previous ? fieldFactsOf(previous) : new Map<string, FieldFacts>();
  const resolvedBefore = (coordinate: string) => {
    const facts = before.get(coordinate);
    return Boolean(facts && !facts.external && !facts.key);
  };
  const violations: OwnershipViolation[] = [];
  for (const [coordinate, facts] of fieldFactsOf(next)) {
    if (facts.external || facts.key || resolvedBefore(coordinate)) {
      continue;
    }
    const [typeName, field] = coordinate.split('.');
    const owner = engine.ownerOf(typeName, field);
    const storedCopy = engine.ownerOf(typeName) === subgraph && engine.storesCopy(typeName, field);
    if (owner && owner !== subgraph && !storedCopy) {
      violations.push({ coordinate, owner });
    }
  }
  return violations.sort((a, b) => a.coordinate.localeCompare(b.coordinate));
}

/** A published version of the subgraph, newest first in the lists below. */
export interface PublishedSdl {
  version: number;
  createdAt: Date;
  document: DocumentNode;
}

/**
 * For each removed field: it must have been @deprecated in every published version since one published at least
 * `graceDays` before `now` (a field deprecated, undeprecated and deprecated again counts from the last time).
 */
export function deprecationFindings(
  removed: readonly string[],
  publishedNewestFirst: readonly PublishedSdl[],
  graceDays: number,
  now: Date,
): DeprecationFinding[] {
  const facts = publishedNewestFirst.map((published) => ({ published, fields: fieldFactsOf(published.document) }));
  return removed.map((coordinate) => {
    let since: Date | null = null;
    for (const { published, fields } of facts) {
      if (!fields.get(coordinate)?.deprecated) {
        break;
      }
      since = published.createdAt;
    }
    if (!since) {
      return { coordinate, ok: false, deprecatedSince: null, removableFrom: null };
    }
    const removableFrom = new Date(since.getTime() + graceDays * 86_400_000);
    return {
      coordinate,
      ok: removableFrom.getTime() <= now.getTime(),
      deprecatedSince: since.toISOString(),
      removableFrom: removableFrom.toISOString(),
    };
  });
}

/** The readable reasons a report fails, one line each. */
export function reasonsOf(
  report: Pick<SchemaCheckReport, 'subgraph' | 'composition' | 'changes' | 'ownership' | 'deprecation'>,
  graceDays: number,
): string[] {
  const reasons: string[] = [];
  for (const error of report.composition.errors) {
    reasons.push(`composition: ${error.code}: ${error.message}`);
  }
  for (const change of report.changes) {
    if (change.criticality === 'BREAKING' && change.clients?.length) {
      reasons.push(
        `breaking change ${change.type} at ${change.path ?? 'the schema'}: ${change.message} (used by ${change.clients.join(', ')})`,
      );
    }
  }
  for (const violation of report.ownership) {
    reasons.push(
      `ownership: ${violation.coordinate} belongs to subgraph "${violation.owner}" (its system of record); "${report.subgraph}" may only reference it as a key or @external field`,
    );
  }
  for (const finding of report.deprecation) {
    if (finding.ok) {
      continue;
    }
    reasons.push(
      finding.deprecatedSince
        ? `deprecation: ${finding.coordinate} is @deprecated since ${finding.deprecatedSince}; it may be removed from ${finding.removableFrom} (${graceDays} days)`
        : `deprecation: ${finding.coordinate} is removed without having been published as @deprecated for ${graceDays} days first`,
    );
  }
  return reasons;
}
