import { newId } from '@concord/common';
import { postGraphQL, queryData, useTestService } from '@concord/testing';
import { ProjectStructureFactory } from '../../__tests__/project-structure.factory';
import { PsaModule } from '../../app.module';

const FIELDS = ProjectStructureFactory.fields.changeOrder;
const CREATE = `mutation($input: CreateChangeOrderInput!) { createChangeOrder(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateChangeOrderInput!) { updateChangeOrder(id: $id, input: $input) { ${FIELDS} } }`;
const GET = `query($id: ID!) { changeOrder(id: $id) { ${FIELDS} } }`;

type Edge = { node: Record<string, any> };
type Step = 'submit' | 'approve' | 'reject' | 'withdraw' | 'apply';

describe('ChangeOrder', () => {
  const sut = useTestService((databaseUrl) => PsaModule.forRoot({ databaseUrl }), 'psa');
  let factory: ProjectStructureFactory;

  beforeAll(async () => {
    factory = new ProjectStructureFactory(sut.graphqlUrl);
  });

  const mutationOf = (step: Step) =>
    step === 'approve'
      ? `mutation($id: ID!, $approvedBy: String!) { approveChangeOrder(id: $id, approvedBy: $approvedBy) { ${FIELDS} } }`
      : `mutation($id: ID!) { ${step}ChangeOrder(id: $id) { ${FIELDS} } }`;
  const attempt = (id: string, step: Step, approvedBy = 'finance-1') => postGraphQL(sut.graphqlUrl, mutationOf(step), { id, approvedBy });
  const move = async (id: string, step: Step) => {
    const data = await queryData(sut.graphqlUrl, mutationOf(step), { id, approvedBy: 'finance-1' });
    return data[`${step}ChangeOrder`];
  };
  const getChangeOrder = async (id: string) => (await queryData(sut.graphqlUrl, GET, { id })).changeOrder;

  describe('create and update', () => {
    it('should create DRAFT change orders numbered per project, on the project contract and currency', async () => {
      const contractId = newId();
      const project = await factory.project({ contractId, currency: 'CHF' });
      const other = await factory.project();

      const first = await factory.changeOrder(project.id, { delta: '1200.5', deltaHours: '10.25', newEndDate: '2025-09-30' });
      const second = await factory.changeOrder(project.id);
      const elsewhere = await factory.changeOrder(other.id);

      expect(first).toMatchObject({
        number: 'CO-001',
        status: 'DRAFT',
        contractId,
        delta: { amount: '1200.50', currency: 'CHF' },
        deltaHours: '10.25',
        newEndDate: '2025-09-30',
        approvedBy: null,
      });
      expect(second.number).toBe('CO-002');
      expect(elsewhere.number).toBe('CO-001');
    });

    it('should refuse a duplicate number in the same project with CONFLICT', async () => {
      const project = await factory.project();
      await factory.changeOrder(project.id, { number: 'CR-7' });

      const result = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: { projectId: project.id, number: 'CR-7', reason: 'Again', delta: '1' },
      });

      expect(result.errors?.[0].extensions?.code).toBe('CONFLICT');
    });

    it('should refuse a missing reason and invalid deltas with BAD_USER_INPUT', async () => {
      const project = await factory.project();

      const result = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: { projectId: project.id, reason: '   ', delta: '12.345', deltaHours: 'ten', newEndDate: 'soon' },
      });

      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0].extensions?.problems).toEqual(
        expect.arrayContaining([
          expect.stringContaining('reason'),
          expect.stringContaining('delta'),
          expect.stringContaining('deltaHours'),
          expect.stringContaining('newEndDate'),
        ]),
      );
    });

    it('should not create a change order that changes nothing', async () => {
      const project = await factory.project();

      const result = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: { projectId: project.id, reason: 'Nothing', delta: '0', deltaHours: '0' },
      });

      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('should update a DRAFT change order', async () => {
      const project = await factory.project();
      const created = await factory.changeOrder(project.id);

      const { updateChangeOrder } = await queryData(sut.graphqlUrl, UPDATE, {
        id: created.id,
        input: { delta: '-250', reason: 'Descoped reporting' },
      });

      expect(updateChangeOrder).toMatchObject({
        delta: { amount: '-250.00', currency: 'EUR' },
        reason: 'Descoped reporting',
        deltaHours: created.deltaHours,
      });
    });

    it('should not edit a SUBMITTED change order', async () => {
      const project = await factory.project();
      const created = await factory.changeOrder(project.id);
      const submitted = await move(created.id, 'submit');

      const result = await postGraphQL(sut.graphqlUrl, UPDATE, { id: created.id, input: { delta: '99999' } });

      expect(result.errors?.[0].extensions?.code).toBe('CONFLICT');
      expect(await getChangeOrder(created.id)).toEqual(submitted);
    });

    it('should answer NOT_FOUND for a project or change order that does not exist', async () => {
      const onCreate = await postGraphQL(sut.graphqlUrl, CREATE, { input: { projectId: newId(), reason: 'Orphan', delta: '1' } });
      const onSubmit = await attempt(newId(), 'submit');

      expect(onCreate.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      expect(onSubmit.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });
  });

  describe('state machine and apply', () => {
    it('should apply an approved change order to the project budget and planned end in one step', async () => {
      const project = await factory.projectIn(['ACTIVE'], { budget: '100000', budgetHours: '500', plannedEnd: '2025-06-30' });
      const created = await factory.changeOrder(project.id, { delta: '15000.75', deltaHours: '80.5', newEndDate: '2025-08-31' });

      const submitted = await move(created.id, 'submit');
      const approved = await move(created.id, 'approve');
      const applied = await move(created.id, 'apply');

      expect(submitted.status).toBe('SUBMITTED');
      expect(approved).toMatchObject({ status: 'APPROVED', approvedBy: 'finance-1', appliedAt: null });
      expect(applied).toMatchObject({ status: 'APPLIED', approvedBy: 'finance-1', approvedAt: approved.approvedAt });
      expect(applied.appliedAt).not.toBeNull();
      expect(await factory.getProject(project.id)).toMatchObject({
        budget: { amount: '115000.75', currency: 'EUR' },
        budgetHours: '580.50',
        plannedEnd: '2025-08-31',
      });
    });

    it('should start a budget from zero and keep the planned end when none is given', async () => {
      const project = await factory.project({ plannedEnd: '2025-06-30' });
      const created = await factory.changeOrder(project.id, { delta: '800', deltaHours: '0' });
      for (const step of ['submit', 'approve', 'apply'] as const) {
        await move(created.id, step);
      }

      expect(await factory.getProject(project.id)).toMatchObject({
        budget: { amount: '800.00', currency: 'EUR' },
        budgetHours: null,
        plannedEnd: '2025-06-30',
      });
    });

    it('should not apply a change order that would make the budget negative, and change nothing', async () => {
      const project = await factory.project({ budget: '1000', budgetHours: '10' });
      const created = await factory.changeOrder(project.id, { delta: '-1500', deltaHours: '-5' });
      await move(created.id, 'submit');
      const approved = await move(created.id, 'approve');

      const result = await attempt(created.id, 'apply');

      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(await getChangeOrder(created.id)).toEqual(approved);
      expect(await factory.getProject(project.id)).toMatchObject({ budget: { amount: '1000.00', currency: 'EUR' }, budgetHours: '10.00' });
    });

    it('should not approve without an approver', async () => {
      const project = await factory.project();
      const created = await factory.changeOrder(project.id);
      const submitted = await move(created.id, 'submit');

      const result = await attempt(created.id, 'approve', '  ');

      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(await getChangeOrder(created.id)).toEqual(submitted);
    });

    it('should not apply a change order to a CLOSED project', async () => {
      const project = await factory.projectIn(['ACTIVE'], { budget: '1000' });
      const created = await factory.changeOrder(project.id, { delta: '500' });
      await move(created.id, 'submit');
      const approved = await move(created.id, 'approve');
      await factory.transitionProject(project.id, 'COMPLETED');
      await factory.transitionProject(project.id, 'CLOSED');

      const result = await attempt(created.id, 'apply');

      expect(result.errors?.[0].extensions?.code).toBe('CONFLICT');
      expect(await getChangeOrder(created.id)).toEqual(approved);
      expect((await factory.getProject(project.id)).budget).toEqual({ amount: '1000.00', currency: 'EUR' });
    });

    it.each<[Step[], Step, string]>([
      [[], 'withdraw', 'WITHDRAWN'],
      [['submit'], 'withdraw', 'WITHDRAWN'],
      [['submit'], 'reject', 'REJECTED'],
    ])('should allow %j then %s', async (path, step, status) => {
      const project = await factory.project();
      const created = await factory.changeOrder(project.id);
      for (const earlier of path) {
        await move(created.id, earlier);
      }

      expect((await move(created.id, step)).status).toBe(status);
    });

    it.each<[Step[], Step]>([
      [[], 'approve'],
      [[], 'apply'],
      [[], 'reject'],
      [['submit'], 'submit'],
      [['submit'], 'apply'],
      [['submit', 'approve'], 'reject'],
      [['submit', 'approve'], 'withdraw'],
      [['submit', 'approve', 'apply'], 'apply'],
      [['submit', 'reject'], 'submit'],
      [['withdraw'], 'submit'],
    ])('should not allow %j then %s, and change nothing', async (path, step) => {
      const project = await factory.project({ budget: '1000' });
      const created = await factory.changeOrder(project.id);
      for (const earlier of path) {
        await move(created.id, earlier);
      }
      const before = await getChangeOrder(created.id);
      const projectBefore = await factory.getProject(project.id);

      const result = await attempt(created.id, step);

      expect(result.errors?.[0].extensions?.code).toBe('INVALID_TRANSITION');
      expect(await getChangeOrder(created.id)).toEqual(before);
      expect(await factory.getProject(project.id)).toEqual(projectBefore);
    });
  });

  describe('changeOrders connection and Project.changeOrders', () => {
    let project: Record<string, any>;
    const contractId = newId();

    beforeAll(async () => {
      project = await factory.project({ contractId });
      const a = await factory.changeOrder(project.id);
      await factory.changeOrder(project.id);
      await factory.changeOrder(project.id, { contractId: null });
      await move(a.id, 'submit');
    });

    const numbers = (connection: { edges: Edge[] }) => connection.edges.map((edge) => edge.node.number);
    const list = async (args: string) =>
      (
        await queryData(
          sut.graphqlUrl,
          `{ changeOrders(${args.replace('$projectId', `"${project.id}"`).replace('$contractId', `"${contractId}"`)}) { edges { node { number } } } }`,
        )
      ).changeOrders;

    it.each([
      ['filter: { projectId: $projectId, statusIn: [SUBMITTED] }', ['CO-001']],
      ['filter: { contractId: $contractId }', ['CO-001', 'CO-002']],
      ['filter: { projectId: $projectId }, orderBy: { field: NUMBER, direction: DESC }', ['CO-003', 'CO-002', 'CO-001']],
      ['first: 2, filter: { projectId: $projectId }, orderBy: { field: CREATED_AT }', ['CO-001', 'CO-002']],
    ])('should list with %s', async (args, expected) => {
      expect(numbers(await list(args))).toEqual(expected);
    });

    it('should list the change orders of a project with their project', async () => {
      const { project: read } = await queryData(
        sut.graphqlUrl,
        `query($id: ID!) { project(id: $id) { changeOrders { number status contract { id } project { id } } } }`,
        { id: project.id },
      );

      expect(read.changeOrders).toEqual([
        { number: 'CO-001', status: 'SUBMITTED', contract: { id: contractId }, project: { id: project.id } },
        { number: 'CO-002', status: 'DRAFT', contract: { id: contractId }, project: { id: project.id } },
        { number: 'CO-003', status: 'DRAFT', contract: null, project: { id: project.id } },
      ]);
    });
  });

  describe('allocateChangeOrderHours', () => {
    const ALLOCATE = `mutation($id: ID!, $contractLineId: ID!) { allocateChangeOrderHours(id: $id, contractLineId: $contractLineId) { id status allocatedTaskId } }`;
    const TASK = `query($id: ID!) { task(id: $id) { allocatedHours } }`;
    const allocate = (id: string, contractLineId: string) => postGraphQL(sut.graphqlUrl, ALLOCATE, { id, contractLineId });
    const hoursOf = async (id: string) => (await queryData(sut.graphqlUrl, TASK, { id })).task.allocatedHours;
    const approved = async (projectId: string, overrides: Record<string, unknown>) => {
      const created = await factory.changeOrder(projectId, overrides);
      await move(created.id, 'submit');
      return move(created.id, 'approve');
    };

    it("should add the hours delta to the line's earliest open task once, however often it is called", async () => {
      const [line, otherLine] = [newId(), newId()];
      const project = await factory.projectIn(['ACTIVE'], { contractId: newId() });
      const done = await factory.task(project.id, { contractLineId: line, allocatedHours: '10' });
      await queryData(sut.graphqlUrl, `mutation($id: ID!) { transitionTask(id: $id, to: DONE) { id } }`, { id: done.id });
      const open = await factory.task(project.id, { contractLineId: line, allocatedHours: '120' });
      const later = await factory.task(project.id, { contractLineId: line, allocatedHours: '5' });
      const elsewhere = await factory.task(project.id, { contractLineId: otherLine, allocatedHours: '40' });
      const changeOrder = await approved(project.id, { delta: '8000', deltaHours: '40.5' });

      const first = await allocate(changeOrder.id, line);
      const again = await allocate(changeOrder.id, line);
      await move(changeOrder.id, 'apply');
      const afterApply = await allocate(changeOrder.id, line);

      expect(first.errors).toBeUndefined();
      expect(first.data?.allocateChangeOrderHours).toEqual({ id: changeOrder.id, status: 'APPROVED', allocatedTaskId: open.id });
      expect(again.data?.allocateChangeOrderHours).toEqual({ id: changeOrder.id, status: 'APPROVED', allocatedTaskId: open.id });
      expect(afterApply.data?.allocateChangeOrderHours).toEqual({ id: changeOrder.id, status: 'APPLIED', allocatedTaskId: open.id });
      expect(await Promise.all([done, open, later, elsewhere].map((task) => hoursOf(task.id)))).toEqual([
        '10.00',
        '160.50',
        '5.00',
        '40.00',
      ]);
    });

    it('should take hours away, but not below zero, and not before the change order is approved', async () => {
      const line = newId();
      const project = await factory.projectIn(['ACTIVE'], { contractId: newId() });
      const task = await factory.task(project.id, { contractLineId: line, allocatedHours: '30' });
      const fewer = await approved(project.id, { delta: '-1000', deltaHours: '-12' });
      const tooMany = await approved(project.id, { delta: '-1000', deltaHours: '-19' });
      const draft = await factory.changeOrder(project.id, { delta: '500', deltaHours: '4' });

      const removed = await allocate(fewer.id, line);
      const refused = await allocate(tooMany.id, line);
      const early = await allocate(draft.id, line);

      expect(removed.data?.allocateChangeOrderHours.allocatedTaskId).toBe(task.id);
      expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(refused.errors?.[0].message).toBe(`change order ${tooMany.number} removes 19.00 h, task ${task.name} has 18.00 h allocated`);
      expect(early.errors?.[0].extensions?.code).toBe('CONFLICT');
      expect(await hoursOf(task.id)).toBe('18.00');
      const { changeOrder } = await queryData(sut.graphqlUrl, `query($id: ID!) { changeOrder(id: $id) { allocatedTaskId } }`, {
        id: tooMany.id,
      });
      expect(changeOrder).toEqual({ allocatedTaskId: null });
    });

    it('should change nothing when no task is billed under the line, and record no task', async () => {
      const project = await factory.projectIn(['ACTIVE'], { contractId: newId() });
      const task = await factory.task(project.id, { contractLineId: newId(), allocatedHours: '8' });
      const changeOrder = await approved(project.id, { delta: '100', deltaHours: '2' });

      const result = await allocate(changeOrder.id, newId());

      expect(result.data?.allocateChangeOrderHours.allocatedTaskId).toBeNull();
      expect(await hoursOf(task.id)).toBe('8.00');
    });
  });
});
