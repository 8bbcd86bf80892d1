import { ErrorCode, newId } from '@concord/common';
import { asCaller, postGraphQL, useTestService } from '@concord/testing';
import { PsaModule } from '../app.module';
import { DeliveryFactory } from './delivery.factory';

jest.setTimeout(60_000);

/**
 * Row-level read rules of the default policy bundle, enforced by the PSA on the loaded rows (ARCHITECTURE.md §5.3):
 * a delivery manager sees cost only on the projects they manage; a consultant sees and writes only their own
 * assignments, time entries and expenses.
 */
describe('PSA row-level policy', () => {
  const sut = useTestService((databaseUrl) => PsaModule.forRoot({ databaseUrl }), 'psa');
  let factory: DeliveryFactory;
  const tag = newId().slice(-6);
  const manager = { sub: `dm-${tag}`, roles: ['delivery_manager'] };
  const consultant = { sub: `person-a-${tag}`, roles: ['consultant'] };

  beforeAll(() => {
    factory = new DeliveryFactory(sut.graphqlUrl);
  });

  const as = (caller: { sub: string; roles: string[] }, query: string, variables?: Record<string, unknown>) =>
    postGraphQL(sut.graphqlUrl, query, variables, asCaller(caller));

  describe('cost of projects (delivery manager)', () => {
    const COST = `query($id: ID!) { project(id: $id) { id name costToDate { amount currency } } }`;

    it('shows cost on a project the caller manages', async () => {
      const own = await factory.projects.project({ managerId: manager.sub });
      const result = await as(manager, COST, { id: own.id });
      expect(result.errors).toBeUndefined();
      expect(result.data?.project).toMatchObject({ id: own.id, costToDate: { amount: '0.00' } });
    });

    it('answers null with FORBIDDEN_FIELD on a project someone else manages, the rest of the project intact', async () => {
      const other = await factory.projects.project({ managerId: `someone-else-${tag}` });
      const result = await as(manager, COST, { id: other.id });
      expect(result.data?.project).toEqual({ id: other.id, name: other.name, costToDate: null });
      expect(result.errors).toEqual([
        expect.objectContaining({
          path: ['project', 'costToDate'],
          extensions: expect.objectContaining({ code: ErrorCode.FORBIDDEN_FIELD, coordinate: 'Project.costToDate' }),
        }),
      ]);
    });

    it('decides per row in a list', async () => {
      const listed = `Listed ${tag}`;
      const own = await factory.projects.project({ managerId: manager.sub, name: `${listed} own` });
      const other = await factory.projects.project({ managerId: `someone-else-${tag}`, name: `${listed} other` });
      const result = await as(
        manager,
        `query($name: String) { projects(first: 10, filter: { codeOrNameContains: $name }) { edges { node { id costToDate { amount } } } } }`,
        {
          name: listed,
        },
      );
      expect(result.data?.projects.edges).toHaveLength(2);
      const byId = Object.fromEntries(
        (result.data?.projects.edges ?? []).map((edge: { node: { id: string; costToDate: unknown } }) => [
          edge.node.id,
          edge.node.costToDate,
        ]),
      );
      expect(byId[own.id]).toEqual({ amount: '0.00' });
      expect(byId[other.id]).toBeNull();
      expect(result.errors).toHaveLength(1);
    });

    it('shows cost everywhere to roles that read the class (finance, executive)', async () => {
      const other = await factory.projects.project({ managerId: `someone-else-${tag}` });
      for (const roles of [['finance'], ['executive']]) {
        const result = await as({ sub: `u-${tag}`, roles }, COST, { id: other.id });
        expect(result.errors).toBeUndefined();
        expect(result.data?.project.costToDate).toEqual({ amount: '0.00', currency: other.currency });
      }
    });
  });

  describe("a consultant's own records", () => {
    let mine: { assignment: Record<string, any>; entry: Record<string, any>; expense: Record<string, any> };
    let theirs: { assignment: Record<string, any>; entry: Record<string, any>; expense: Record<string, any> };
    let projectId: string;

    beforeAll(async () => {
      const project = await factory.projects.project({ managerId: manager.sub });
      projectId = project.id;
      const staff = async (personId: string) => {
        const resource = await factory.resource({ personId });
        const assignment = await factory.assignment(project.id, resource.id);
        const entry = await factory.timeEntry(assignment.id);
        const expense = await factory.expense(project.id, resource.id);
        return { assignment, entry, expense };
      };
      mine = await staff(consultant.sub);
      theirs = await staff(`person-b-${tag}`);
    });

    it('lists only their own time entries, expenses and assignments', async () => {
      const result = await as(
        consultant,
        `query($projectId: ID!) {
          timeEntries(first: 50, filter: { projectId: $projectId }) { edges { node { id } } }
          expenses(first: 50, filter: { projectId: $projectId }) { edges { node { id } } }
          assignments(first: 50, filter: { projectId: $projectId }) { edges { node { id } } }
        }`,
        { projectId },
      );
      expect(result.errors).toBeUndefined();
      const ids = (connection: { edges: { node: { id: string } }[] }) => connection.edges.map((edge) => edge.node.id);
      expect(ids(result.data?.timeEntries)).toEqual([mine.entry.id]);
      expect(ids(result.data?.expenses)).toEqual([mine.expense.id]);
      expect(ids(result.data?.assignments)).toEqual([mine.assignment.id]);
    });

    it('finds someone else’s records neither by id nor through the project', async () => {
      const result = await as(
        consultant,
        `query($entry: ID!, $expense: ID!, $project: ID!) {
          timeEntry(id: $entry) { id }
          expense(id: $expense) { id }
          project(id: $project) { timeEntries { id } expenses { id } assignments { id } }
        }`,
        { entry: theirs.entry.id, expense: theirs.expense.id, project: projectId },
      );
      expect(result.errors).toBeUndefined();
      expect(result.data?.timeEntry).toBeNull();
      expect(result.data?.expense).toBeNull();
      expect(result.data?.project).toEqual({
        timeEntries: [{ id: mine.entry.id }],
        expenses: [{ id: mine.expense.id }],
        assignments: [{ id: mine.assignment.id }],
      });
    });

    it('may log and change their own time but not someone else’s', async () => {
      const own = await as(consultant, `mutation($input: CreateTimeEntryInput!) { createTimeEntry(input: $input) { id } }`, {
        input: { assignmentId: mine.assignment.id, date: '2025-03-05', hours: '4' },
      });
      expect(own.errors).toBeUndefined();

      const forOther = await as(consultant, `mutation($input: CreateTimeEntryInput!) { createTimeEntry(input: $input) { id } }`, {
        input: { assignmentId: theirs.assignment.id, date: '2025-03-05', hours: '4' },
      });
      expect(forOther.errors?.[0]?.extensions?.code).toBe(ErrorCode.FORBIDDEN);

      const update = await as(consultant, `mutation($id: ID!) { updateTimeEntry(id: $id, input: { hours: "1" }) { id } }`, {
        id: theirs.entry.id,
      });
      expect(update.errors?.[0]?.extensions?.code).toBe(ErrorCode.FORBIDDEN);

      const submit = await as(consultant, `mutation($id: ID!) { transitionExpense(id: $id, to: SUBMITTED) { id } }`, {
        id: theirs.expense.id,
      });
      expect(submit.errors?.[0]?.extensions?.code).toBe(ErrorCode.FORBIDDEN);

      const [stored] = await sut.dataSource.query(`SELECT hours FROM psa.time_entry WHERE id = $1`, [theirs.entry.id]);
      expect(Number(stored.hours)).toBe(8);
    });

    it('leaves other roles unscoped', async () => {
      const result = await as(
        manager,
        `query($projectId: ID!) { timeEntries(first: 50, filter: { projectId: $projectId }) { edges { node { id } } } }`,
        {
          projectId,
        },
      );
      expect(result.data?.timeEntries.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual(
        expect.arrayContaining([mine.entry.id, theirs.entry.id]),
      );
    });
  });
});
