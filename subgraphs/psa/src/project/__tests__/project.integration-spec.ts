import { newId, QueryCounter } from '@concord/common';
import { postGraphQL, queryData, useTestService } from '@concord/testing';
import { ProjectStructureFactory } from '../../__tests__/project-structure.factory';
import { PsaModule } from '../../app.module';

const UPDATE = `mutation($id: ID!, $input: UpdateProjectInput!) { updateProject(id: $id, input: $input) { ${ProjectStructureFactory.fields.project} } }`;
const TRANSITION = `mutation($id: ID!, $to: ProjectStatus!) { transitionProject(id: $id, to: $to) { id status } }`;
const CREATE = `mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }`;

type Edge = { node: Record<string, any> };
const today = () => new Date().toISOString().slice(0, 10);

describe('Project', () => {
  const counter = new QueryCounter();
  const sut = useTestService((databaseUrl) => PsaModule.forRoot({ databaseUrl, queryLogger: counter }), 'psa');
  let factory: ProjectStructureFactory;

  beforeAll(async () => {
    factory = new ProjectStructureFactory(sut.graphqlUrl);
  });

  const codes = (connection: { edges: Edge[] }) => connection.edges.map((edge) => edge.node.code);

  describe('create and update', () => {
    it('should create a project in SETUP and read it back by id with its references', async () => {
      const contractId = newId();
      const created = await factory.project({
        contractId,
        budget: '120000.5',
        budgetHours: '800',
        billingModel: 'FIXED',
        pricingType: 'PROJECT_RATE',
        currency: 'GBP',
      });

      const { project } = await queryData(
        sut.graphqlUrl,
        `query($id: ID!) { project(id: $id) { id status health billingModel pricingType percentComplete percentCompleteMethod budget { amount currency } budgetHours
           client { id } contract { id } opportunity { id } } }`,
        { id: created.id },
      );

      expect(project).toEqual({
        id: created.id,
        status: 'SETUP',
        health: 'GREEN',
        billingModel: 'FIXED',
        pricingType: 'PROJECT_RATE',
        percentComplete: '0.00',
        percentCompleteMethod: 'MANUAL',
        budget: { amount: '120000.50', currency: 'GBP' },
        budgetHours: '800.00',
        client: { id: created.clientId },
        contract: { id: contractId },
        opportunity: null,
      });
    });

    it('should answer null for a project that does not exist', async () => {
      const { project } = await queryData(sut.graphqlUrl, `query($id: ID!) { project(id: $id) { id } }`, { id: newId() });

      expect(project).toBeNull();
    });

    it('should update only the given fields', async () => {
      const created = await factory.project({ budget: '1000' });

      const { updateProject } = await queryData(sut.graphqlUrl, UPDATE, {
        id: created.id,
        input: { health: 'AMBER', plannedEnd: '2025-12-31', budget: '1500.25' },
      });

      expect(updateProject).toMatchObject({
        health: 'AMBER',
        plannedEnd: '2025-12-31',
        budget: { amount: '1500.25', currency: 'EUR' },
        code: created.code,
        name: created.name,
      });
    });

    it('should refuse a duplicate code with CONFLICT and write nothing', async () => {
      const existing = await factory.project();
      const input = factory.projectInput({ code: existing.code, name: 'Duplicate code project' });

      const result = await postGraphQL(sut.graphqlUrl, CREATE, { input });

      expect(result.errors?.[0].extensions?.code).toBe('CONFLICT');
      const { projects } = await queryData(
        sut.graphqlUrl,
        `{ projects(filter: { codeOrNameContains: "Duplicate code project" }) { edges { node { id } } } }`,
      );
      expect(projects.edges).toHaveLength(0);
    });

    it('should refuse invalid input with BAD_USER_INPUT naming the problems', async () => {
      const input = factory.projectInput({
        code: 'bad code!',
        currency: 'euro',
        plannedStart: '2025-13-01',
        budget: '-5',
        clientId: 'not-a-uuid',
      });

      const result = await postGraphQL(sut.graphqlUrl, CREATE, { input });

      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0].extensions?.problems).toEqual(
        expect.arrayContaining([
          expect.stringContaining('code'),
          expect.stringContaining('currency'),
          expect.stringContaining('plannedStart'),
          expect.stringContaining('budget'),
          expect.stringContaining('clientId'),
        ]),
      );
    });

    it('should refuse a planned end before the planned start with BAD_USER_INPUT', async () => {
      const result = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: factory.projectInput({ plannedStart: '2025-06-01', plannedEnd: '2025-05-31' }),
      });

      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('should answer NOT_FOUND when updating a project that does not exist', async () => {
      const result = await postGraphQL(sut.graphqlUrl, UPDATE, { id: newId(), input: { name: 'x' } });

      expect(result.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });

    it('should not update a CLOSED project', async () => {
      const closed = await factory.projectIn(['ACTIVE', 'COMPLETED', 'CLOSED']);

      const result = await postGraphQL(sut.graphqlUrl, UPDATE, { id: closed.id, input: { name: 'Renamed' } });

      expect(result.errors?.[0].extensions?.code).toBe('CONFLICT');
      expect((await factory.getProject(closed.id)).name).toBe(closed.name);
    });
  });

  describe('percent complete', () => {
    it('should accept a manual percent complete with the MANUAL method', async () => {
      const created = await factory.project();

      const { updateProject } = await queryData(sut.graphqlUrl, UPDATE, { id: created.id, input: { percentComplete: '42.5' } });

      expect(updateProject.percentComplete).toBe('42.50');
    });

    it('should not accept a manual percent complete with a computed method', async () => {
      const created = await factory.project({ percentCompleteMethod: 'AVG_PROGRESS' });

      const result = await postGraphQL(sut.graphqlUrl, UPDATE, { id: created.id, input: { percentComplete: '42.5' } });

      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect((await factory.getProject(created.id)).percentComplete).toBe('0.00');
    });

    it('should recompute percent complete from the tasks when the method changes', async () => {
      const created = await factory.project();
      await factory.task(created.id, { progress: '20' });
      await factory.task(created.id, { progress: '60' });

      const { updateProject } = await queryData(sut.graphqlUrl, UPDATE, {
        id: created.id,
        input: { percentCompleteMethod: 'AVG_PROGRESS' },
      });

      expect(updateProject).toMatchObject({ percentCompleteMethod: 'AVG_PROGRESS', percentComplete: '40.00' });
    });
  });

  describe('state machine', () => {
    it('should activate a project, stamping activatedAt and actualStart', async () => {
      const created = await factory.project();

      const activated = await factory.transitionProject(created.id, 'ACTIVE');

      expect(activated).toMatchObject({ status: 'ACTIVE', actualStart: today() });
      expect(Date.now() - Date.parse(activated.activatedAt)).toBeLessThan(60_000);
    });

    it('should keep an actual start set before activation', async () => {
      const created = await factory.project();
      await queryData(sut.graphqlUrl, UPDATE, { id: created.id, input: { actualStart: '2025-01-02' } });

      const activated = await factory.transitionProject(created.id, 'ACTIVE');

      expect(activated.actualStart).toBe('2025-01-02');
    });

    it('should go ACTIVE ⇄ ON_HOLD → COMPLETED → CLOSED keeping the first activation time', async () => {
      const active = await factory.projectIn(['ACTIVE']);

      const onHold = await factory.transitionProject(active.id, 'ON_HOLD');
      const resumed = await factory.transitionProject(active.id, 'ACTIVE');
      const completed = await factory.transitionProject(active.id, 'COMPLETED');
      const closed = await factory.transitionProject(active.id, 'CLOSED');

      expect([onHold.status, resumed.status, completed.status, closed.status]).toEqual(['ON_HOLD', 'ACTIVE', 'COMPLETED', 'CLOSED']);
      expect(resumed.activatedAt).toBe(active.activatedAt);
      expect(completed.actualEnd).toBe(today());
    });

    it.each([
      [[], 'CANCELLED'],
      [['ACTIVE'], 'CANCELLED'],
      [['ACTIVE', 'ON_HOLD'], 'CANCELLED'],
      [['ACTIVE', 'ON_HOLD'], 'COMPLETED'],
    ])('should allow %j then %s', async (path, to) => {
      const project = await factory.projectIn(path);

      const moved = await factory.transitionProject(project.id, to);

      expect(moved.status).toBe(to);
    });

    it.each([
      [[], 'COMPLETED'],
      [[], 'ON_HOLD'],
      [[], 'CLOSED'],
      [['ACTIVE'], 'CLOSED'],
      [['ACTIVE'], 'SETUP'],
      [['ACTIVE', 'COMPLETED'], 'CANCELLED'],
      [['ACTIVE', 'COMPLETED'], 'ACTIVE'],
      [['ACTIVE', 'COMPLETED', 'CLOSED'], 'ACTIVE'],
      [['CANCELLED'], 'ACTIVE'],
    ])('should not allow %j then %s, and change nothing', async (path, to) => {
      const project = await factory.projectIn(path);

      const result = await postGraphQL(sut.graphqlUrl, TRANSITION, { id: project.id, to });

      expect(result.errors?.[0].extensions?.code).toBe('INVALID_TRANSITION');
      expect(await factory.getProject(project.id)).toEqual(project);
    });

    it('should not activate a project without a delivery manager', async () => {
      const project = await factory.project({ managerId: null });

      const result = await postGraphQL(sut.graphqlUrl, TRANSITION, { id: project.id, to: 'ACTIVE' });

      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(await factory.getProject(project.id)).toMatchObject({ status: 'SETUP', activatedAt: null, actualStart: null });
    });

    it('should answer NOT_FOUND when moving a project that does not exist', async () => {
      const result = await postGraphQL(sut.graphqlUrl, TRANSITION, { id: newId(), to: 'ACTIVE' });

      expect(result.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });
  });

  describe('projects connection', () => {
    const clientId = newId();
    const contractId = newId();
    let created: Record<string, any>[];

    beforeAll(async () => {
      created = [
        await factory.project({ clientId, code: 'FLT-C', name: 'Gamma rollout', plannedStart: '2025-03-01', managerId: 'dm-filter' }),
        await factory.project({ clientId, code: 'FLT-A', name: 'Alpha rollout', plannedStart: '2025-02-01', contractId, health: 'RED' }),
        await factory.project({ clientId, code: 'FLT-B', name: 'Beta rollout', plannedStart: '2025-01-01', contractId, health: 'AMBER' }),
        await factory.project({ clientId, code: 'FLT-E', name: 'Epsilon rollout', plannedStart: '2025-05-01' }),
        await factory.project({ clientId, code: 'FLT-D', name: 'Delta rollout', plannedStart: '2025-04-01' }),
      ];
      await factory.transitionProject(created[0].id, 'ACTIVE');
      await factory.transitionProject(created[3].id, 'CANCELLED');
    });

    const list = async (args: string) =>
      (await queryData(sut.graphqlUrl, `{ projects(${args}) { edges { node { code } } pageInfo { hasNextPage endCursor } } }`)).projects;

    it('should page through projects by code with stable cursors', async () => {
      const page = `query($after: String, $clientId: ID!) { projects(first: 2, after: $after, filter: { clientId: $clientId }) { edges { node { code } } pageInfo { hasNextPage endCursor } } }`;

      const first = await queryData(sut.graphqlUrl, page, { clientId });
      const second = await queryData(sut.graphqlUrl, page, { clientId, after: first.projects.pageInfo.endCursor });
      const third = await queryData(sut.graphqlUrl, page, { clientId, after: second.projects.pageInfo.endCursor });

      expect([first, second, third].flatMap((result) => codes(result.projects))).toEqual(['FLT-A', 'FLT-B', 'FLT-C', 'FLT-D', 'FLT-E']);
      expect(third.projects.pageInfo.hasNextPage).toBe(false);
    });

    it('should sort by planned start descending and by name', async () => {
      const byStart = await list(`filter: { clientId: "${clientId}" }, orderBy: { field: PLANNED_START, direction: DESC }`);
      const byName = await list(`filter: { clientId: "${clientId}" }, orderBy: { field: NAME }`);

      expect(codes(byStart)).toEqual(['FLT-E', 'FLT-D', 'FLT-C', 'FLT-A', 'FLT-B']);
      expect(codes(byName)).toEqual(['FLT-A', 'FLT-B', 'FLT-D', 'FLT-E', 'FLT-C']);
    });

    it('should page by planned start with cursors', async () => {
      const page = `query($after: String) { projects(first: 3, after: $after, filter: { clientId: "${clientId}" }, orderBy: { field: PLANNED_START }) { edges { node { code } } pageInfo { hasNextPage endCursor } } }`;

      const first = await queryData(sut.graphqlUrl, page);
      const second = await queryData(sut.graphqlUrl, page, { after: first.projects.pageInfo.endCursor });

      expect([...codes(first.projects), ...codes(second.projects)]).toEqual(['FLT-B', 'FLT-A', 'FLT-C', 'FLT-D', 'FLT-E']);
    });

    it('should sort by creation time', async () => {
      const result = await list(`filter: { clientId: "${clientId}" }, orderBy: { field: CREATED_AT, direction: DESC }`);

      expect(codes(result)).toEqual(['FLT-D', 'FLT-E', 'FLT-B', 'FLT-A', 'FLT-C']);
    });

    it.each([
      ['statusIn: [ACTIVE, CANCELLED]', ['FLT-C', 'FLT-E']],
      ['healthIn: [RED, AMBER]', ['FLT-A', 'FLT-B']],
      ['managerId: "dm-filter"', ['FLT-C']],
      ['codeOrNameContains: "lta roll"', ['FLT-D']],
      ['codeOrNameContains: "flt-b"', ['FLT-B']],
      ['plannedStartFrom: "2025-02-01", plannedStartTo: "2025-04-01"', ['FLT-A', 'FLT-C', 'FLT-D']],
    ])('should filter by %s', async (filter, expected) => {
      const result = await list(`filter: { clientId: "${clientId}", ${filter} }`);

      expect(codes(result)).toEqual(expected);
    });

    it('should filter by contract', async () => {
      const result = await list(`filter: { contractId: "${contractId}" }`);

      expect(codes(result)).toEqual(['FLT-A', 'FLT-B']);
    });

    it('should refuse a cursor of another ordering with BAD_USER_INPUT', async () => {
      const first = await list(`first: 1, filter: { clientId: "${clientId}" }`);

      const result = await postGraphQL(
        sut.graphqlUrl,
        `query($after: String) { projects(after: $after, orderBy: { field: NAME }) { edges { cursor } } }`,
        { after: first.pageInfo.endCursor },
      );

      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('should refuse a page size above 100 with BAD_USER_INPUT', async () => {
      const result = await postGraphQL(sut.graphqlUrl, `{ projects(first: 101) { edges { cursor } } }`);

      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('federation', () => {
    it('should resolve the projects of several clients in one statement', async () => {
      const clientIds = [newId(), newId(), newId()];
      await factory.projectIn(['ACTIVE'], { clientId: clientIds[0], code: 'FED-A1' });
      await factory.projectIn(['ACTIVE'], { clientId: clientIds[0], code: 'FED-A2' });
      await factory.projectIn(['ACTIVE'], { clientId: clientIds[0], code: 'FED-A3' });
      await factory.project({ clientId: clientIds[1], code: 'FED-B1' });
      await factory.projectIn(['ACTIVE'], { clientId: clientIds[1], code: 'FED-B2' });
      counter.reset();

      const { _entities } = await queryData(
        sut.graphqlUrl,
        `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Client { id projects(first: 2, statusIn: [ACTIVE]) { code status } } } }`,
        { representations: clientIds.map((id) => ({ __typename: 'Client', id })) },
      );

      expect(_entities).toEqual([
        {
          id: clientIds[0],
          projects: [
            { code: 'FED-A1', status: 'ACTIVE' },
            { code: 'FED-A2', status: 'ACTIVE' },
          ],
        },
        { id: clientIds[1], projects: [{ code: 'FED-B2', status: 'ACTIVE' }] },
        { id: clientIds[2], projects: [] },
      ]);
      expect(counter.count).toBe(1);
    });

    it('should list every status of a client by default', async () => {
      const clientId = newId();
      await factory.project({ clientId, code: 'FED-C1' });
      await factory.projectIn(['CANCELLED'], { clientId, code: 'FED-C2' });

      const { _entities } = await queryData(
        sut.graphqlUrl,
        `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Client { projects { code } } } }`,
        { representations: [{ __typename: 'Client', id: clientId }] },
      );

      expect(_entities).toEqual([{ projects: [{ code: 'FED-C1' }, { code: 'FED-C2' }] }]);
    });

    it('should resolve project references in one statement, null for unknown ids', async () => {
      const a = await factory.project();
      const b = await factory.project();
      counter.reset();

      const { _entities } = await queryData(
        sut.graphqlUrl,
        `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Project { id code } } }`,
        { representations: [a.id, newId(), b.id].map((id) => ({ __typename: 'Project', id })) },
      );

      expect(_entities).toEqual([{ id: a.id, code: a.code }, null, { id: b.id, code: b.code }]);
      expect(counter.count).toBe(1);
    });
  });

  describe('nested lists', () => {
    const NESTED = `query($text: String!) { projects(first: 10, filter: { codeOrNameContains: $text }) { edges { node {
      code client { id }
      tasks { name subtasks { name } }
      milestones { name tasks { name } }
      changeOrders { number }
    } } } }`;

    const seed = async (tag: string, count: number) => {
      for (let index = 0; index < count; index++) {
        const project = await factory.project({ code: `${tag}-${index}` });
        const milestone = await factory.milestone(project.id);
        const parent = await factory.task(project.id, { name: `${tag}-${index} parent`, milestoneId: milestone.id });
        await factory.task(project.id, { name: `${tag}-${index} child`, parentTaskId: parent.id });
        await factory.changeOrder(project.id);
      }
    };

    it('should load tasks, subtasks, milestones and change orders of a page of projects with a constant number of statements', async () => {
      await seed('NEST1', 1);
      await seed('NEST3', 3);

      counter.reset();
      const one = await queryData(sut.graphqlUrl, NESTED, { text: 'NEST1-' });
      const oneProjectStatements = counter.count;
      counter.reset();
      const three = await queryData(sut.graphqlUrl, NESTED, { text: 'NEST3-' });
      const threeProjectStatements = counter.count;

      expect(one.projects.edges).toHaveLength(1);
      expect(three.projects.edges).toHaveLength(3);
      expect(three.projects.edges[2].node).toEqual({
        code: 'NEST3-2',
        client: { id: expect.any(String) },
        tasks: [
          { name: 'NEST3-2 parent', subtasks: [{ name: 'NEST3-2 child' }] },
          { name: 'NEST3-2 child', subtasks: [] },
        ],
        milestones: [{ name: expect.any(String), tasks: [{ name: 'NEST3-2 parent' }] }],
        changeOrders: [{ number: 'CO-001' }],
      });
      expect(threeProjectStatements).toBe(oneProjectStatements);
      expect(threeProjectStatements).toBeLessThanOrEqual(6);
    });

    it('should limit nested lists to first per parent', async () => {
      const project = await factory.project();
      for (let index = 0; index < 3; index++) {
        await factory.task(project.id, { name: `Limited ${index}` });
      }

      const { project: read } = await queryData(sut.graphqlUrl, `query($id: ID!) { project(id: $id) { tasks(first: 2) { name } } }`, {
        id: project.id,
      });

      expect(read.tasks).toEqual([{ name: 'Limited 0' }, { name: 'Limited 1' }]);
    });
  });
});
