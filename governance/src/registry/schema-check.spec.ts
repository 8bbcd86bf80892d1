import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { defaultPolicyBundle, PolicyEngine } from '@concord/policy';
import { deprecationFindings, diffSubgraphSchemas, fieldFactsOf, ownershipViolations, usageLookupOf } from './schema-check';

const FEDERATION = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])';
const sdl = (body: string) => parse(`${FEDERATION}\n${body}`);
const engine = new PolicyEngine(defaultPolicyBundle());

describe('schema checks', () => {
  describe(diffSubgraphSchemas.name, () => {
    const base = sdl('type Query { clients: [Client!]! } type Client @key(fields: "id") { id: ID! name: String! }');

    it.each([
      [
        'a removed field',
        'type Query { clients: [Client!]! } type Client @key(fields: "id") { id: ID! }',
        'BREAKING',
        'FIELD_REMOVED',
        'Client.name',
      ],
      [
        'an added optional argument',
        'type Query { clients(first: Int): [Client!]! } type Client @key(fields: "id") { id: ID! name: String! }',
        'SAFE',
        'FIELD_ARGUMENT_ADDED',
        'Query.clients.first',
      ],
      [
        'an added required argument',
        'type Query { clients(first: Int!): [Client!]! } type Client @key(fields: "id") { id: ID! name: String! }',
        'BREAKING',
        'FIELD_ARGUMENT_ADDED',
        'Query.clients.first',
      ],
      [
        'a field made nullable',
        'type Query { clients: [Client!]! } type Client @key(fields: "id") { id: ID! name: String }',
        'BREAKING',
        'FIELD_TYPE_CHANGED',
        'Client.name',
      ],
    ])('should classify %s as %s', async (_case, next, criticality, type, path) => {
      expect(await diffSubgraphSchemas(base, sdl(next))).toEqual([expect.objectContaining({ criticality, type, path })]);
    });
  });

  describe(ownershipViolations.name, () => {
    it('should allow keys and @external fields of another system of record, and refuse resolving its fields', () => {
      const next = sdl(`
        type Query { clients: [Client!]! }
        type Client @key(fields: "id") { id: ID! name: String! arBalance: String @external risk: String @requires(fields: "arBalance") contracts: [String] }`);

      expect(ownershipViolations('crm', null, next, engine)).toEqual([{ coordinate: 'Client.contracts', owner: 'erp' }]);
    });

    it('should let the entity owner serve the copies it stores for another system, and nobody else', () => {
      const psa = sdl('type Query { a: Int } type TimeEntry @key(fields: "id") { id: ID! hours: String invoiceId: ID invoiceLineId: ID }');
      const crm = sdl('type Query { a: Int } type TimeEntry @key(fields: "id") { id: ID! invoiceId: ID }');

      expect(ownershipViolations('psa', null, psa, engine)).toEqual([]);
      expect(ownershipViolations('crm', null, crm, engine)).toEqual([{ coordinate: 'TimeEntry.invoiceId', owner: 'erp' }]);
    });

    it('should not report a field the subgraph already resolved in its previous version', () => {
      const previous = sdl('type Query { a: Int } type Client @key(fields: "id") { id: ID! contracts: [String] }');
      const next = sdl('type Query { a: Int } type Client @key(fields: "id") { id: ID! contracts: [String] name: String }');

      expect(ownershipViolations('erp', previous, next, engine)).toEqual([{ coordinate: 'Client.name', owner: 'crm' }]);
    });
  });

  describe(usageLookupOf.name, () => {
    const previous = parse(`
      type Query { projects(filter: ProjectFilter, first: Int): [Project!]! }
      type Project @key(fields: "id") { id: ID! status: ProjectStatus! budget: String @external }
      input ProjectFilter { status: ProjectStatus nested: ProjectFilter }
      enum ProjectStatus { ACTIVE ARCHIVED }`);

    it.each([
      ['FIELD_REMOVED', 'Project.status', { coordinates: ['Project.status'], types: [] }],
      ['ENUM_VALUE_REMOVED', 'ProjectStatus.ARCHIVED', { coordinates: ['ProjectStatus.ARCHIVED'], types: [] }],
      ['FIELD_ARGUMENT_REMOVED', 'Query.projects.first', { coordinates: ['Query.projects.first'], types: [] }],
      ['FIELD_ARGUMENT_ADDED', 'Query.projects.tenant', { coordinates: ['Query.projects'], types: [] }],
      ['FIELD_ARGUMENT_TYPE_CHANGED', 'Query.projects.first', { coordinates: ['Query.projects'], types: [] }],
      [
        'INPUT_FIELD_ADDED',
        'ProjectFilter.tenant',
        { coordinates: ['ProjectFilter.tenant', 'Query.projects.filter', 'ProjectFilter.nested'], types: ['ProjectFilter'] },
      ],
      ['TYPE_REMOVED', 'Project', { coordinates: [], types: ['Project'] }],
    ])('should look %s at %s up as the usage that breaks', (type, path, expected) => {
      expect(usageLookupOf({ type, path }, 'psa', previous)).toEqual({ key: path, ...expected });
    });

    it('should look a schema-wide change up as any use of what the subgraph defines (its @external fields aside)', () => {
      expect(usageLookupOf({ type: 'SCHEMA_MUTATION_TYPE_CHANGED', path: null }, 'psa', previous)).toEqual({
        key: 'psa',
        coordinates: [
          'Project.id',
          'Project.status',
          'ProjectFilter.nested',
          'ProjectFilter.status',
          'ProjectStatus.ACTIVE',
          'ProjectStatus.ARCHIVED',
          'Query.projects',
        ],
        types: [],
      });
      expect(usageLookupOf({ type: 'DIRECTIVE_REMOVED', path: '@audited' }, 'psa', previous).key).toBe('@audited');
    });
  });

  describe(deprecationFindings.name, () => {
    const plain = sdl('type Query { a: Int } type Task @key(fields: "id") { id: ID! code: String }');
    const deprecated = sdl('type Query { a: Int } type Task @key(fields: "id") { id: ID! code: String @deprecated }');
    const day = (n: number) => new Date(Date.UTC(2026, 0, n));

    it('should count the grace period from the start of the deprecation that reaches the latest version', () => {
      const history = [
        { version: 4, createdAt: day(20), document: deprecated },
        { version: 3, createdAt: day(10), document: deprecated },
        { version: 2, createdAt: day(5), document: plain },
        { version: 1, createdAt: day(1), document: deprecated },
      ];

      expect(deprecationFindings(['Task.code'], history, 14, day(23))).toEqual([
        { coordinate: 'Task.code', ok: false, deprecatedSince: day(10).toISOString(), removableFrom: day(24).toISOString() },
      ]);
      expect(deprecationFindings(['Task.code'], history, 14, day(24))[0].ok).toBe(true);
    });

    it('should refuse removing a field never deprecated', () => {
      expect(fieldFactsOf(plain).get('Task.code')).toEqual({ external: false, key: false, deprecated: false });
      expect(deprecationFindings(['Task.code'], [{ version: 1, createdAt: day(1), document: plain }], 14, day(30))).toEqual([
        { coordinate: 'Task.code', ok: false, deprecatedSince: null, removableFrom: null },
      ]);
    });
  });
});

describe('the committed subgraph schemas against the default ownership rules', () => {
  // what the registry checks when a service publishes its first version at start: a field a subgraph resolves on an
  // entity whose system of record is another subgraph (a new cross-system field without its ownership rule) would be
  // rejected, and the gateway would never get its supergraph
  it.each(['crm', 'erp', 'psa'])('should find no field in %s that another system owns', (subgraph) => {
    const sdl = readFileSync(join(__dirname, '../../../subgraphs', subgraph, 'schema.graphql'), 'utf8');

    expect(ownershipViolations(subgraph, null, parse(sdl), engine)).toEqual([]);
  });
});

describe('the committed subgraph schemas in the registry’s publish order', () => {
  // Each service publishes at start, checked against what is already published: some order must let each compose
  // with the ones before it. A field one subgraph @requires of another makes it depend on that one; two subgraphs
  // depending on each other (a cycle) could never publish first, and registry-mode gateways would never start.
  it('should compose psa alone, then erp with it, then crm with both', () => {
    const sdlOf = (subgraph: string) => parse(readFileSync(join(__dirname, '../../../subgraphs', subgraph, 'schema.graphql'), 'utf8'));
    const published: { name: string; typeDefs: ReturnType<typeof parse> }[] = [];

    const problems = ['psa', 'erp', 'crm'].flatMap((subgraph) => {
      published.push({ name: subgraph, typeDefs: sdlOf(subgraph) });
      return (composeServices(published).errors ?? []).map((error) => `${subgraph}: ${error.message}`);
    });

    expect(problems).toEqual([]);
  });
});
