import { newId } from '@concord/common';
import { postGraphQL, queryData, useTestService } from '@concord/testing';
import { ProjectStructureFactory } from '../../__tests__/project-structure.factory';
import { PsaModule } from '../../app.module';

const FIELDS = ProjectStructureFactory.fields.task;
const CREATE = `mutation($input: CreateTaskInput!) { createTask(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateTaskInput!) { updateTask(id: $id, input: $input) { ${FIELDS} } }`;
const TRANSITION = `mutation($id: ID!, $to: TaskStatus!) { transitionTask(id: $id, to: $to) { ${FIELDS} } }`;
const GET = `query($id: ID!) { task(id: $id) { ${FIELDS} } }`;

type Edge = { node: Record<string, any> };

describe('Task', () => {
  const sut = useTestService((databaseUrl) => PsaModule.forRoot({ databaseUrl }), 'psa');
  let factory: ProjectStructureFactory;

  beforeAll(async () => {
    factory = new ProjectStructureFactory(sut.graphqlUrl);
  });

  const getTask = async (id: string) => (await queryData(sut.graphqlUrl, GET, { id })).task;
  const transition = async (id: string, to: string) => (await queryData(sut.graphqlUrl, TRANSITION, { id, to })).transitionTask;
  const names = (connection: { edges: Edge[] }) => connection.edges.map((edge) => edge.node.name);

  describe('create and update', () => {
    it('should create an OPEN task with defaults and read it back with its project, parent and milestone', async () => {
      const project = await factory.project();
      const milestone = await factory.milestone(project.id);
      const parent = await factory.task(project.id);
      const contractLineId = newId();

      const created = await factory.task(project.id, {
        parentTaskId: parent.id,
        milestoneId: milestone.id,
        allocatedHours: '12.5',
        contractLineId,
      });
      const { task } = await queryData(
        sut.graphqlUrl,
        `query($id: ID!) { task(id: $id) { status allocatedHours progress weight billable contractLineId project { id } parentTask { id } milestone { id } } }`,
        { id: created.id },
      );

      expect(created).toMatchObject({ status: 'OPEN', allocatedHours: '12.50', progress: '0.00', weight: '1.00', billable: true });
      expect(task).toEqual({
        status: 'OPEN',
        allocatedHours: '12.50',
        progress: '0.00',
        weight: '1.00',
        billable: true,
        contractLineId,
        project: { id: project.id },
        parentTask: { id: parent.id },
        milestone: { id: milestone.id },
      });
    });

    it('should update only the given fields', async () => {
      const project = await factory.project();
      const created = await factory.task(project.id, { allocatedHours: '8' });

      const { updateTask } = await queryData(sut.graphqlUrl, UPDATE, { id: created.id, input: { progress: '25', billable: false } });

      expect(updateTask).toMatchObject({ progress: '25.00', billable: false, allocatedHours: '8.00', name: created.name });
    });

    it('should refuse invalid input with BAD_USER_INPUT naming the problems', async () => {
      const project = await factory.project();

      const result = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: { projectId: project.id, name: '', allocatedHours: '-1', progress: '101', weight: 'heavy' },
      });

      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0].extensions?.problems).toEqual(
        expect.arrayContaining([
          expect.stringContaining('name'),
          expect.stringContaining('allocatedHours'),
          expect.stringContaining('progress'),
          expect.stringContaining('weight'),
        ]),
      );
    });

    it('should answer NOT_FOUND for a task of a project that does not exist', async () => {
      const result = await postGraphQL(sut.graphqlUrl, CREATE, { input: { projectId: newId(), name: 'Orphan' } });

      expect(result.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });

    it('should answer NOT_FOUND when updating a task that does not exist', async () => {
      const result = await postGraphQL(sut.graphqlUrl, UPDATE, { id: newId(), input: { name: 'x' } });

      expect(result.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });

    it('should not attach a task to a parent task of another project', async () => {
      const [project, other] = [await factory.project(), await factory.project()];
      const foreignParent = await factory.task(other.id);

      const result = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: { projectId: project.id, name: 'Cross', parentTaskId: foreignParent.id },
      });

      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      const { tasks } = await queryData(
        sut.graphqlUrl,
        `query($projectId: ID!) { tasks(filter: { projectId: $projectId }) { edges { node { id } } } }`,
        { projectId: project.id },
      );
      expect(tasks.edges).toHaveLength(0);
    });

    it('should not attach a task to a milestone of another project', async () => {
      const [project, other] = [await factory.project(), await factory.project()];
      const foreignMilestone = await factory.milestone(other.id);
      const task = await factory.task(project.id);

      const result = await postGraphQL(sut.graphqlUrl, UPDATE, { id: task.id, input: { milestoneId: foreignMilestone.id } });

      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect((await getTask(task.id)).milestoneId).toBeNull();
    });

    it('should not place a task under one of its own subtasks', async () => {
      const project = await factory.project();
      const root = await factory.task(project.id);
      const child = await factory.task(project.id, { parentTaskId: root.id });
      const grandchild = await factory.task(project.id, { parentTaskId: child.id });

      const underGrandchild = await postGraphQL(sut.graphqlUrl, UPDATE, { id: root.id, input: { parentTaskId: grandchild.id } });
      const underItself = await postGraphQL(sut.graphqlUrl, UPDATE, { id: root.id, input: { parentTaskId: root.id } });

      expect(underGrandchild.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(underItself.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect((await getTask(root.id)).parentTaskId).toBeNull();
    });

    it('should not add a task to a CANCELLED project', async () => {
      const project = await factory.projectIn(['CANCELLED']);

      const result = await postGraphQL(sut.graphqlUrl, CREATE, { input: { projectId: project.id, name: 'Too late' } });

      expect(result.errors?.[0].extensions?.code).toBe('CONFLICT');
    });
  });

  describe('state machine', () => {
    it('should go OPEN → IN_PROGRESS → DONE (progress 100) and reopen to IN_PROGRESS', async () => {
      const project = await factory.project();
      const task = await factory.task(project.id, { progress: '30' });

      const started = await transition(task.id, 'IN_PROGRESS');
      const done = await transition(task.id, 'DONE');
      const reopened = await transition(task.id, 'IN_PROGRESS');

      expect([started.status, done.status, reopened.status]).toEqual(['IN_PROGRESS', 'DONE', 'IN_PROGRESS']);
      expect(done.progress).toBe('100.00');
    });

    it.each([
      [[], 'DONE'],
      [[], 'CANCELLED'],
      [['IN_PROGRESS'], 'OPEN'],
      [['IN_PROGRESS'], 'CANCELLED'],
    ])('should allow %j then %s', async (path, to) => {
      const project = await factory.project();
      const task = await factory.task(project.id);
      for (const step of path) {
        await transition(task.id, step);
      }

      expect((await transition(task.id, to)).status).toBe(to);
    });

    it.each([
      [[], 'OPEN'],
      [['DONE'], 'OPEN'],
      [['DONE'], 'CANCELLED'],
      [['CANCELLED'], 'OPEN'],
      [['CANCELLED'], 'IN_PROGRESS'],
    ])('should not allow %j then %s, and change nothing', async (path, to) => {
      const project = await factory.project();
      const task = await factory.task(project.id);
      for (const step of path) {
        await transition(task.id, step);
      }
      const before = await getTask(task.id);

      const result = await postGraphQL(sut.graphqlUrl, TRANSITION, { id: task.id, to });

      expect(result.errors?.[0].extensions?.code).toBe('INVALID_TRANSITION');
      expect(await getTask(task.id)).toEqual(before);
    });
  });

  describe("project's percent complete", () => {
    const seed = async (method: string) => {
      const project = await factory.project({ percentCompleteMethod: method });
      const a = await factory.task(project.id, { progress: '100', weight: '3' });
      const b = await factory.task(project.id, { progress: '50', weight: '1' });
      await factory.task(project.id, { progress: '0', weight: '1' });
      const cancelled = await factory.task(project.id, { progress: '0', weight: '5' });
      await transition(a.id, 'DONE');
      await transition(cancelled.id, 'CANCELLED');
      return { project, b };
    };

    it('should follow task completion (DONE / tasks not cancelled)', async () => {
      const { project } = await seed('TASK_COMPLETION');

      expect((await factory.getProject(project.id)).percentComplete).toBe('33.33');
    });

    it('should follow the average progress', async () => {
      const { project, b } = await seed('AVG_PROGRESS');
      expect((await factory.getProject(project.id)).percentComplete).toBe('50.00');

      await queryData(sut.graphqlUrl, UPDATE, { id: b.id, input: { progress: '80' } });

      expect((await factory.getProject(project.id)).percentComplete).toBe('60.00');
    });

    it('should follow the weighted progress', async () => {
      const { project } = await seed('WEIGHTED_PROGRESS');

      expect((await factory.getProject(project.id)).percentComplete).toBe('70.00');
    });

    it('should leave a MANUAL percent complete untouched', async () => {
      const project = await factory.project({ percentComplete: '15' });
      const task = await factory.task(project.id, { progress: '90' });
      await transition(task.id, 'DONE');

      expect((await factory.getProject(project.id)).percentComplete).toBe('15.00');
    });
  });

  describe('tasks connection and nested lists', () => {
    let project: Record<string, any>;
    let milestone: Record<string, any>;
    let root: Record<string, any>;

    beforeAll(async () => {
      project = await factory.project();
      milestone = await factory.milestone(project.id);
      root = await factory.task(project.id, { name: 'Design', milestoneId: milestone.id });
      await factory.task(project.id, { name: 'Build', billable: false });
      await factory.task(project.id, { name: 'Wireframes', parentTaskId: root.id, milestoneId: milestone.id });
      await factory.task(project.id, { name: 'Architecture', parentTaskId: root.id });
      const cancelled = await factory.task(project.id, { name: 'Abandoned' });
      await transition(cancelled.id, 'CANCELLED');
    });

    const list = async (args: string) =>
      (
        await queryData(
          sut.graphqlUrl,
          `query($projectId: ID!) { tasks(${args}) { edges { node { name } } pageInfo { hasNextPage endCursor } } }`,
          { projectId: project.id },
        )
      ).tasks;

    it.each([
      ['rootOnly: true', ['Design', 'Build', 'Abandoned']],
      ['statusIn: [CANCELLED]', ['Abandoned']],
      ['billable: false', ['Build']],
      ['nameContains: "arch"', ['Architecture']],
    ])('should filter by %s', async (filter, expected) => {
      expect(names(await list(`filter: { projectId: $projectId, ${filter} }`))).toEqual(expected);
    });

    it('should filter by parent task and milestone', async () => {
      const byParent = await queryData(
        sut.graphqlUrl,
        `query($id: ID!) { tasks(filter: { parentTaskId: $id }) { edges { node { name } } } }`,
        { id: root.id },
      );
      const byMilestone = await queryData(
        sut.graphqlUrl,
        `query($id: ID!) { tasks(filter: { milestoneId: $id }) { edges { node { name } } } }`,
        { id: milestone.id },
      );

      expect(names(byParent.tasks)).toEqual(['Wireframes', 'Architecture']);
      expect(names(byMilestone.tasks)).toEqual(['Design', 'Wireframes']);
    });

    it('should page through tasks by name', async () => {
      const page = `query($projectId: ID!, $after: String) { tasks(first: 2, after: $after, filter: { projectId: $projectId }, orderBy: { field: NAME }) { edges { node { name } } pageInfo { hasNextPage endCursor } } }`;

      const first = await queryData(sut.graphqlUrl, page, { projectId: project.id });
      const second = await queryData(sut.graphqlUrl, page, { projectId: project.id, after: first.tasks.pageInfo.endCursor });
      const third = await queryData(sut.graphqlUrl, page, { projectId: project.id, after: second.tasks.pageInfo.endCursor });

      expect([first, second, third].flatMap((result) => names(result.tasks))).toEqual([
        'Abandoned',
        'Architecture',
        'Build',
        'Design',
        'Wireframes',
      ]);
      expect(third.tasks.pageInfo.hasNextPage).toBe(false);
    });

    it('should resolve subtasks and the tasks of a milestone', async () => {
      const { task } = await queryData(sut.graphqlUrl, `query($id: ID!) { task(id: $id) { subtasks { name parentTask { name } } } }`, {
        id: root.id,
      });
      const { milestone: read } = await queryData(sut.graphqlUrl, `query($id: ID!) { milestone(id: $id) { tasks { name } } }`, {
        id: milestone.id,
      });

      expect(task.subtasks).toEqual([
        { name: 'Wireframes', parentTask: { name: 'Design' } },
        { name: 'Architecture', parentTask: { name: 'Design' } },
      ]);
      expect(read.tasks).toEqual([{ name: 'Design' }, { name: 'Wireframes' }]);
    });

    it('should resolve task references through _entities', async () => {
      const { _entities } = await queryData(
        sut.graphqlUrl,
        `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Task { id name } } }`,
        { representations: [{ __typename: 'Task', id: root.id }] },
      );

      expect(_entities).toEqual([{ id: root.id, name: 'Design' }]);
    });
  });
});
