import { newId } from '@concord/common';
import { postGraphQL, queryData, useTestService } from '@concord/testing';
import { ProjectStructureFactory } from '../../__tests__/project-structure.factory';
import { PsaModule } from '../../app.module';

const FIELDS = ProjectStructureFactory.fields.milestone;
const CREATE = `mutation($input: CreateMilestoneInput!) { createMilestone(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateMilestoneInput!) { updateMilestone(id: $id, input: $input) { ${FIELDS} } }`;
const TRANSITION = `mutation($id: ID!, $to: MilestoneStatus!) { transitionMilestone(id: $id, to: $to) { ${FIELDS} } }`;
const GET = `query($id: ID!) { milestone(id: $id) { ${FIELDS} } }`;

type Edge = { node: Record<string, any> };

describe('Milestone', () => {
  const sut = useTestService((databaseUrl) => PsaModule.forRoot({ databaseUrl }), 'psa');
  let factory: ProjectStructureFactory;

  beforeAll(async () => {
    factory = new ProjectStructureFactory(sut.graphqlUrl);
  });

  const getMilestone = async (id: string) => (await queryData(sut.graphqlUrl, GET, { id })).milestone;
  const transition = async (id: string, to: string) => (await queryData(sut.graphqlUrl, TRANSITION, { id, to })).transitionMilestone;
  const recent = (value: string | null) => value !== null && Date.now() - Date.parse(value) < 60_000;

  describe('create and update', () => {
    it('should create a PLANNED milestone with its amount in the project currency', async () => {
      const project = await factory.project({ currency: 'USD' });
      const contractLineId = newId();

      const created = await factory.milestone(project.id, { amount: '25000.5', targetDate: '2025-04-30', contractLineId });
      const { milestone } = await queryData(
        sut.graphqlUrl,
        `query($id: ID!) { milestone(id: $id) { status amount { amount currency } percentage requiresSignOff targetDate contractLineId project { id } } }`,
        {
          id: created.id,
        },
      );

      expect(milestone).toEqual({
        status: 'PLANNED',
        amount: { amount: '25000.50', currency: 'USD' },
        percentage: null,
        requiresSignOff: true,
        targetDate: '2025-04-30',
        contractLineId,
        project: { id: project.id },
      });
    });

    it('should create a milestone billed as a percentage', async () => {
      const project = await factory.project();

      const created = await factory.milestone(project.id, { percentage: '33.5' });

      expect(created).toMatchObject({ percentage: '33.50', amount: null });
    });

    it('should not accept both an amount and a percentage', async () => {
      const project = await factory.project();
      const created = await factory.milestone(project.id, { amount: '100' });

      const onCreate = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: { projectId: project.id, name: 'Both', targetDate: '2025-05-01', amount: '1', percentage: '10' },
      });
      const onUpdate = await postGraphQL(sut.graphqlUrl, UPDATE, { id: created.id, input: { percentage: '10' } });

      expect(onCreate.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(onUpdate.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect((await getMilestone(created.id)).percentage).toBeNull();
    });

    it('should switch from an amount to a percentage when the amount is cleared', async () => {
      const project = await factory.project();
      const created = await factory.milestone(project.id, { amount: '100' });

      const { updateMilestone } = await queryData(sut.graphqlUrl, UPDATE, { id: created.id, input: { amount: null, percentage: '10' } });

      expect(updateMilestone).toMatchObject({ amount: null, percentage: '10.00' });
    });

    it('should refuse invalid input with BAD_USER_INPUT naming the problems', async () => {
      const project = await factory.project();

      const result = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: { projectId: project.id, name: 'Bad', targetDate: '31/03/2025', amount: '-10' },
      });

      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0].extensions?.problems).toEqual(
        expect.arrayContaining([expect.stringContaining('targetDate'), expect.stringContaining('amount')]),
      );
    });

    it('should answer NOT_FOUND for a milestone of a project that does not exist', async () => {
      const result = await postGraphQL(sut.graphqlUrl, CREATE, { input: { projectId: newId(), name: 'Orphan', targetDate: '2025-05-01' } });

      expect(result.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });

    it('should not change an ACCEPTED milestone', async () => {
      const project = await factory.project();
      const created = await factory.milestone(project.id, { amount: '100', requiresSignOff: false });
      const accepted = await transition(created.id, 'REACHED');

      const result = await postGraphQL(sut.graphqlUrl, UPDATE, { id: created.id, input: { amount: '200' } });

      expect(result.errors?.[0].extensions?.code).toBe('CONFLICT');
      expect(await getMilestone(created.id)).toEqual(accepted);
    });
  });

  describe('state machine', () => {
    it('should go PLANNED → REACHED → ACCEPTED, stamping both times', async () => {
      const project = await factory.project();
      const created = await factory.milestone(project.id);

      const reached = await transition(created.id, 'REACHED');
      const accepted = await transition(created.id, 'ACCEPTED');

      expect(reached).toMatchObject({ status: 'REACHED', acceptedAt: null });
      expect(recent(reached.reachedAt)).toBe(true);
      expect(accepted).toMatchObject({ status: 'ACCEPTED', reachedAt: reached.reachedAt });
      expect(recent(accepted.acceptedAt)).toBe(true);
    });

    it('should accept a milestone without sign-off as soon as it is reached', async () => {
      const project = await factory.project();
      const created = await factory.milestone(project.id, { requiresSignOff: false });

      const result = await transition(created.id, 'REACHED');

      expect(result.status).toBe('ACCEPTED');
      expect(recent(result.reachedAt) && recent(result.acceptedAt)).toBe(true);
    });

    it.each([
      [[], 'CANCELLED'],
      [['REACHED'], 'CANCELLED'],
    ])('should allow %j then %s', async (path, to) => {
      const project = await factory.project();
      const milestone = await factory.milestone(project.id);
      for (const step of path) {
        await transition(milestone.id, step);
      }

      expect((await transition(milestone.id, to)).status).toBe(to);
    });

    it.each([
      [[], 'ACCEPTED'],
      [[], 'PLANNED'],
      [['REACHED'], 'PLANNED'],
      [['REACHED', 'ACCEPTED'], 'CANCELLED'],
      [['REACHED', 'ACCEPTED'], 'REACHED'],
      [['CANCELLED'], 'PLANNED'],
      [['CANCELLED'], 'REACHED'],
    ])('should not allow %j then %s, and change nothing', async (path, to) => {
      const project = await factory.project();
      const milestone = await factory.milestone(project.id);
      for (const step of path) {
        await transition(milestone.id, step);
      }
      const before = await getMilestone(milestone.id);

      const result = await postGraphQL(sut.graphqlUrl, TRANSITION, { id: milestone.id, to });

      expect(result.errors?.[0].extensions?.code).toBe('INVALID_TRANSITION');
      expect(await getMilestone(milestone.id)).toEqual(before);
    });

    it('should answer NOT_FOUND when moving a milestone that does not exist', async () => {
      const result = await postGraphQL(sut.graphqlUrl, TRANSITION, { id: newId(), to: 'REACHED' });

      expect(result.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });
  });

  describe('milestones connection and Project.milestones', () => {
    let project: Record<string, any>;

    beforeAll(async () => {
      project = await factory.project();
      await factory.milestone(project.id, { name: 'Go-live', targetDate: '2025-06-30' });
      await factory.milestone(project.id, { name: 'Kick-off', targetDate: '2025-01-15' });
      const design = await factory.milestone(project.id, { name: 'Design sign-off', targetDate: '2025-03-01' });
      await factory.milestone(project.id, { name: 'UAT', targetDate: '2025-05-15' });
      await transition(design.id, 'REACHED');
    });

    const names = (connection: { edges: Edge[] }) => connection.edges.map((edge) => edge.node.name);
    const list = async (args: string) =>
      (
        await queryData(
          sut.graphqlUrl,
          `query($projectId: ID!) { milestones(${args}) { edges { node { name } } pageInfo { hasNextPage endCursor } } }`,
          { projectId: project.id },
        )
      ).milestones;

    it('should page through milestones by target date', async () => {
      const page = `query($projectId: ID!, $after: String) { milestones(first: 3, after: $after, filter: { projectId: $projectId }) { edges { node { name } } pageInfo { hasNextPage endCursor } } }`;

      const first = await queryData(sut.graphqlUrl, page, { projectId: project.id });
      const second = await queryData(sut.graphqlUrl, page, { projectId: project.id, after: first.milestones.pageInfo.endCursor });

      expect([...names(first.milestones), ...names(second.milestones)]).toEqual(['Kick-off', 'Design sign-off', 'UAT', 'Go-live']);
      expect(first.milestones.pageInfo.hasNextPage).toBe(true);
      expect(second.milestones.pageInfo.hasNextPage).toBe(false);
    });

    it.each([
      ['statusIn: [REACHED]', ['Design sign-off']],
      ['targetDateFrom: "2025-03-01", targetDateTo: "2025-05-31"', ['Design sign-off', 'UAT']],
    ])('should filter by %s', async (filter, expected) => {
      expect(names(await list(`filter: { projectId: $projectId, ${filter} }`))).toEqual(expected);
    });

    it('should sort by name descending', async () => {
      expect(names(await list(`filter: { projectId: $projectId }, orderBy: { field: NAME, direction: DESC }`))).toEqual([
        'UAT',
        'Kick-off',
        'Go-live',
        'Design sign-off',
      ]);
    });

    it('should list the milestones of a project by target date', async () => {
      const { project: read } = await queryData(
        sut.graphqlUrl,
        `query($id: ID!) { project(id: $id) { milestones(first: 2) { name status } } }`,
        { id: project.id },
      );

      expect(read.milestones).toEqual([
        { name: 'Kick-off', status: 'PLANNED' },
        { name: 'Design sign-off', status: 'REACHED' },
      ]);
    });
  });
});
