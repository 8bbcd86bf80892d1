import { newId } from '@concord/common';
import { postGraphQL, queryData, useTestService } from '@concord/testing';
import { DeliveryFactory } from '../../__tests__/delivery.factory';
import { PsaModule } from '../../app.module';

const FIELDS = DeliveryFactory.fields.resource;
const CREATE = `mutation($input: CreateResourceInput!) { createResource(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateResourceInput!) { updateResource(id: $id, input: $input) { ${FIELDS} } }`;
const LIST = `query($filter: ResourceFilter, $orderBy: ResourceOrder, $first: Int, $after: String) {
  resources(filter: $filter, orderBy: $orderBy, first: $first, after: $after) { edges { node { id name } } pageInfo { hasNextPage endCursor } } }`;

type Edge = { node: { id: string; name: string } };

// jest ignores testTimeout inside a `projects` entry, so the 5 s default applies; a loaded CI machine needs more.
jest.setTimeout(60_000);

describe('Resource', () => {
  const sut = useTestService((databaseUrl) => PsaModule.forRoot({ databaseUrl }), 'psa');
  let factory: DeliveryFactory;

  beforeAll(async () => {
    factory = new DeliveryFactory(sut.graphqlUrl);
  });

  const codeOf = (result: { errors?: { extensions?: Record<string, unknown> }[] }) => result.errors?.[0]?.extensions?.code;
  const names = async (filter: Record<string, unknown>, orderBy?: Record<string, unknown>) =>
    (await queryData(sut.graphqlUrl, LIST, { filter, orderBy })).resources.edges.map((edge: Edge) => edge.node.name);

  it('should create a resource and read it back by id and through _entities, with the cost rate as Money', async () => {
    const legalEntityId = newId();
    const created = await factory.resource({
      costRate: '62.5',
      capacityHoursPerWeek: '37.5',
      utilizationTargetPct: '75',
      utilizationTargetEffectiveDate: '2025-01-01',
      legalEntityId,
    });

    const { resource } = await queryData(sut.graphqlUrl, `query($id: ID!) { resource(id: $id) { ${FIELDS} } }`, { id: created.id });
    const { _entities } = await queryData(
      sut.graphqlUrl,
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Resource { id name } } }`,
      {
        representations: [{ __typename: 'Resource', id: created.id }],
      },
    );

    expect(resource).toEqual(created);
    expect(resource).toMatchObject({
      costRate: { amount: '62.50', currency: 'EUR' },
      capacityHoursPerWeek: '37.50',
      utilizationTargetPct: '75.00',
      utilizationTargetEffectiveDate: '2025-01-01',
      legalEntityId,
      active: true,
    });
    expect(_entities).toEqual([{ id: created.id, name: created.name }]);
  });

  it('should keep a cost rate with sub-cent precision', async () => {
    const resource = await factory.resource({ costRate: '45.123456', currency: 'USD' });

    expect(resource.costRate).toEqual({ amount: '45.123456', currency: 'USD' });
  });

  it('should filter by name, role and active flag, and sort and page by name', async () => {
    const tag = newId().slice(-8);
    for (const [index, role] of ['Developer', 'Architect', 'Developer'].entries()) {
      await factory.resource({ name: `Team ${tag} ${index}`, primaryRole: role });
    }
    const inactive = await factory.resource({ name: `Team ${tag} 3`, primaryRole: 'Developer', active: false });
    const page = async (after?: string) =>
      (await queryData(sut.graphqlUrl, LIST, { filter: { nameContains: tag }, first: 3, after })).resources;

    const first = await page();
    const second = await page(first.pageInfo.endCursor);

    expect([...first.edges, ...second.edges].map((edge: Edge) => edge.node.name)).toEqual(
      [0, 1, 2, 3].map((index) => `Team ${tag} ${index}`),
    );
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect(await names({ nameContains: tag, primaryRole: 'Developer', active: true }, { field: 'NAME', direction: 'DESC' })).toEqual([
      `Team ${tag} 2`,
      `Team ${tag} 0`,
    ]);
    expect(await names({ nameContains: tag, active: false })).toEqual([inactive.name]);
  });

  it('should update only the given fields', async () => {
    const resource = await factory.resource();

    const { updateResource } = await queryData(sut.graphqlUrl, UPDATE, { id: resource.id, input: { costRate: '70', active: false } });

    expect(updateResource).toEqual({ ...resource, costRate: { amount: '70.00', currency: 'EUR' }, active: false });
  });

  it('should refuse a second resource for the same person with CONFLICT and write nothing', async () => {
    const resource = await factory.resource();

    const result = await postGraphQL(sut.graphqlUrl, CREATE, {
      input: factory.resourceInput({ personId: resource.personId, name: 'Twin' }),
    });

    expect(codeOf(result)).toBe('CONFLICT');
    expect(await names({ nameContains: 'Twin' })).toEqual([]);
  });

  it('should refuse invalid input with BAD_USER_INPUT naming the problems', async () => {
    const result = await postGraphQL(sut.graphqlUrl, CREATE, {
      input: factory.resourceInput({ currency: 'euro', costRate: '-5', capacityHoursPerWeek: 'forty' }),
    });

    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].extensions?.problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('currency'),
        expect.stringContaining('costRate'),
        expect.stringContaining('capacityHoursPerWeek'),
      ]),
    );
  });

  it.each([
    [{ capacityHoursPerWeek: '169' }, 'capacityHoursPerWeek'],
    [{ utilizationTargetPct: '80' }, 'utilizationTargetEffectiveDate'],
    [{ utilizationTargetPct: '80', utilizationTargetEffectiveDate: '2025-02-29' }, 'utilizationTargetEffectiveDate'],
  ])('should not accept %j (BAD_USER_INPUT on %s)', async (overrides, field) => {
    const input = factory.resourceInput(overrides);

    const result = await postGraphQL(sut.graphqlUrl, CREATE, { input });

    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].extensions?.field).toBe(field);
    expect(await names({ personId: input.personId })).toEqual([]);
  });

  it('should not let an update remove the date of a utilization target', async () => {
    const resource = await factory.resource({ utilizationTargetPct: '70', utilizationTargetEffectiveDate: '2025-01-01' });

    const result = await postGraphQL(sut.graphqlUrl, UPDATE, { id: resource.id, input: { utilizationTargetEffectiveDate: null } });

    expect(codeOf(result)).toBe('BAD_USER_INPUT');
  });

  it('should answer NOT_FOUND when updating a resource that does not exist', async () => {
    const result = await postGraphQL(sut.graphqlUrl, UPDATE, { id: newId(), input: { name: 'x' } });

    expect(codeOf(result)).toBe('NOT_FOUND');
  });
});
