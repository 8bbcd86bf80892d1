import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isObjectType,
  isRequiredArgument,
  isRequiredInputField,
  isScalarType,
  Lexer,
  Source,
  TokenKind,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { ErrorCode } from '@concord/common';
import { defaultPolicyBundle, PolicyEngine, type FieldAccess } from '@concord/policy';
import { seedDatabase } from '@concord/seed';
import { postGraphQL, queryData, type GraphQLResponse } from '@concord/testing';
import { sql } from './support/database';
import { bearerFor, startStack, type Stack } from './support/stack';

/**
 * The generated no-bypass test of issue 4: every coordinate the client graph lets one select from its root lists,
 * asked through the gateway as every default role, must come back exactly as the default policy bundle decides
 * (deny → null + FORBIDDEN_FIELD at each path; allow → no FORBIDDEN_FIELD; conditional → a value only where the
 * row rule allows it). The input side: every filter field and sort key a role may not read must empty its list.
 * Queries are generated from the gateway's own API schema (introspection), against a seeded database.
 */

/** every default role but `system` (the gateway's own requests: no data at all) */
const ROLES = Object.keys(defaultPolicyBundle().roles).filter((role) => role !== 'system');
const ROOT_PAGE = 3;
const NESTED_PAGE = 2;
/** below the gateway's MAX_QUERY_TOKENS (5,000) */
const TOKEN_BUDGET = 4_500;

type ResponseError = NonNullable<GraphQLResponse['errors']>[number];

/** One selected field of the generated query: where it is in the response and which coordinate it reads. */
interface Selection {
  key: string;
  typeName: string;
  field: string;
  children: Selection[];
  /** `(first: N)` on lists one level down */
  page?: string;
}

interface RootSelection {
  selection: Selection;
  text: string;
  tokens: number;
}

/** One value of a selected coordinate in a response. */
interface Occurrence {
  coordinate: string;
  typeName: string;
  field: string;
  path: (string | number)[];
  value: unknown;
  /** the parent object with response keys mapped back to field names (for row decisions) */
  row: Record<string, unknown>;
}

/** An input coordinate used in a root list's arguments. */
interface InputProbe {
  coordinate: string;
  rootField: string;
  argument: string;
  argumentType: GraphQLInputType;
  value: unknown;
}

function countTokens(text: string): number {
  const lexer = new Lexer(new Source(text));
  let count = 0;
  while (lexer.advance().kind !== TokenKind.EOF) {
    count++;
  }
  return count;
}

const hasRequiredArguments = (field: GraphQLField<unknown, unknown>) => field.args.some(isRequiredArgument);
const pageArgument = (field: GraphQLField<unknown, unknown>, size: number) =>
  field.args.some((arg) => arg.name === 'first') ? `(first: ${size})` : '';
/** Money, PageInfo, BillingAddress…: objects of leaves only, selected whole wherever they appear */
const isLeafObject = (type: unknown): type is GraphQLObjectType =>
  isObjectType(type) && Object.values(type.getFields()).every((field) => isLeafType(getNamedType(field.type)));

/** Builds the selections of a query: every field of every root list, and of every object reachable at one level. */
class QueryGenerator {
  private aliasCount = 0;

  constructor(private readonly schema: GraphQLSchema) {}

  /** Root fields without required arguments returning a connection (edges.node) or a list of objects. */
  rootLists(): RootSelection[] {
    const query = this.schema.getQueryType()!;
    return Object.values(query.getFields())
      .filter((field) => !hasRequiredArguments(field))
      .flatMap((field) => {
        const selection = this.rootSelection(query, field);
        if (!selection) {
          return [];
        }
        const text = print({ ...selection, page: pageArgument(field, ROOT_PAGE) });
        return [{ selection, text, tokens: countTokens(text) }];
      });
  }

  private alias(): string {
    return `f${(this.aliasCount++).toString(36)}`;
  }

  private rootSelection(query: GraphQLObjectType, field: GraphQLField<unknown, unknown>): Selection | undefined {
    const type = getNullableType(field.type);
    if (isObjectType(type) && type.getFields().edges) {
      const edges = type.getFields().edges;
      const edge = getNamedType(edges.type);
      if (!isObjectType(edge) || !isObjectType(getNamedType(edge.getFields().node?.type))) {
        return undefined;
      }
      const node = getNamedType(edge.getFields().node.type) as GraphQLObjectType;
      const edgeChildren = Object.values(edge.getFields()).map((edgeField) =>
        edgeField.name === 'node'
          ? { key: 'node', typeName: edge.name, field: 'node', children: this.objectFields(node, 0) }
          : this.plainField(edge, edgeField),
      );
      const children = Object.values(type.getFields()).map((connectionField) =>
        connectionField.name === 'edges'
          ? { key: 'edges', typeName: type.name, field: 'edges', children: edgeChildren }
          : this.plainField(type, connectionField),
      );
      return { key: field.name, typeName: query.name, field: field.name, children };
    }
    if (isListType(type) && isObjectType(getNamedType(type))) {
      return {
        key: field.name,
        typeName: query.name,
        field: field.name,
        children: this.objectFields(getNamedType(type) as GraphQLObjectType, 0),
      };
    }
    return undefined;
  }

  /** A field selected whole: a leaf, or an object of leaves with each of them. */
  private plainField(parent: GraphQLObjectType, field: GraphQLField<unknown, unknown>): Selection {
    const type = getNamedType(field.type);
    return {
      key: field.name,
      typeName: parent.name,
      field: field.name,
      children: isLeafObject(type) ? Object.values(type.getFields()).map((leaf) => this.plainField(type, leaf)) : [],
    };
  }

  /** Every field of an object, aliased; objects one level down get their leaves (and leaf objects) only. */
  private objectFields(type: GraphQLObjectType, depth: number): Selection[] {
    return Object.values(type.getFields())
      .filter((field) => !hasRequiredArguments(field))
      .flatMap((field): Selection[] => {
        const named = getNamedType(field.type);
        const key = this.alias();
        if (isLeafType(named) || isLeafObject(named)) {
          return [{ ...this.plainField(type, field), key }];
        }
        if (depth > 0 || !isObjectType(named)) {
          return [];
        }
        return [
          {
            key,
            typeName: type.name,
            field: field.name,
            children: this.objectFields(named, depth + 1),
            page: pageArgument(field, NESTED_PAGE),
          },
        ];
      });
  }
}

function print(selection: Selection): string {
  const head = selection.key === selection.field ? selection.field : `${selection.key}: ${selection.field}`;
  return selection.children.length ? `${head}${selection.page ?? ''} { ${selection.children.map(print).join(' ')} }` : head;
}

/** Walks a response along the selections: every value of every selected coordinate, with its path. */
function occurrences(data: Record<string, unknown> | null | undefined, selections: readonly Selection[]): Occurrence[] {
  const found: Occurrence[] = [];
  const visit = (object: Record<string, unknown>, children: readonly Selection[], path: (string | number)[]) => {
    const row = Object.fromEntries(children.map((child) => [child.field, object[child.key]]));
    for (const child of children) {
      const value = object[child.key];
      const childPath = [...path, child.key];
      found.push({
        coordinate: `${child.typeName}.${child.field}`,
        typeName: child.typeName,
        field: child.field,
        path: childPath,
        value,
        row,
      });
      if (!child.children.length || value === null || value === undefined) {
        continue;
      }
      if (Array.isArray(value)) {
        value.forEach((item, index) => item && visit(item as Record<string, unknown>, child.children, [...childPath, index]));
      } else {
        visit(value as Record<string, unknown>, child.children, childPath);
      }
    }
  };
  if (data) {
    visit(data, selections, []);
  }
  return found;
}

/**
 * A value of an input type that the subgraphs accept: enum values `preferred` lets through, strings shaped by the
 * field's name (dates, countries, currencies), a UUID for ids, a date for custom scalars.
 */
function sampleValue(type: GraphQLInputType, preferred: (typeName: string, name: string) => boolean, name = ''): unknown {
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    return [sampleValue(nullable.ofType, preferred, name)];
  }
  if (isEnumType(nullable)) {
    const values = nullable.getValues();
    return (values.find((value) => preferred(nullable.name, value.name)) ?? values[0]).name;
  }
  if (isInputObjectType(nullable)) {
    return Object.fromEntries(
      Object.values(nullable.getFields())
        .filter(isRequiredInputField)
        .map((field) => [field.name, sampleValue(field.type, preferred, field.name)]),
    );
  }
  if (isScalarType(nullable)) {
    switch (nullable.name) {
      case 'Int':
      case 'Float':
        return 1;
      case 'Boolean':
        return true;
      case 'ID':
        return '00000000-0000-7000-8000-000000000000';
      case 'String':
        return /date|from$|to$|on$|of$|period/i.test(name)
          ? '2025-01-01'
          : /country/i.test(name)
            ? 'FR'
            : /currency|^code/i.test(name)
              ? 'EUR'
              : 'no-bypass';
      default:
        return '2025-01-01';
    }
  }
  return null;
}

/**
 * Every input field and enum value a root list's arguments can carry, each with a value that uses it; required
 * siblings (an order's `field`) take values `allowed` lets through, so the probe is the only thing in question.
 */
function inputProbes(schema: GraphQLSchema, allowed: (typeName: string, name: string) => boolean): InputProbe[] {
  const probes: InputProbe[] = [];
  const query = schema.getQueryType()!;
  for (const field of Object.values(query.getFields())) {
    if (hasRequiredArguments(field) || !field.args.some((arg) => arg.name === 'first')) {
      continue;
    }
    for (const argument of field.args) {
      const named = getNamedType(argument.type);
      const probe = (coordinate: string, value: unknown) =>
        probes.push({ coordinate, rootField: field.name, argument: argument.name, argumentType: argument.type, value });
      if (isEnumType(named)) {
        named.getValues().forEach((value) => probe(`${named.name}.${value.name}`, wrapLike(argument, value.name)));
      }
      if (!isInputObjectType(named)) {
        continue;
      }
      for (const inputField of Object.values(named.getFields())) {
        const base = sampleValue(named, allowed) as Record<string, unknown>;
        probe(`${named.name}.${inputField.name}`, { ...base, [inputField.name]: sampleValue(inputField.type, allowed, inputField.name) });
        const inputNamed = getNamedType(inputField.type);
        if (isEnumType(inputNamed)) {
          const list = isListType(getNullableType(inputField.type));
          inputNamed
            .getValues()
            .forEach((value) =>
              probe(`${inputNamed.name}.${value.name}`, { ...base, [inputField.name]: list ? [value.name] : value.name }),
            );
        }
      }
    }
  }
  return probes;
}

function wrapLike(argument: GraphQLArgument, value: string): unknown {
  return isListType(getNullableType(argument.type)) ? [value] : value;
}

/** A GraphQL literal of an input value. */
function literal(value: unknown, type: GraphQLInputType): string {
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    return `[${(value as unknown[]).map((item) => literal(item, nullable.ofType)).join(', ')}]`;
  }
  if (isEnumType(nullable)) {
    return String(value);
  }
  if (isInputObjectType(nullable)) {
    const fields = nullable.getFields();
    return `{ ${Object.entries(value as Record<string, unknown>)
      .map(([name, item]) => `${name}: ${literal(item, fields[name].type)}`)
      .join(', ')} }`;
  }
  return JSON.stringify(value);
}

interface InputQuery {
  text: string;
  variables: Record<string, unknown>;
  probes: { probe: InputProbe; alias: string }[];
}

/**
 * One aliased root list per probe, `{ __typename }` only, packed into queries under the token budget; every other
 * probe passes its value through a variable, the rest as literals.
 */
function inputQueries(probes: readonly InputProbe[]): InputQuery[] {
  const queries: InputQuery[] = [];
  let current: { fields: string[]; definitions: string[]; query: InputQuery } | undefined;
  const flush = () => {
    if (current) {
      const definitions = current.definitions.length ? `(${current.definitions.join(', ')})` : '';
      current.query.text = `query${definitions} { ${current.fields.join(' ')} }`;
      queries.push(current.query);
      current = undefined;
    }
  };
  probes.forEach((probe, index) => {
    current ??= { fields: [], definitions: [], query: { text: '', variables: {}, probes: [] } };
    const alias = `p${index}`;
    let argument = literal(probe.value, probe.argumentType);
    let definition: string | undefined;
    if (index % 2) {
      current.query.variables[`v${index}`] = probe.value;
      definition = `$v${index}: ${String(probe.argumentType)}`;
      argument = `$v${index}`;
    }
    const field = `${alias}: ${probe.rootField}(first: 1, ${probe.argument}: ${argument}) { __typename }`;
    current.fields.push(field);
    if (definition) {
      current.definitions.push(definition);
    }
    current.query.probes.push({ probe, alias });
    if (countTokens(current.fields.join(' ')) + countTokens(current.definitions.join(' ')) > TOKEN_BUDGET - 200) {
      flush();
    }
  });
  flush();
  return queries;
}

/** The FORBIDDEN_FIELD errors of a response by path (JSON), and the paths that have more than one. */
function forbiddenByPath(errors: readonly ResponseError[] | undefined): { byPath: Map<string, ResponseError>; repeated: string[] } {
  const byPath = new Map<string, ResponseError>();
  const repeated: string[] = [];
  for (const error of errors ?? []) {
    if (error.extensions?.code !== ErrorCode.FORBIDDEN_FIELD) {
      continue;
    }
    const path = JSON.stringify(error.path);
    if (byPath.has(path)) {
      repeated.push(path);
    }
    byPath.set(path, error);
  }
  return { byPath, repeated };
}

interface Coverage {
  /** `role coordinate` → values checked */
  checked: Map<string, number>;
  /** `role coordinate` by decision */
  decisions: Record<FieldAccess, Set<string>>;
  /** `role coordinate allowed|denied` of the rows a row rule decided */
  rowRule: Set<string>;
  /** `role coordinate` of the forbidden inputs tried, and how many allowed ones were */
  inputs: { denied: Set<string>; allowed: number };
  queries: number;
}

describe('no bypass: every coordinate × every default role through the gateway, compared with the policy', () => {
  const engine = new PolicyEngine(defaultPolicyBundle());
  const callers: Record<string, { sub: string; roles: string[] }> = {};
  const coverage: Coverage = {
    checked: new Map(),
    decisions: { allow: new Set(), deny: new Set(), conditional: new Set() },
    rowRule: new Set(),
    inputs: { denied: new Set(), allowed: 0 },
    queries: 0,
  };
  let stack: Stack;
  let schema: GraphQLSchema;
  let roots: RootSelection[];
  const started = Date.now();

  beforeAll(async () => {
    stack = await startStack({ beforeGateway: (databaseUrl) => seedDatabase({ databaseUrl, scale: 0.1, seed: 7 }).then(() => undefined) });
    // a delivery manager of the first projects listed (they see cost on some rows, not on others) and a consultant
    // with assignments, time and expenses of their own
    const [{ manager_id }] = await sql<{ manager_id: string }>(
      stack.database.url,
      `SELECT manager_id FROM psa.project ORDER BY code LIMIT 1`,
    );
    const [{ person_id }] = await sql<{ person_id: string }>(
      stack.database.url,
      `SELECT r.person_id FROM psa.resource r WHERE EXISTS (SELECT 1 FROM psa.expense e WHERE e.resource_id = r.id)
         AND EXISTS (SELECT 1 FROM psa.time_entry t WHERE t.resource_id = r.id) ORDER BY r.person_id LIMIT 1`,
    );
    for (const role of ROLES) {
      callers[role] = {
        sub: role === 'delivery_manager' ? manager_id : role === 'consultant' ? person_id : `${role}-no-bypass`,
        roles: [role],
      };
    }
    const introspection = await queryData<IntrospectionQuery>(stack.gateway.url, getIntrospectionQuery(), undefined, stack.auth);
    schema = buildClientSchema(introspection);
    roots = new QueryGenerator(schema).rootLists();
  });

  afterAll(async () => {
    await stack?.close();
  });

  /** The root lists packed into as few queries as the token budget allows. */
  function batches(): RootSelection[][] {
    const packed: RootSelection[][] = [];
    let current: RootSelection[] = [];
    let tokens = 2;
    for (const root of roots) {
      if (current.length && tokens + root.tokens > TOKEN_BUDGET) {
        packed.push(current);
        current = [];
        tokens = 2;
      }
      current.push(root);
      tokens += root.tokens;
    }
    return current.length ? [...packed, current] : packed;
  }

  it('should generate a query for every root list of the API schema', () => {
    expect(roots.length).toBeGreaterThan(20);
    expect(roots.map((root) => root.selection.field)).toEqual(expect.arrayContaining(['projects', 'timeEntries', 'invoices', 'clients']));
    for (const root of roots) {
      expect({ root: root.selection.field, fits: root.tokens <= TOKEN_BUDGET }).toEqual({ root: root.selection.field, fits: true });
    }
  });

  it.each(ROLES)('should answer %s for every selected coordinate exactly as the policy decides', async (role) => {
    const caller = callers[role];
    const access = engine.fieldAccess(caller.roles);
    const headers = await bearerFor(caller);
    const problems: string[] = [];
    const emptyLists: string[] = [];

    for (const batch of batches()) {
      const response = await postGraphQL(stack.gateway.url, `{ ${batch.map((root) => root.text).join(' ')} }`, undefined, headers);
      coverage.queries++;
      const others = (response.errors ?? []).filter((error) => error.extensions?.code !== ErrorCode.FORBIDDEN_FIELD);
      if (response.status !== 200 || others.length) {
        problems.push(`status ${response.status}, errors other than FORBIDDEN_FIELD: ${JSON.stringify(others.slice(0, 3))}`);
      }
      const { byPath: forbidden, repeated } = forbiddenByPath(response.errors);
      problems.push(...repeated.map((path) => `more than one FORBIDDEN_FIELD at ${path}`));
      const explained = new Set<string>();
      for (const occurrence of occurrences(
        response.data,
        batch.map((root) => root.selection),
      )) {
        const path = JSON.stringify(occurrence.path);
        const error = forbidden.get(path);
        const decision = access(occurrence.typeName, occurrence.field);
        const where = `${occurrence.coordinate} at ${occurrence.path.join('.')}`;
        coverage.checked.set(`${role} ${occurrence.coordinate}`, (coverage.checked.get(`${role} ${occurrence.coordinate}`) ?? 0) + 1);
        coverage.decisions[decision].add(`${role} ${occurrence.coordinate}`);
        if (error) {
          explained.add(path);
        }
        if (decision === 'deny') {
          if (occurrence.value !== null) {
            problems.push(`${where}: denied, but a value came back`);
          }
          if (error?.extensions?.coordinate !== occurrence.coordinate) {
            problems.push(`${where}: denied, but no FORBIDDEN_FIELD error for it (got ${JSON.stringify(error?.extensions)})`);
          }
        } else if (decision === 'allow') {
          if (error) {
            problems.push(`${where}: allowed, but FORBIDDEN_FIELD (${String(error.extensions?.coordinate)})`);
          }
        } else {
          // conditional: the row rule decides; never a value where it denies, never a refusal where it allows
          const readable = engine.canReadField(caller, occurrence.typeName, occurrence.row, occurrence.field);
          if (readable && error) {
            problems.push(`${where}: the row rule allows it (${JSON.stringify(occurrence.row.id)}), but FORBIDDEN_FIELD`);
          }
          if (!readable && (occurrence.value !== null || error?.extensions?.coordinate !== occurrence.coordinate)) {
            problems.push(
              `${where}: the row rule denies it, but value ${JSON.stringify(occurrence.value)} / error ${JSON.stringify(error?.extensions)}`,
            );
          }
          coverage.rowRule.add(`${role} ${occurrence.coordinate} ${readable ? 'allowed' : 'denied'}`);
        }
      }
      for (const [path, error] of forbidden) {
        if (explained.has(path)) {
          continue;
        }
        problems.push(`${role}: FORBIDDEN_FIELD at ${path}, which nothing selected (${String(error.extensions?.coordinate)})`);
      }
      for (const root of batch) {
        const value = response.data?.[root.selection.key] as { edges?: unknown[] } | unknown[] | null | undefined;
        const items = Array.isArray(value) ? value : value?.edges;
        if (access('Query', root.selection.field) === 'allow' && !items?.length) {
          emptyLists.push(root.selection.field);
        }
      }
    }

    expect(problems).toEqual([]);
    // every list has rows for this caller, so each coordinate was really asked for
    expect(emptyLists).toEqual([]);
  });

  it.each(ROLES)('should empty a root list of %s filtered or sorted by a coordinate it may not read, and only then', async (role) => {
    const caller = callers[role];
    const access = engine.fieldAccess(caller.roles);
    const allowed = (typeName: string, name: string) => access(typeName, name) === 'allow';
    const probes = inputProbes(schema, allowed);
    const headers = await bearerFor(caller);
    const problems: string[] = [];
    const isAllowed = (probe: InputProbe) => allowed(...(probe.coordinate.split('.') as [string, string]));
    // forbidden and allowed inputs apart: one refused sample value of an allowed input nulls the whole answer
    const chunks = [...inputQueries(probes.filter((probe) => !isAllowed(probe))), ...inputQueries(probes.filter(isAllowed))];

    for (const chunk of chunks) {
      const response = await postGraphQL(stack.gateway.url, chunk.text, chunk.variables, headers);
      coverage.queries++;
      expect(response.status).toBe(200);
      expect((response.errors ?? []).filter((error) => error.extensions?.code !== ErrorCode.FORBIDDEN_FIELD)).toEqual([]);
      const { byPath: forbidden, repeated } = forbiddenByPath(response.errors);
      expect(repeated).toEqual([]);
      chunk.probes.forEach(({ probe, alias }) => {
        const [inputType, name] = probe.coordinate.split('.');
        const error = forbidden.get(JSON.stringify([alias]));
        const value = response.data?.[alias];
        const where = `${probe.rootField}(${probe.argument}: ${JSON.stringify(probe.value)}) [${probe.coordinate}]`;
        if (allowed(inputType, name)) {
          coverage.inputs.allowed++;
          if (error) {
            problems.push(`${where}: allowed, but FORBIDDEN_FIELD (${String(error.extensions?.coordinate)})`);
          }
        } else {
          coverage.inputs.denied.add(`${role} ${probe.coordinate}`);
          if (value !== null || error?.extensions?.coordinate !== probe.coordinate) {
            problems.push(`${where}: denied, but ${JSON.stringify(value)} / ${JSON.stringify(error?.extensions)}`);
          }
        }
      });
      const unexplained = [...forbidden.keys()].filter((path) => !chunk.probes.some(({ alias }) => path === JSON.stringify([alias])));
      expect(unexplained).toEqual([]);
    }

    expect(problems).toEqual([]);
  });

  it('should have checked every decision kind, both ways of the row rule, and the margin and financial inputs of sales', () => {
    const inputsOfSales = [...coverage.inputs.denied]
      .filter((entry) => entry.startsWith('sales '))
      .map((entry) => entry.slice('sales '.length));
    const classified = engine.bundle.classifications;
    const strictInputs = inputProbes(schema, () => true)
      .map((probe) => probe.coordinate)
      .filter((coordinate) => ['MARGIN', 'FINANCIAL'].includes(classified[coordinate] ?? 'MARGIN'))
      .filter((coordinate) => engine.fieldAccess(['sales'])(...(coordinate.split('.') as [string, string])) !== 'allow');

    expect(coverage.decisions.deny.size).toBeGreaterThan(0);
    expect(coverage.decisions.allow.size).toBeGreaterThan(0);
    for (const field of ['costToDate', 'margin', 'marginPct']) {
      expect(coverage.rowRule).toContain(`delivery_manager Project.${field} allowed`);
      expect(coverage.rowRule).toContain(`delivery_manager Project.${field} denied`);
    }
    expect(strictInputs.length).toBeGreaterThan(0);
    expect(inputsOfSales).toEqual(expect.arrayContaining(strictInputs));

    const coordinates = new Set([...coverage.checked.keys()].map((key) => key.split(' ')[1]));
    console.log(
      `policy no-bypass: ${roots.length} root lists, ${coordinates.size} coordinates × ${ROLES.length} roles = ${coverage.checked.size} checked ` +
        `(${[...coverage.checked.values()].reduce((sum, count) => sum + count, 0)} values; ${coverage.decisions.deny.size} denied, ` +
        `${coverage.decisions.allow.size} allowed, ${coverage.decisions.conditional.size} by a row rule); ` +
        `filter/sort inputs: ${coverage.inputs.denied.size} forbidden and ${coverage.inputs.allowed} allowed (input × role); ${coverage.queries} queries in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  });
});
