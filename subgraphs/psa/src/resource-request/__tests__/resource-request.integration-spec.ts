import { newId, QueryCounter } from '@concord/common';
import { postGraphQL, queryData, useTestService } from '@concord/testing';
import { DeliveryFactory } from '../../__tests__/delivery.factory';
import { PsaModule } from '../../app.module';

const FIELDS = DeliveryFactory.fields.request;
const CREATE = `mutation($input: CreateResourceRequestInput!) { createResourceRequest(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateResourceRequestInput!) { updateResourceRequest(id: $id, input: $input) { ${FIELDS} } }`;
const CANCEL = `mutation($id: ID!) { cancelResourceRequest(id: $id) { ${FIELDS} } }`;
const LIST = `query($filter: ResourceRequestFilter, $orderBy: ResourceRequestOrder) {
  resourceRequests(filter: $filter, orderBy: $orderBy) { edges { node { id } } } }`;

// jest ignores testTimeout inside a `projects` entry, so the 5 s default applies; a loaded CI machine needs more.
jest.setTimeout(60_000);

describe('ResourceRequest', () => {
  const counter = new QueryCounter();
  const sut = useTestService((databaseUrl) => PsaModule.forRoot({ databaseUrl, queryLogger: counter }), 'psa');
  let factory: DeliveryFactory;

  beforeAll(async () => {
    factory = new DeliveryFactory(sut.graphqlUrl);
  });

  const codeOf = (result: { errors?: { extensions?: Record<string, unknown> }[] }) => result.errors?.[0]?.extensions?.code;
  const idsOf = async (filter: Record<string, unknown>, orderBy?: Record<string, unknown>) =>
    (await queryData(sut.graphqlUrl, LIST, { filter, orderBy })).resourceRequests.edges.map(
      (edge: { node: { id: string } }) => edge.node.id,
    );

  it('should create an OPEN request and read it back with its project', async () => {
    const project = await factory.project();
    const sourceQuoteLineId = newId();

    const created = await factory.request(project.id, { hours: '80.5', skills: ['graphql', 'postgres'], sourceQuoteLineId });
    const { resourceRequest } = await queryData(
      sut.graphqlUrl,
      `query($id: ID!) { resourceRequest(id: $id) { ${FIELDS} project { id } assignment { id } } }`,
      {
        id: created.id,
      },
    );

    expect(created).toMatchObject({
      status: 'OPEN',
      hours: '80.50',
      skills: ['graphql', 'postgres'],
      sourceQuoteLineId,
      assignmentId: null,
    });
    expect(resourceRequest).toEqual({ ...created, project: { id: project.id }, assignment: null });
  });

  it('should list the requests of many projects in one statement (Project.resourceRequests)', async () => {
    const projects = [await factory.project(), await factory.project()];
    const late = await factory.request(projects[0].id, { startDate: '2025-04-01', endDate: '2025-04-30' });
    const early = await factory.request(projects[0].id, { startDate: '2025-03-01', endDate: '2025-03-31' });
    const other = await factory.request(projects[1].id);
    counter.reset();

    const { _entities } = await queryData(
      sut.graphqlUrl,
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Project { resourceRequests { id } } } }`,
      {
        representations: projects.map((project) => ({ __typename: 'Project', id: project.id })),
      },
    );

    expect(_entities).toEqual([{ resourceRequests: [{ id: early.id }, { id: late.id }] }, { resourceRequests: [{ id: other.id }] }]);
    expect(counter.count).toBe(2);
  });

  it('should filter by project, status, skill and period, and sort by start date', async () => {
    const project = await factory.project();
    const march = await factory.request(project.id, { startDate: '2025-03-01', endDate: '2025-03-31', skills: ['react'] });
    const april = await factory.request(project.id, { startDate: '2025-04-01', endDate: '2025-04-30', skills: ['graphql'] });
    const may = await factory.request(project.id, { startDate: '2025-05-01', endDate: '2025-05-31', skills: ['graphql'] });
    await queryData(sut.graphqlUrl, CANCEL, { id: may.id });

    expect(await idsOf({ projectId: project.id }, { field: 'START_DATE', direction: 'DESC' })).toEqual([may.id, april.id, march.id]);
    expect(await idsOf({ projectId: project.id, statusIn: ['OPEN'] })).toEqual([march.id, april.id]);
    expect(await idsOf({ projectId: project.id, skill: 'graphql' })).toEqual([april.id, may.id]);
    expect(await idsOf({ projectId: project.id, from: '2025-03-15', to: '2025-04-02' })).toEqual([march.id, april.id]);
  });

  it('should update an OPEN request', async () => {
    const project = await factory.project();
    const request = await factory.request(project.id);

    const { updateResourceRequest } = await queryData(sut.graphqlUrl, UPDATE, {
      id: request.id,
      input: { hours: '40', endDate: '2025-03-14' },
    });

    expect(updateResourceRequest).toEqual({ ...request, hours: '40.00', endDate: '2025-03-14' });
  });

  it('should cancel an OPEN request, and not cancel or change it again (INVALID_TRANSITION, CONFLICT)', async () => {
    const project = await factory.project();
    const request = await factory.request(project.id);

    const { cancelResourceRequest } = await queryData(sut.graphqlUrl, CANCEL, { id: request.id });
    const again = await postGraphQL(sut.graphqlUrl, CANCEL, { id: request.id });
    const update = await postGraphQL(sut.graphqlUrl, UPDATE, { id: request.id, input: { hours: '1' } });

    expect(cancelResourceRequest.status).toBe('CANCELLED');
    expect([codeOf(again), codeOf(update)]).toEqual(['INVALID_TRANSITION', 'CONFLICT']);
    expect(update.errors?.[0].extensions?.status).toBe('CANCELLED');
  });

  it('should refuse a second request for the same quote line with CONFLICT', async () => {
    const project = await factory.project();
    const sourceQuoteLineId = newId();
    await factory.request(project.id, { sourceQuoteLineId });

    const result = await postGraphQL(sut.graphqlUrl, CREATE, {
      input: { projectId: project.id, role: 'Architect', hours: '8', startDate: '2025-03-03', endDate: '2025-03-07', sourceQuoteLineId },
    });

    expect(codeOf(result)).toBe('CONFLICT');
    expect(await idsOf({ sourceQuoteLineId })).toHaveLength(1);
  });

  it.each([
    [{ hours: '0' }, 'hours'],
    [{ startDate: '2025-03-10', endDate: '2025-03-09' }, 'endDate'],
  ])('should not accept %j (BAD_USER_INPUT on %s) and write nothing', async (overrides, field) => {
    const project = await factory.project();

    const result = await postGraphQL(sut.graphqlUrl, CREATE, {
      input: { projectId: project.id, role: 'Architect', hours: '8', startDate: '2025-03-03', endDate: '2025-03-07', ...overrides },
    });

    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].extensions?.field).toBe(field);
    expect(await idsOf({ projectId: project.id })).toEqual([]);
  });

  it('should answer NOT_FOUND for an unknown project and CONFLICT for a cancelled one', async () => {
    const cancelled = await factory.projects.projectIn(['CANCELLED']);
    const input = { role: 'Architect', hours: '8', startDate: '2025-03-03', endDate: '2025-03-07' };

    const unknown = await postGraphQL(sut.graphqlUrl, CREATE, { input: { ...input, projectId: newId() } });
    const closed = await postGraphQL(sut.graphqlUrl, CREATE, { input: { ...input, projectId: cancelled.id } });

    expect([codeOf(unknown), codeOf(closed)]).toEqual(['NOT_FOUND', 'CONFLICT']);
  });
});
