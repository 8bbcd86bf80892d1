import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { ErrorCode } from '@concord/common';
import { parsePolicyBundle, PolicyEngine } from '@concord/policy';
import { postGraphQL } from '@concord/testing';
import { silentLogger, startTestSubgraph, type TestSubgraph } from '../../__tests__/fixtures/test-subgraphs';
import { startGateway, type RunningGateway } from '../../gateway';
import { GatewayRequestError } from '../../http/request-error';
import type { Authenticator } from '../../pipeline/pipeline.types';
import { createAccessRecorderStep, type AccessRead } from '../access-recorder';
import { createFieldPolicyStep, type FieldPolicyMode } from '../field-policy.step';
import { createUsageReporterStep, type UsageSink } from '../usage-reporter';

const PEOPLE_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query {
    people(filter: PersonFilter, orderBy: [PersonSort!]): [Person!]!
    person(id: ID!): Person
    node(id: ID!): Node
  }
  type Mutation { raise(id: ID!, salary: String!): Person }
  interface Node { id: ID! }
  type Person implements Node @key(fields: "id") { id: ID! name: String! salary: String email: String manager: Person }
  type Team implements Node { id: ID! budget: String }
  input PersonFilter { nameContains: String salaryAbove: String }
  enum PersonSort { NAME SALARY }
`;

const people = [
  { id: 'p1', name: 'Ada', salary: '100', email: 'ada@example.com', managerId: 'p2' },
  { id: 'p2', name: 'Grace', salary: '200', email: 'grace@example.com', managerId: null },
];

function peopleSchema() {
  const byId = (id: string) => people.find((person) => person.id === id) ?? null;
  return buildSubgraphSchema([
    {
      typeDefs: parse(PEOPLE_SDL),
      resolvers: {
        Query: {
          people: () => people,
          person: (_: unknown, { id }: { id: string }) => byId(id),
          node: (_: unknown, { id }: { id: string }) =>
            id.startsWith('t') ? { __typename: 'Team', id, budget: '5000' } : { __typename: 'Person', ...byId(id) },
        },
        Mutation: {
          raise: (_: unknown, { id, salary }: { id: string; salary: string }) => Object.assign(byId(id) ?? {}, { salary }),
        },
        Node: { __resolveType: (node: { __typename: string }) => node.__typename },
        Person: { manager: (person: { managerId: string | null }) => (person.managerId ? byId(person.managerId) : null) },
      } as never,
    },
  ]);
}

const bundle = parsePolicyBundle({
  version: 3,
  createdAt: '2026-12-01T00:00:00.000Z',
  roles: {
    staff: { description: 'reads public and internal', classifications: ['PUBLIC', 'INTERNAL'], rules: [] },
    hr: { description: 'reads everything', classifications: ['PUBLIC', 'INTERNAL', 'FINANCIAL', 'PII', 'MARGIN'], rules: [] },
  },
  classifications: {
    'Query.people': 'PUBLIC',
    'Query.person': 'PUBLIC',
    'Query.node': 'PUBLIC',
    'Mutation.raise': 'INTERNAL',
    'Node.id': 'PUBLIC',
    'Person.id': 'PUBLIC',
    'Person.name': 'INTERNAL',
    'Person.salary': 'MARGIN',
    'Person.email': 'PII',
    'Person.manager': 'INTERNAL',
    'Team.id': 'PUBLIC',
    'Team.budget': 'FINANCIAL',
    'PersonFilter.nameContains': 'INTERNAL',
    'PersonFilter.salaryAbove': 'MARGIN',
    'PersonSort.NAME': 'INTERNAL',
    'PersonSort.SALARY': 'MARGIN',
  },
  ownership: {},
});

/** "Bearer <sub>:<role>,<role>" → caller (JWT verification has its own tests). */
const authenticate: Authenticator = (headers) => {
  const [sub, roles] = headers.authorization?.replace(/^Bearer /, '').split(':') ?? [];
  if (!sub || roles === undefined) {
    throw GatewayRequestError.refused(ErrorCode.UNAUTHENTICATED, 'Missing token');
  }
  return { sub, roles: roles.split(',').filter(Boolean) };
};

const STAFF = { authorization: 'Bearer s1:staff' };
const HR = { authorization: 'Bearer h1:hr' };

describe('field policy step (gateway, before planning)', () => {
  let subgraph: TestSubgraph;
  const gateways: RunningGateway[] = [];
  let engine: PolicyEngine | undefined = new PolicyEngine(bundle);

  const reads: AccessRead[] = [];
  const usage: Parameters<UsageSink['record']>[0][] = [];

  async function gatewayWith(mode: FieldPolicyMode): Promise<RunningGateway> {
    const gateway = await startGateway({
      port: 0,
      subgraphs: [{ name: 'people', url: subgraph.url }],
      composeTimeoutMs: 5_000,
      logger: silentLogger(),
      authenticate,
      operationSteps: [
        createFieldPolicyStep({ policy: () => engine, mode, logger: silentLogger() }),
        createAccessRecorderStep({ record: (read) => reads.push(read) }),
        createUsageReporterStep({ record: (used) => usage.push(used) }, { requireClientName: mode === 'reject' }),
      ],
    });
    gateways.push(gateway);
    return gateway;
  }

  let filter: RunningGateway;

  beforeAll(async () => {
    subgraph = await startTestSubgraph('people', peopleSchema());
    filter = await gatewayWith('filter');
  });

  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.close()));
    await subgraph.close();
  });

  const forbidden = (path: (string | number)[], coordinate: string) =>
    expect.objectContaining({ path, extensions: expect.objectContaining({ code: ErrorCode.FORBIDDEN_FIELD, coordinate }) });

  it('answers null with one FORBIDDEN_FIELD error per path and leaves the other fields alone', async () => {
    const result = await postGraphQL(filter.url, '{ people { id name salary email } }', undefined, STAFF);
    expect(result.status).toBe(200);
    expect(result.data).toEqual({
      people: [
        { id: 'p1', name: 'Ada', salary: null, email: null },
        { id: 'p2', name: 'Grace', salary: null, email: null },
      ],
    });
    expect(result.errors).toHaveLength(4);
    expect(result.errors).toEqual(
      expect.arrayContaining([forbidden(['people', 0, 'salary'], 'Person.salary'), forbidden(['people', 1, 'email'], 'Person.email')]),
    );
  });

  it('never sends a removed field to the subgraph', async () => {
    subgraph.requests.length = 0;
    await postGraphQL(filter.url, '{ people { id salary } }', undefined, STAFF);
    expect(subgraph.requests.map((request) => request.body.query).join('\n')).not.toMatch(/salary/);
  });

  it('lets a role that reads the class see the values', async () => {
    const result = await postGraphQL(filter.url, '{ people { id salary email } }', undefined, HR);
    expect(result.errors).toBeUndefined();
    expect(result.data?.people[0]).toEqual({ id: 'p1', salary: '100', email: 'ada@example.com' });
  });

  it('follows aliases, named fragments, inline fragments and nesting', async () => {
    const query = `
      query Aliased { crew: people { pay: salary ...Contact manager { ... on Person { boss_pay: salary name } } } }
      fragment Contact on Person { mail: email name }`;
    const result = await postGraphQL(filter.url, query, undefined, STAFF);
    expect(result.data?.crew[0]).toEqual({ pay: null, mail: null, name: 'Ada', manager: { boss_pay: null, name: 'Grace' } });
    expect(result.data?.crew[1]).toEqual({ pay: null, mail: null, name: 'Grace', manager: null });
    expect(result.errors).toEqual(
      expect.arrayContaining([
        forbidden(['crew', 0, 'pay'], 'Person.salary'),
        forbidden(['crew', 1, 'mail'], 'Person.email'),
        forbidden(['crew', 0, 'manager', 'boss_pay'], 'Person.salary'),
      ]),
    );
    // no error where the parent is null (p2 has no manager)
    expect(result.errors).toHaveLength(5);
  });

  it('covers fields reached through an interface and its implementations', async () => {
    const viaInterface = await postGraphQL(filter.url, '{ node(id: "t1") { id ... on Team { budget } } }', undefined, STAFF);
    expect(viaInterface.data).toEqual({ node: { id: 't1', budget: null } });
    expect(viaInterface.errors).toEqual([forbidden(['node', 'budget'], 'Team.budget')]);
  });

  it('removes a field filtered or sorted by a forbidden coordinate, literal or via variables', async () => {
    const literal = await postGraphQL(filter.url, '{ people(filter: { salaryAbove: "150" }) { id } }', undefined, STAFF);
    expect(literal.data).toEqual({ people: null });
    expect(literal.errors).toEqual([forbidden(['people'], 'PersonFilter.salaryAbove')]);

    const sorted = await postGraphQL(filter.url, '{ people(orderBy: [NAME, SALARY]) { id } }', undefined, STAFF);
    expect(sorted.errors).toEqual([forbidden(['people'], 'PersonSort.SALARY')]);

    const query = 'query ($f: PersonFilter, $o: [PersonSort!]) { people(filter: $f, orderBy: $o) { id } }';
    const viaVariables = await postGraphQL(filter.url, query, { f: { salaryAbove: '1' } }, STAFF);
    expect(viaVariables.errors).toEqual([forbidden(['people'], 'PersonFilter.salaryAbove')]);
    const enumVariable = await postGraphQL(filter.url, query, { o: 'SALARY' }, STAFF);
    expect(enumVariable.errors).toEqual([forbidden(['people'], 'PersonSort.SALARY')]);

    // the same document with harmless variables runs normally (plans that depend on variables are not cached)
    const allowed = await postGraphQL(filter.url, query, { f: { nameContains: 'A' }, o: ['NAME'] }, STAFF);
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data?.people).toHaveLength(2);
  });

  it('decides nothing for selections @skip / @include leave out, literal or by variable', async () => {
    const literal = await postGraphQL(filter.url, '{ people { id salary @skip(if: true) email @include(if: false) } }', undefined, STAFF);
    expect(literal.errors).toBeUndefined();
    expect(literal.data?.people[0]).toEqual({ id: 'p1' });

    const query = 'query ($pay: Boolean!) { people { id salary @include(if: $pay) } }';
    const without = await postGraphQL(filter.url, query, { pay: false }, STAFF);
    expect(without.errors).toBeUndefined();
    expect(without.data?.people[0]).toEqual({ id: 'p1' });
    // the same document with the condition on is decided again, not served from the plan cached above
    const withPay = await postGraphQL(filter.url, query, { pay: true }, STAFF);
    expect(withPay.data?.people[0]).toEqual({ id: 'p1', salary: null });
    expect(withPay.errors).toEqual([
      forbidden(['people', 0, 'salary'], 'Person.salary'),
      forbidden(['people', 1, 'salary'], 'Person.salary'),
    ]);
  });

  it('keeps the response shape when every field of a selection is removed', async () => {
    const result = await postGraphQL(filter.url, '{ person(id: "p1") { salary email } }', undefined, STAFF);
    expect(result.data).toEqual({ person: { salary: null, email: null } });
    expect(result.errors).toHaveLength(2);
  });

  it('applies to what a mutation returns', async () => {
    const result = await postGraphQL(filter.url, 'mutation { raise(id: "p2", salary: "250") { id salary } }', undefined, STAFF);
    expect(result.data).toEqual({ raise: { id: 'p2', salary: null } });
    expect(result.errors).toEqual([forbidden(['raise', 'salary'], 'Person.salary')]);
  });

  it('cannot be bypassed with _entities, which the client graph does not expose', async () => {
    const result = await postGraphQL(
      filter.url,
      '{ _entities(representations: [{ __typename: "Person", id: "p1" }]) { ... on Person { salary } } }',
      undefined,
      STAFF,
    );
    expect(result.status).toBe(400);
    expect(result.data).toBeUndefined();
  });

  it('allows introspection, which describes the schema and no data', async () => {
    const result = await postGraphQL(filter.url, '{ __type(name: "Person") { fields { name } } }', undefined, STAFF);
    expect(result.errors).toBeUndefined();
    expect(result.data?.__type.fields.map((field: { name: string }) => field.name)).toContain('salary');
  });

  it('in reject mode refuses the whole operation with 403', async () => {
    const gateway = await gatewayWith('reject');
    const client = { ...STAFF, 'apollographql-client-name': 'reports' };
    const refused = await postGraphQL(gateway.url, '{ people { id salary } }', undefined, client);
    expect(refused.status).toBe(403);
    expect(refused.data).toBeUndefined();
    expect(refused.errors?.[0]?.extensions).toEqual(
      expect.objectContaining({ code: ErrorCode.FORBIDDEN_FIELD, coordinates: ['Person.salary'] }),
    );
    const allowed = await postGraphQL(gateway.url, '{ people { id name } }', undefined, client);
    expect(allowed.status).toBe(200);
  });

  it('in dry-run mode lets everything through', async () => {
    const gateway = await gatewayWith('dry-run');
    const result = await postGraphQL(gateway.url, '{ people { id salary } }', undefined, STAFF);
    expect(result.errors).toBeUndefined();
    expect(result.data?.people[0].salary).toBe('100');
  });

  it('fails closed with 503 while no policy bundle is loaded', async () => {
    const loaded = engine;
    engine = undefined;
    try {
      const result = await postGraphQL(filter.url, '{ people { id } }', undefined, HR);
      expect(result.status).toBe(503);
      expect(result.errors?.[0]?.extensions?.code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
    } finally {
      engine = loaded;
    }
  });

  describe('access events', () => {
    beforeEach(() => {
      reads.length = 0;
    });

    it('records who read which classified coordinates of which ids, per entity type', async () => {
      await postGraphQL(filter.url, 'query Payroll { people { id name salary email } }', undefined, HR);
      expect(reads).toEqual([
        expect.objectContaining({
          sub: 'h1',
          roles: ['hr'],
          entity: 'Person',
          coordinates: ['Person.email', 'Person.salary'],
          ids: ['p1', 'p2'],
          operationName: 'Payroll',
          policyVersion: 3,
          operationHash: expect.any(String),
        }),
      ]);
    });

    it('records no read for unclassified fields or null answers', async () => {
      await postGraphQL(filter.url, '{ people { id name } }', undefined, HR);
      await postGraphQL(filter.url, '{ person(id: "nobody") { id salary } }', undefined, HR);
      expect(reads).toEqual([]);
    });

    it('records the fields it removed as a denied attempt, and no read of them', async () => {
      await postGraphQL(filter.url, 'query Peek { people { id name salary email } }', undefined, STAFF);
      expect(reads).toEqual([
        expect.objectContaining({
          kind: 'denied',
          sub: 's1',
          entity: 'Person',
          coordinates: ['Person.email', 'Person.salary'],
          ids: [],
          operationName: 'Peek',
        }),
      ]);
    });

    it('reaches through aliases and nesting, without ids when the operation did not select them', async () => {
      await postGraphQL(filter.url, '{ crew: people { boss: manager { pay: salary } } }', undefined, HR);
      expect(reads).toEqual([expect.objectContaining({ entity: 'Person', coordinates: ['Person.salary'], ids: [] })]);
    });
  });

  describe('client usage', () => {
    beforeEach(() => {
      usage.length = 0;
    });

    it('reports every coordinate an identified client version selects, removed ones included', async () => {
      await postGraphQL(filter.url, 'query Roster { people { id name salary manager { name } } }', undefined, {
        ...STAFF,
        'apollographql-client-name': 'console',
        'apollographql-client-version': '1.4.0',
      });
      expect(usage).toEqual([
        {
          clientName: 'console',
          clientVersion: '1.4.0',
          operationName: 'Roster',
          operationHash: expect.any(String),
          coordinates: ['Person.id', 'Person.manager', 'Person.name', 'Person.salary', 'Query.people'],
        },
      ]);
    });

    it('reports the arguments, input fields and enum values an operation gives, literal or from variables', async () => {
      const client = { ...HR, 'apollographql-client-name': 'console', 'apollographql-client-version': '1.4.0' };
      const literal = '{ people(filter: { nameContains: "A", salaryAbove: null }, orderBy: [NAME]) { id } person(id: "p1") { id } }';
      const byVariables = 'query Sorted($f: PersonFilter, $o: [PersonSort!] = [NAME]) { people(filter: $f, orderBy: $o) { id } }';

      await postGraphQL(filter.url, literal, undefined, client);
      await postGraphQL(filter.url, byVariables, { f: { salaryAbove: '10' }, o: ['SALARY'] }, client);
      await postGraphQL(filter.url, byVariables, {}, client);

      expect(usage.map((used) => used.coordinates)).toEqual([
        [
          'Person.id',
          'PersonFilter.nameContains',
          'PersonFilter.salaryAbove',
          'PersonSort.NAME',
          'Query.people',
          'Query.people.filter',
          'Query.people.orderBy',
          'Query.person',
          'Query.person.id',
        ],
        ['Person.id', 'PersonFilter.salaryAbove', 'PersonSort.SALARY', 'Query.people', 'Query.people.filter', 'Query.people.orderBy'],
        // the same document with other values: the variables' values are the request's own, the default stands in for one left out
        ['Person.id', 'PersonSort.NAME', 'Query.people', 'Query.people.filter', 'Query.people.orderBy'],
      ]);
    });

    it('calls a client that does not identify unknown, unless the deployment requires the header (400)', async () => {
      await postGraphQL(filter.url, '{ people { id } }', undefined, STAFF);
      expect(usage[0]).toMatchObject({ clientName: 'unknown', clientVersion: 'unknown' });

      // this file's reject-mode gateways also require client names
      const strict = await gatewayWith('reject');
      const refused = await postGraphQL(strict.url, '{ people { id } }', undefined, STAFF);
      expect(refused.status).toBe(400);
      expect(refused.errors?.[0]?.message).toMatch(/apollographql-client-name/);
      const identified = await postGraphQL(strict.url, '{ people { id } }', undefined, {
        ...STAFF,
        'apollographql-client-name': 'batch-job',
      });
      expect(identified.status).toBe(200);
    });
  });

  it('follows a new bundle version at once', async () => {
    const loaded = engine!;
    engine = new PolicyEngine({ ...bundle, version: 4, classifications: { ...bundle.classifications, 'Person.salary': 'INTERNAL' } });
    try {
      const result = await postGraphQL(filter.url, '{ people { salary } }', undefined, STAFF);
      expect(result.errors).toBeUndefined();
    } finally {
      engine = loaded;
    }
  });
});
