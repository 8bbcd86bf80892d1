import { newId, QueryCounter } from '@concord/common';
import { postGraphQL, queryData, useTestService } from '@concord/testing';
import { DeliveryFactory } from '../../__tests__/delivery.factory';
import { PsaModule } from '../../app.module';

const FIELDS = DeliveryFactory.fields.assignment;
const CREATE = `mutation($input: CreateAssignmentInput!) { createAssignment(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateAssignmentInput!) { updateAssignment(id: $id, input: $input) { ${FIELDS} } }`;
const TRANSITION = `mutation($id: ID!, $to: AssignmentStatus!) { transitionAssignment(id: $id, to: $to) { ${FIELDS} } }`;
const GET = `query($id: ID!) { assignment(id: $id) { ${FIELDS} } }`;
const LIST = `query($filter: AssignmentFilter, $orderBy: AssignmentOrder) { assignments(filter: $filter, orderBy: $orderBy) { edges { node { id } } } }`;

// jest ignores testTimeout inside a `projects` entry, so the 5 s default applies; a loaded CI machine needs more.
jest.setTimeout(60_000);

describe('Assignment', () => {
  const counter = new QueryCounter();
  const sut = useTestService((databaseUrl) => PsaModule.forRoot({ databaseUrl, queryLogger: counter }), 'psa');
  let factory: DeliveryFactory;

  beforeAll(async () => {
    factory = new DeliveryFactory(sut.graphqlUrl);
  });

  const codeOf = (result: { errors?: { extensions?: Record<string, unknown> }[] }) => result.errors?.[0]?.extensions?.code;
  const getAssignment = async (id: string) => (await queryData(sut.graphqlUrl, GET, { id })).assignment;
  const idsOf = async (filter: Record<string, unknown>, orderBy?: Record<string, unknown>) =>
    (await queryData(sut.graphqlUrl, LIST, { filter, orderBy })).assignments.edges.map((edge: { node: { id: string } }) => edge.node.id);

  describe('create', () => {
    it('should book a resource with its cost rate snapshotted in the project currency', async () => {
      const project = await factory.project();
      const resource = await factory.resource({ costRate: '61.25', primaryRole: 'Data Engineer' });

      const created = await factory.assignment(project.id, resource.id, { status: undefined });
      const { assignment } = await queryData(
        sut.graphqlUrl,
        `query($id: ID!) { assignment(id: $id) { id project { id } resource { id } resourceRequest { id } } }`,
        {
          id: created.id,
        },
      );

      expect(created).toMatchObject({
        role: 'Data Engineer',
        billRate: { amount: '150.00', currency: 'EUR' },
        costRate: { amount: '61.25', currency: 'EUR' },
        currency: 'EUR',
        scheduledHours: '160.00',
        status: 'SOFT',
        resourceRequestId: null,
      });
      expect(assignment).toEqual({ id: created.id, project: { id: project.id }, resource: { id: resource.id }, resourceRequest: null });
      expect(await getAssignment(created.id)).toEqual(created);
    });

    it('should need a cost rate when the resource is costed in another currency', async () => {
      const project = await factory.project({ currency: 'USD' });
      const resource = await factory.resource({ currency: 'EUR' });

      const refused = await postGraphQL(sut.graphqlUrl, CREATE, { input: factory.assignmentInput(project.id, resource.id) });
      const given = await factory.assignment(project.id, resource.id, { costRate: '66' });

      expect(codeOf(refused)).toBe('BAD_USER_INPUT');
      expect(refused.errors?.[0].extensions?.field).toBe('costRate');
      expect(given.costRate).toEqual({ amount: '66.00', currency: 'USD' });
      expect(await idsOf({ projectId: project.id })).toEqual([given.id]);
    });

    it('should fulfil a resource request in the same transaction, taking its role, hours and dates', async () => {
      const project = await factory.project();
      const resource = await factory.resource();
      const request = await factory.request(project.id, { role: 'Architect', hours: '80', startDate: '2025-03-03', endDate: '2025-03-28' });

      const { createAssignment } = await queryData(sut.graphqlUrl, CREATE, {
        input: { resourceId: resource.id, resourceRequestId: request.id, billRate: '175' },
      });
      const { resourceRequest } = await queryData(
        sut.graphqlUrl,
        `query($id: ID!) { resourceRequest(id: $id) { status assignmentId assignment { id } } }`,
        { id: request.id },
      );

      expect(createAssignment).toMatchObject({
        projectId: project.id,
        resourceRequestId: request.id,
        role: 'Architect',
        scheduledHours: '80.00',
        startDate: '2025-03-03',
        endDate: '2025-03-28',
      });
      expect(resourceRequest).toEqual({ status: 'FULFILLED', assignmentId: createAssignment.id, assignment: { id: createAssignment.id } });
    });

    it('should not fulfil a request twice (INVALID_TRANSITION) and write no second assignment', async () => {
      const project = await factory.project();
      const request = await factory.request(project.id);
      const first = await factory.assignment(project.id, (await factory.resource()).id, { resourceRequestId: request.id });
      const other = await factory.resource();

      const result = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: { resourceId: other.id, resourceRequestId: request.id, billRate: '150' },
      });

      expect(codeOf(result)).toBe('INVALID_TRANSITION');
      expect(await idsOf({ projectId: project.id })).toEqual([first.id]);
    });

    it('should not fulfil a request of another project, nor book an inactive resource', async () => {
      const project = await factory.project();
      const otherProject = await factory.project();
      const request = await factory.request(otherProject.id);
      const resource = await factory.resource();
      const inactive = await factory.resource({ active: false });

      const foreign = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: factory.assignmentInput(project.id, resource.id, { resourceRequestId: request.id }),
      });
      const dormant = await postGraphQL(sut.graphqlUrl, CREATE, { input: factory.assignmentInput(project.id, inactive.id) });

      expect([codeOf(foreign), codeOf(dormant)]).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
      expect([foreign.errors?.[0].extensions?.field, dormant.errors?.[0].extensions?.field]).toEqual(['resourceRequestId', 'resourceId']);
      expect(await idsOf({ projectId: project.id })).toEqual([]);
    });

    it('should refuse invalid input (BAD_USER_INPUT) and unknown references (NOT_FOUND)', async () => {
      const project = await factory.project();
      const resource = await factory.resource();

      const malformed = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: factory.assignmentInput(project.id, resource.id, { billRate: '1.1234567', status: 'COMPLETED' }),
      });
      const backwards = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: factory.assignmentInput(project.id, resource.id, { startDate: '2025-04-01', endDate: '2025-03-01' }),
      });
      const noProject = await postGraphQL(sut.graphqlUrl, CREATE, { input: factory.assignmentInput(newId(), resource.id) });
      const noResource = await postGraphQL(sut.graphqlUrl, CREATE, { input: factory.assignmentInput(project.id, newId()) });

      expect(codeOf(malformed)).toBe('BAD_USER_INPUT');
      expect(malformed.errors?.[0].extensions?.problems).toEqual(
        expect.arrayContaining([expect.stringContaining('billRate'), expect.stringContaining('status')]),
      );
      expect(codeOf(backwards)).toBe('BAD_USER_INPUT');
      expect([codeOf(noProject), codeOf(noResource)]).toEqual(['NOT_FOUND', 'NOT_FOUND']);
    });
  });

  describe('update and transitions', () => {
    it('should go SOFT → HARD → COMPLETED and then refuse changes (CONFLICT)', async () => {
      const { project } = await factory.staffed();
      const assignment = await factory.assignment(project.id, (await factory.resource()).id, { status: 'SOFT' });

      const hard = (await queryData(sut.graphqlUrl, TRANSITION, { id: assignment.id, to: 'HARD' })).transitionAssignment;
      const completed = (await queryData(sut.graphqlUrl, TRANSITION, { id: assignment.id, to: 'COMPLETED' })).transitionAssignment;
      const update = await postGraphQL(sut.graphqlUrl, UPDATE, { id: assignment.id, input: { scheduledHours: '10' } });

      expect([hard.status, completed.status]).toEqual(['HARD', 'COMPLETED']);
      expect(codeOf(update)).toBe('CONFLICT');
    });

    it.each([
      [[], 'COMPLETED'],
      [['HARD', 'COMPLETED'], 'CANCELLED'],
      [['CANCELLED'], 'HARD'],
    ])('should not go from SOFT%j to %s (INVALID_TRANSITION) and change nothing', async (path, to) => {
      const project = await factory.project();
      const assignment = await factory.assignment(project.id, (await factory.resource()).id, { status: 'SOFT' });
      for (const step of path) {
        await queryData(sut.graphqlUrl, TRANSITION, { id: assignment.id, to: step });
      }
      const before = await getAssignment(assignment.id);

      const result = await postGraphQL(sut.graphqlUrl, TRANSITION, { id: assignment.id, to });

      expect(codeOf(result)).toBe('INVALID_TRANSITION');
      expect(await getAssignment(assignment.id)).toEqual(before);
    });

    it('should change rates and period, but not shrink the period past logged time (CONFLICT)', async () => {
      const { assignment } = await factory.staffed();
      await factory.timeEntry(assignment.id, { date: '2025-03-20' });

      const { updateAssignment } = await queryData(sut.graphqlUrl, UPDATE, {
        id: assignment.id,
        input: { billRate: '160', endDate: '2025-03-21' },
      });
      const shrink = await postGraphQL(sut.graphqlUrl, UPDATE, { id: assignment.id, input: { endDate: '2025-03-19' } });

      expect(updateAssignment).toMatchObject({ billRate: { amount: '160.00', currency: 'EUR' }, endDate: '2025-03-21' });
      expect(codeOf(shrink)).toBe('CONFLICT');
      expect(shrink.errors?.[0].extensions?.entries).toBe(1);
      expect((await getAssignment(assignment.id)).endDate).toBe('2025-03-21');
    });
  });

  describe('queries', () => {
    it('should filter by project, resource, status and period, and sort by start date', async () => {
      const project = await factory.project();
      const resource = await factory.resource();
      const march = await factory.assignment(project.id, resource.id, { startDate: '2025-03-01', endDate: '2025-03-31', status: 'SOFT' });
      const april = await factory.assignment(project.id, resource.id, { startDate: '2025-04-01', endDate: '2025-04-30' });
      const someoneElse = await factory.assignment(project.id, (await factory.resource()).id, {
        startDate: '2025-05-01',
        endDate: '2025-05-31',
      });

      expect(await idsOf({ projectId: project.id }, { field: 'START_DATE', direction: 'DESC' })).toEqual([
        someoneElse.id,
        april.id,
        march.id,
      ]);
      expect(await idsOf({ projectId: project.id, resourceId: resource.id })).toEqual([march.id, april.id]);
      expect(await idsOf({ projectId: project.id, statusIn: ['HARD'] })).toEqual([april.id, someoneElse.id]);
      expect(await idsOf({ projectId: project.id, from: '2025-04-15', to: '2025-05-01' })).toEqual([april.id, someoneElse.id]);
    });

    it('should load Project.assignments and Resource.assignments of many parents in one statement each', async () => {
      const projects = [await factory.project(), await factory.project()];
      const resources = [await factory.resource(), await factory.resource()];
      const booked = [
        await factory.assignment(projects[0].id, resources[0].id, { startDate: '2025-04-01', endDate: '2025-04-30' }),
        await factory.assignment(projects[0].id, resources[1].id, { startDate: '2025-03-01', endDate: '2025-03-31', status: 'SOFT' }),
        await factory.assignment(projects[1].id, resources[0].id),
      ];
      counter.reset();

      const { _entities } = await queryData(
        sut.graphqlUrl,
        `query($representations: [_Any!]!) { _entities(representations: $representations) {
          ... on Project { assignments { id } hard: assignments(statusIn: [HARD], first: 1) { id } }
          ... on Resource { assignments { id } } } }`,
        {
          representations: [
            ...projects.map(({ id }) => ({ __typename: 'Project', id })),
            ...resources.map(({ id }) => ({ __typename: 'Resource', id })),
          ],
        },
      );

      expect(_entities).toEqual([
        { assignments: [{ id: booked[1].id }, { id: booked[0].id }], hard: [{ id: booked[0].id }] },
        { assignments: [{ id: booked[2].id }], hard: [{ id: booked[2].id }] },
        { assignments: [{ id: booked[2].id }, { id: booked[0].id }] },
        { assignments: [{ id: booked[1].id }] },
      ]);
      // projects, resources, Project.assignments twice (two argument sets), Resource.assignments
      expect(counter.count).toBe(5);
    });
  });
});
