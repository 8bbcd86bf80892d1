import {
  getDirectiveValues,
  getNamedType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  getNullableType,
  isAbstractType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLArgument,
  type GraphQLCompositeType,
  type GraphQLFormattedError,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { ErrorCode, type Logger } from '@concord/common';
import type { Classification, FieldAccessLookup, PolicyEngine } from '@concord/policy';
import { GatewayRequestError } from '../http/request-error';
import type { GatewayResult, OperationStep, OperationStepInput, OperationStepResult } from '../pipeline/pipeline.types';

/**
 * What the gateway does with a field the caller may not read (ARCHITECTURE.md §5):
 * `filter` removes it before planning and answers null + FORBIDDEN_FIELD at its path, `reject` refuses the whole
 * operation, `dry-run` lets it through and logs what would have been removed.
 */
export type FieldPolicyMode = 'filter' | 'reject' | 'dry-run';
export const FIELD_POLICY_MODES: readonly FieldPolicyMode[] = ['filter', 'reject', 'dry-run'];

export const FIELD_POLICY_STEP = 'field-policy';

/** Classes whose reads are recorded as access events. */
const RECORDED_CLASSES: ReadonlySet<Classification> = new Set(['FINANCIAL', 'MARGIN', 'PII']);

/** Placeholder selection for a selection set left empty by removals; stripped from the result. */
const PLACEHOLDER = '__concord_removed';

export interface FieldPolicyStepOptions {
  /** the engine of the current bundle; undefined while no bundle was ever loaded (→ 503, fail closed) */
  policy: () => PolicyEngine | undefined;
  mode?: FieldPolicyMode;
  logger: Logger;
}

/** A removed field: where it is in the response (aliases, no list indices) and which coordinate it is. */
interface Removal {
  readonly path: readonly string[];
  readonly coordinate: string;
  readonly reason: 'field' | 'argument';
}

/** A read of a FINANCIAL, MARGIN or PII field: its coordinate and where it is in the response. */
export interface ClassifiedRead {
  readonly coordinate: string;
  readonly path: readonly string[];
}

/** The outcome of checking one operation for one role set. */
export interface FieldPolicyPlan {
  readonly removals: readonly Removal[];
  /** classified fields the operation reads (for access events) */
  readonly classifiedReads: readonly ClassifiedRead[];
  /**
   * every schema coordinate the operation uses, allowed or not (client usage for the schema registry): the fields it
   * selects (`Type.field`), the arguments it gives (`Type.field.argument`), and in their values the input fields
   * (`Input.field`) and enum values (`Enum.VALUE`)
   */
  readonly coordinates: readonly string[];
  readonly result: OperationStepResult | undefined;
}

/** What the step leaves in `context.state['field-policy']` for later steps and hooks (e.g. the access recorder). */
export interface FieldPolicyState {
  readonly policyVersion: number;
  /** coordinates the caller may not read that the operation asked for (removed, or let through in dry-run) */
  readonly removed: readonly string[];
  readonly mode: FieldPolicyMode;
  readonly classifiedReads: readonly ClassifiedRead[];
  readonly coordinates: readonly string[];
}

interface Analysis {
  removedNodes: Set<FieldNode>;
  removals: Removal[];
  classifiedReads: ClassifiedRead[];
  coordinates: Set<string>;
  /** a decision depended on variable values: the plan is per request, not cached */
  variableDependent: boolean;
}

/**
 * The gateway's field-level policy enforcement point, before query planning. It walks the operation as it will
 * execute (aliases, named and inline fragments, arguments including variable values) and decides each field with
 * the policy engine: fields the caller's roles may not read, and fields whose arguments filter or sort by a
 * coordinate the caller may not read, are removed. `conditional` fields (row rules) pass; the owning subgraph
 * decides them row by row. Plans are cached per document, operation, policy version and role set.
 */
export function createFieldPolicyStep(options: FieldPolicyStepOptions): OperationStep {
  const mode = options.mode ?? 'filter';
  const plans = new WeakMap<DocumentNode, Map<string, FieldPolicyPlan>>();

  return {
    name: FIELD_POLICY_STEP,
    run(input: OperationStepInput): OperationStepResult | void {
      const engine = options.policy();
      if (!engine) {
        throw GatewayRequestError.refused(
          ErrorCode.SERVICE_UNAVAILABLE,
          'No policy bundle is loaded yet: data requests are refused until one is',
          {},
          503,
        );
      }
      const roles = input.context.caller?.roles ?? [];
      const plan = planFor(plans, engine, roles, input, mode);
      const state: FieldPolicyState = {
        policyVersion: engine.version,
        removed: plan.removals.map((removal) => removal.coordinate),
        mode,
        classifiedReads: plan.classifiedReads,
        coordinates: plan.coordinates,
      };
      input.context.state[FIELD_POLICY_STEP] = state;
      if (!plan.removals.length) {
        return undefined;
      }
      if (mode === 'dry-run') {
        options.logger.warn(
          { correlationId: input.context.correlationId, sub: input.context.caller?.sub, wouldRemove: describe(plan.removals) },
          'field policy (dry-run): fields the caller may not read were let through',
        );
        return undefined;
      }
      if (mode === 'reject') {
        throw GatewayRequestError.refused(
          ErrorCode.FORBIDDEN_FIELD,
          `The operation reads fields you may not read: ${[...new Set(state.removed)].join(', ')}`,
          {
            coordinates: [...new Set(state.removed)],
          },
        );
      }
      return plan.result;
    },
  };
}

function planFor(
  plans: WeakMap<DocumentNode, Map<string, FieldPolicyPlan>>,
  engine: PolicyEngine,
  roles: readonly string[],
  input: OperationStepInput,
  mode: FieldPolicyMode,
): FieldPolicyPlan {
  const key = `${engine.version}\u0000${input.operation.name?.value ?? ''}\u0000${[...roles].sort().join(',')}`;
  let byKey = plans.get(input.document);
  const cached = byKey?.get(key);
  if (cached) {
    return cached;
  }
  const analysis = analyse(input.schema, input.document, input.operation, engine, roles, input.variables);
  const plan = buildPlan(input.document, analysis, mode === 'filter' ? `policy:${key}` : undefined);
  if (!analysis.variableDependent) {
    if (!byKey) {
      byKey = new Map();
      plans.set(input.document, byKey);
    }
    byKey.set(key, plan);
  }
  return plan;
}

function buildPlan(document: DocumentNode, analysis: Analysis, documentKey: string | undefined): FieldPolicyPlan {
  const classifiedReads = analysis.classifiedReads;
  const coordinates = [...analysis.coordinates].sort();
  if (!analysis.removals.length) {
    return { removals: [], classifiedReads, coordinates, result: undefined };
  }
  const rewritten = withoutFields(document, analysis.removedNodes);
  const removals = uniqueRemovals(analysis.removals);
  return {
    removals,
    classifiedReads,
    coordinates,
    result: {
      document: rewritten.document,
      // a variable-dependent rewrite is keyed by its printed text (the pipeline hashes it)
      documentKey: analysis.variableDependent ? undefined : documentKey,
      onResult: (result) => applyRemovals(result, removals, rewritten.placeholders),
    },
  };
}

function analyse(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  engine: PolicyEngine,
  roles: readonly string[],
  variables: Readonly<Record<string, unknown>>,
): Analysis {
  const access = engine.fieldAccess(roles);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    }
  }
  const analysis: Analysis = {
    removedNodes: new Set(),
    removals: [],
    classifiedReads: [],
    coordinates: new Set(),
    variableDependent: false,
  };
  const root = schema.getRootType(operation.operation);
  if (!root) {
    return analysis;
  }
  const inputs = new InputChecker(access, variables, analysis);
  const usage = new InputUsage(operation, variables, analysis);

  const walk = (
    selectionSet: SelectionSetNode,
    parent: GraphQLCompositeType,
    path: readonly string[],
    visiting: ReadonlySet<string>,
  ): void => {
    for (const selection of selectionSet.selections) {
      if (!included(selection, variables, analysis)) {
        // @skip / @include leave it out: not executed, nothing to decide (and no key in the response)
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const narrowed = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (narrowed && isCompositeType(narrowed)) {
          walk(selection.selectionSet, narrowed, path, visiting);
        }
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        const narrowed = fragment && schema.getType(fragment.typeCondition.name.value);
        if (fragment && narrowed && isCompositeType(narrowed) && !visiting.has(fragment.name.value)) {
          walk(fragment.selectionSet, narrowed, path, new Set([...visiting, fragment.name.value]));
        }
        continue;
      }
      const name = selection.name.value;
      if (name.startsWith('__') || !(isObjectType(parent) || isInterfaceType(parent))) {
        // __typename and introspection describe the schema, not data
        continue;
      }
      const definition = parent.getFields()[name];
      if (!definition) {
        continue;
      }
      const responsePath = [...path, selection.alias?.value ?? name];
      const coordinate = `${parent.name}.${name}`;
      analysis.coordinates.add(coordinate);
      usage.fieldInputs(definition.args, selection, coordinate);
      if (fieldDenied(schema, parent, name, access)) {
        remove(analysis, selection, responsePath, coordinate, 'field');
        continue;
      }
      const deniedInput = inputs.deniedArgument(definition.args, selection);
      if (deniedInput) {
        remove(analysis, selection, responsePath, deniedInput, 'argument');
        continue;
      }
      if (RECORDED_CLASSES.has(engine.classificationOf(coordinate))) {
        analysis.classifiedReads.push({ coordinate, path: responsePath });
      }
      const type = getNamedType(definition.type);
      if (selection.selectionSet && isCompositeType(type)) {
        walk(selection.selectionSet, type, responsePath, visiting);
      }
    }
  };
  walk(operation.selectionSet, root, [], new Set());
  return analysis;
}

/** Whether @skip / @include keep a selection; a condition given by a variable makes the plan per request. */
function included(selection: SelectionNode, variables: Readonly<Record<string, unknown>>, analysis: Analysis): boolean {
  if (!selection.directives?.length) {
    return true;
  }
  for (const directive of selection.directives) {
    if (
      (directive.name.value === 'skip' || directive.name.value === 'include') &&
      directive.arguments?.some((argument) => argument.value.kind === Kind.VARIABLE)
    ) {
      analysis.variableDependent = true;
    }
  }
  const skip = getDirectiveValues(GraphQLSkipDirective, selection, variables as Record<string, unknown>);
  if (skip?.if === true) {
    return false;
  }
  const include = getDirectiveValues(GraphQLIncludeDirective, selection, variables as Record<string, unknown>);
  return include?.if !== false;
}

/** On an interface, a field is denied when it is denied on the interface or on any implementation. */
function fieldDenied(schema: GraphQLSchema, parent: GraphQLCompositeType, field: string, access: FieldAccessLookup): boolean {
  if (access(parent.name, field) === 'deny') {
    return true;
  }
  if (isAbstractType(parent)) {
    return schema.getPossibleTypes(parent).some((type) => access(type.name, field) === 'deny');
  }
  return false;
}

function remove(analysis: Analysis, node: FieldNode, path: readonly string[], coordinate: string, reason: Removal['reason']): void {
  analysis.removedNodes.add(node);
  analysis.removals.push({ path, coordinate, reason });
}

/**
 * Checks argument values, literal or from variables, against the policy: giving a value to an input field or
 * choosing an enum value (a sort key) the caller may not read would leak that field through filtering or order.
 */
class InputChecker {
  constructor(
    private readonly access: FieldAccessLookup,
    private readonly variables: Readonly<Record<string, unknown>>,
    private readonly analysis: Analysis,
  ) {}

  /** The first forbidden input coordinate used by the field's arguments, if any. */
  deniedArgument(args: readonly GraphQLArgument[], node: FieldNode): string | undefined {
    for (const argument of node.arguments ?? []) {
      const definition = args.find((candidate) => candidate.name === argument.name.value);
      const denied = definition && this.deniedLiteral(argument.value, definition.type);
      if (denied) {
        return denied;
      }
    }
    return undefined;
  }

  private deniedLiteral(value: ValueNode, type: GraphQLInputType): string | undefined {
    if (value.kind === Kind.VARIABLE) {
      this.analysis.variableDependent ||= isInputObjectType(getNamedType(type)) || isEnumType(getNamedType(type));
      return this.deniedValue(this.variables[value.name.value], type);
    }
    const nullable = getNullableType(type);
    if (isListType(nullable)) {
      const items = value.kind === Kind.LIST ? value.values : [value];
      return firstOf(items, (item) => this.deniedLiteral(item, nullable.ofType));
    }
    if (isInputObjectType(nullable) && value.kind === Kind.OBJECT) {
      const fields = nullable.getFields();
      return firstOf(value.fields, (field) => {
        const definition = fields[field.name.value];
        if (!definition || field.value.kind === Kind.NULL) {
          return undefined;
        }
        return this.deniedInputField(nullable.name, field.name.value) ?? this.deniedLiteral(field.value, definition.type);
      });
    }
    if (isEnumType(nullable) && value.kind === Kind.ENUM) {
      return this.deniedInputField(nullable.name, value.value);
    }
    return undefined;
  }

  private deniedValue(value: unknown, type: GraphQLInputType): string | undefined {
    if (value === undefined || value === null) {
      return undefined;
    }
    const nullable = getNullableType(type);
    if (isListType(nullable)) {
      return firstOf(Array.isArray(value) ? value : [value], (item) => this.deniedValue(item, nullable.ofType));
    }
    if (isInputObjectType(nullable) && typeof value === 'object') {
      const fields = nullable.getFields();
      return firstOf(Object.entries(value as Record<string, unknown>), ([name, item]) => {
        const definition = fields[name];
        if (!definition || item === null || item === undefined) {
          return undefined;
        }
        return this.deniedInputField(nullable.name, name) ?? this.deniedValue(item, definition.type);
      });
    }
    if (isEnumType(nullable) && typeof value === 'string') {
      return this.deniedInputField(nullable.name, value);
    }
    return undefined;
  }

  /** Input fields and enum values have no rows: only an unconditional `allow` lets them through. */
  private deniedInputField(typeName: string, name: string): string | undefined {
    return this.access(typeName, name) === 'allow' ? undefined : `${typeName}.${name}`;
  }
}

/**
 * Records the inputs an operation gives as client usage: each argument (`Type.field.argument`), and in argument values,
 * literal or from variables (or their defaults), each input field given (`Input.field`, null included: removing it
 * breaks the operation) and each enum value chosen (`Enum.VALUE`). Only names the schema defines are recorded. It runs
 * with the field walk, so a plan cached per document records its literals once; a value from a variable already makes
 * the plan per request (InputChecker).
 */
class InputUsage {
  private readonly defaults = new Map<string, ValueNode>();

  constructor(
    operation: OperationDefinitionNode,
    private readonly variables: Readonly<Record<string, unknown>>,
    private readonly analysis: Analysis,
  ) {
    for (const definition of operation.variableDefinitions ?? []) {
      if (definition.defaultValue) {
        this.defaults.set(definition.variable.name.value, definition.defaultValue);
      }
    }
  }

  fieldInputs(args: readonly GraphQLArgument[], node: FieldNode, fieldCoordinate: string): void {
    for (const argument of node.arguments ?? []) {
      const definition = args.find((candidate) => candidate.name === argument.name.value);
      if (definition) {
        this.analysis.coordinates.add(`${fieldCoordinate}.${definition.name}`);
        this.literal(argument.value, definition.type);
      }
    }
  }

  private literal(value: ValueNode, type: GraphQLInputType): void {
    if (value.kind === Kind.VARIABLE) {
      const named = getNamedType(type);
      if (!isInputObjectType(named) && !isEnumType(named)) {
        return;
      }
      this.analysis.variableDependent = true;
      const given = this.variables[value.name.value];
      const fallback = this.defaults.get(value.name.value);
      if (given === undefined && fallback) {
        this.literal(fallback, type);
      } else {
        this.value(given, type);
      }
      return;
    }
    const nullable = getNullableType(type);
    if (isListType(nullable)) {
      for (const item of value.kind === Kind.LIST ? value.values : [value]) {
        this.literal(item, nullable.ofType);
      }
    } else if (isInputObjectType(nullable) && value.kind === Kind.OBJECT) {
      const fields = nullable.getFields();
      for (const field of value.fields) {
        const definition = fields[field.name.value];
        if (definition) {
          this.analysis.coordinates.add(`${nullable.name}.${definition.name}`);
          this.literal(field.value, definition.type);
        }
      }
    } else if (isEnumType(nullable) && value.kind === Kind.ENUM && nullable.getValue(value.value)) {
      this.analysis.coordinates.add(`${nullable.name}.${value.value}`);
    }
  }

  private value(value: unknown, type: GraphQLInputType): void {
    if (value === undefined || value === null) {
      return;
    }
    const nullable = getNullableType(type);
    if (isListType(nullable)) {
      for (const item of Array.isArray(value) ? value : [value]) {
        this.value(item, nullable.ofType);
      }
    } else if (isInputObjectType(nullable) && typeof value === 'object' && !Array.isArray(value)) {
      const fields = nullable.getFields();
      for (const [name, item] of Object.entries(value as Record<string, unknown>)) {
        const definition = fields[name];
        if (definition) {
          this.analysis.coordinates.add(`${nullable.name}.${name}`);
          this.value(item, definition.type);
        }
      }
    } else if (isEnumType(nullable) && typeof value === 'string' && nullable.getValue(value)) {
      this.analysis.coordinates.add(`${nullable.name}.${value}`);
    }
  }
}

function firstOf<T>(items: readonly T[], find: (item: T) => string | undefined): string | undefined {
  for (const item of items) {
    const found = find(item);
    if (found) {
      return found;
    }
  }
  return undefined;
}

/** The document without the removed field nodes; selection sets left empty get a placeholder `__typename`. */
function withoutFields(document: DocumentNode, removed: ReadonlySet<FieldNode>): { document: DocumentNode; placeholders: boolean } {
  let placeholders = false;
  const rewritten = visit(document, {
    Field: {
      enter: (node) => (removed.has(node) ? null : undefined),
    },
    SelectionSet: {
      leave: (node) => {
        if (node.selections.length) {
          return undefined;
        }
        placeholders = true;
        const placeholder: FieldNode = {
          kind: Kind.FIELD,
          alias: { kind: Kind.NAME, value: PLACEHOLDER },
          name: { kind: Kind.NAME, value: '__typename' },
        };
        return { ...node, selections: [placeholder] };
      },
    },
  });
  return { document: rewritten, placeholders };
}

function uniqueRemovals(removals: readonly Removal[]): Removal[] {
  const seen = new Map<string, Removal>();
  for (const removal of removals) {
    seen.set(removal.path.join('\u0000'), seen.get(removal.path.join('\u0000')) ?? removal);
  }
  return [...seen.values()];
}

/** Puts null and one FORBIDDEN_FIELD error at every response path of every removed field. */
function applyRemovals(result: GatewayResult, removals: readonly Removal[], placeholders: boolean): GatewayResult {
  if (!result.data) {
    return result;
  }
  const errors: GraphQLFormattedError[] = [];
  for (const removal of removals) {
    nullAt(result.data, removal, 0, [], errors);
  }
  if (placeholders) {
    stripPlaceholders(result.data);
  }
  return { ...result, errors: [...errors, ...(result.errors ?? [])] };
}

function nullAt(value: unknown, removal: Removal, depth: number, path: (string | number)[], errors: GraphQLFormattedError[]): void {
  if (value === null || value === undefined || typeof value !== 'object') {
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => nullAt(item, removal, depth, [...path, index], errors));
    return;
  }
  const key = removal.path[depth]!;
  const object = value as Record<string, unknown>;
  if (depth < removal.path.length - 1) {
    nullAt(object[key], removal, depth + 1, [...path, key], errors);
    return;
  }
  object[key] = null;
  errors.push({
    message:
      removal.reason === 'field'
        ? `Not authorized to read ${removal.coordinate}`
        : `Not authorized to filter or sort by ${removal.coordinate}`,
    path: [...path, key],
    extensions: { code: ErrorCode.FORBIDDEN_FIELD, coordinate: removal.coordinate },
  });
}

function stripPlaceholders(value: unknown): void {
  if (Array.isArray(value)) {
    value.forEach(stripPlaceholders);
  } else if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    delete object[PLACEHOLDER];
    Object.values(object).forEach(stripPlaceholders);
  }
}

function describe(removals: readonly Removal[]): string[] {
  return removals.map((removal) => `${removal.path.join('.')} (${removal.coordinate})`);
}
