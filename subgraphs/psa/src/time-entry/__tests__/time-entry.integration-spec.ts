import { newId, QueryCounter } from '@concord/common';
import { postGraphQL, queryData, useTestService } from '@concord/testing';
import { DeliveryFactory } from '../../__tests__/delivery.factory';
import { PsaModule } from '../../app.module';

const FIELDS = DeliveryFactory.fields.timeEntry;
const CREATE = `mutation($input: CreateTimeEntryInput!) { createTimeEntry(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateTimeEntryInput!) { updateTimeEntry(id: $id, input: $input) { ${FIELDS} } }`;
const TRANSITION = `mutation($id: ID!, $to: TimeEntryStatus!) { transitionTimeEntry(id: $id, to: $to) { ${FIELDS} } }`;
const GET = `query($id: ID!) { timeEntry(id: $id) { ${FIELDS} } }`;
const MARK = `mutation($ids: [ID!]!, $invoiceId: ID!, $invoiceLineId: ID) {
  markTimeEntriesInvoiced(ids: $ids, invoiceId: $invoiceId, invoiceLineId: $invoiceLineId) { id status invoiceId invoiceLineId invoice { id } } }`;
const UNMARK = `mutation($invoiceId: ID!) { unmarkTimeEntriesInvoiced(invoiceId: $invoiceId) { id status invoiceId invoiceLineId invoice { id } } }`;
const LIST = `query($filter: TimeEntryFilter, $orderBy: TimeEntryOrder, $first: Int, $after: String) {
  timeEntries(filter: $filter, orderBy: $orderBy, first: $first, after: $after) { edges { node { id date hours status } } pageInfo { hasNextPage endCursor } } }`;

type Edge = { node: Record<string, any> };

// jest ignores testTimeout inside a `projects` entry, so the 5 s default applies; a loaded CI machine needs more.
jest.setTimeout(60_000);

describe('TimeEntry', () => {
  const counter = new QueryCounter();
  const sut = useTestService((databaseUrl) => PsaModule.forRoot({ databaseUrl, queryLogger: counter }), 'psa');
  let factory: DeliveryFactory;

  beforeAll(async () => {
    factory = new DeliveryFactory(sut.graphqlUrl);
  });

  const getEntry = async (id: string) => (await queryData(sut.graphqlUrl, GET, { id })).timeEntry;
  const entriesOf = async (filter: Record<string, unknown>, orderBy?: Record<string, unknown>) =>
    (await queryData(sut.graphqlUrl, LIST, { filter, orderBy })).timeEntries.edges.map((edge: Edge) => edge.node);
  const codeOf = (result: { errors?: { extensions?: Record<string, unknown> }[] }) => result.errors?.[0]?.extensions?.code;

  describe('create', () => {
    it('should log hours with the rates of the assignment and exact amounts in the project currency', async () => {
      const { project, resource, assignment } = await factory.staffed();

      const entry = await factory.timeEntry(assignment.id, { hours: '7.5', description: 'Workshop' });

      expect(entry).toMatchObject({
        resourceId: resource.id,
        projectId: project.id,
        assignmentId: assignment.id,
        taskId: null,
        date: '2025-03-04',
        hours: '7.50',
        billable: true,
        billableHours: '7.50',
        billRate: { amount: '150.00', currency: 'EUR' },
        costRate: { amount: '60.00', currency: 'EUR' },
        billAmount: { amount: '1125.00', currency: 'EUR' },
        costAmount: { amount: '450.00', currency: 'EUR' },
        currency: 'EUR',
        description: 'Workshop',
        status: 'DRAFT',
        invoiceId: null,
      });
      expect(await getEntry(entry.id)).toEqual(entry);
    });

    it('should keep sub-cent rates and round amounts to cents half to even', async () => {
      const { assignment } = await factory.staffed({
        project: { currency: 'USD' },
        assignment: { billRate: '33.333333', costRate: '0.25' },
      });

      const entry = await factory.timeEntry(assignment.id, { hours: '0.1', billableHours: '0.03' });

      expect(entry.billRate).toEqual({ amount: '33.333333', currency: 'USD' });
      expect(entry.billAmount).toEqual({ amount: '1.00', currency: 'USD' });
      expect(entry.costAmount).toEqual({ amount: '0.02', currency: 'USD' });
    });

    it('should take the billable flag from the task and zero the bill rate and billable hours of a non-billable entry', async () => {
      const { project, assignment } = await factory.staffed();
      const task = await factory.projects.task(project.id, { billable: false });

      const entry = await factory.timeEntry(assignment.id, { taskId: task.id, hours: '2' });

      expect(entry).toMatchObject({
        taskId: task.id,
        billable: false,
        billableHours: '0.00',
        billRate: { amount: '0.00', currency: 'EUR' },
        billAmount: { amount: '0.00', currency: 'EUR' },
        costAmount: { amount: '120.00', currency: 'EUR' },
      });
    });

    it('should let explicit rates override the assignment snapshot', async () => {
      const { assignment } = await factory.staffed();

      const entry = await factory.timeEntry(assignment.id, { hours: '4', billableHours: '3', billRate: '200', costRate: '55.5' });

      expect(entry).toMatchObject({
        billableHours: '3.00',
        billAmount: { amount: '600.00', currency: 'EUR' },
        costAmount: { amount: '222.00', currency: 'EUR' },
      });
    });
  });

  describe('rules', () => {
    it.each([
      ['0', 'hours of 0'],
      ['24.25', 'more than 24 hours'],
    ])('should not accept %s hours (%s) and write nothing', async (hours) => {
      const { assignment } = await factory.staffed();

      const result = await postGraphQL(sut.graphqlUrl, CREATE, { input: { assignmentId: assignment.id, date: '2025-03-04', hours } });

      expect(codeOf(result)).toBe('BAD_USER_INPUT');
      expect(await entriesOf({ assignmentId: assignment.id })).toEqual([]);
    });

    it('should not let a resource log more than 24 hours on one date across entries (CONFLICT), cancelled entries excluded', async () => {
      const { project, resource, assignment } = await factory.staffed();
      const other = await factory.assignment(project.id, resource.id, { role: 'Reviewer' });
      const first = await factory.timeEntry(assignment.id, { date: '2025-03-10', hours: '16' });

      const refused = await postGraphQL(sut.graphqlUrl, CREATE, { input: { assignmentId: other.id, date: '2025-03-10', hours: '8.25' } });
      const otherDay = await factory.timeEntry(other.id, { date: '2025-03-11', hours: '8.25' });
      const exact = await factory.timeEntry(other.id, { date: '2025-03-10', hours: '8' });
      await factory.transitionTimeEntry(first.id, 'CANCELLED');
      const afterCancel = await factory.timeEntry(assignment.id, { date: '2025-03-10', hours: '16' });

      expect(codeOf(refused)).toBe('CONFLICT');
      expect(refused.errors?.[0].extensions).toMatchObject({ date: '2025-03-10', loggedHours: '16.00' });
      expect([otherDay.hours, exact.hours, afterCancel.hours]).toEqual(['8.25', '8.00', '16.00']);
      expect(
        (await entriesOf({ resourceId: resource.id, dateFrom: '2025-03-10', dateTo: '2025-03-10' }))
          .map((entry: { hours: string }) => entry.hours)
          .sort(),
      ).toEqual(['16.00', '16.00', '8.00']);
    });

    it('should not let an update push the day over 24 hours', async () => {
      const { assignment } = await factory.staffed();
      await factory.timeEntry(assignment.id, { date: '2025-03-12', hours: '12' });
      const second = await factory.timeEntry(assignment.id, { date: '2025-03-12', hours: '10' });

      const refused = await postGraphQL(sut.graphqlUrl, UPDATE, { id: second.id, input: { hours: '12.5' } });
      const allowed = await queryData(sut.graphqlUrl, UPDATE, { id: second.id, input: { hours: '12' } });

      expect(codeOf(refused)).toBe('CONFLICT');
      expect(allowed.updateTimeEntry.hours).toBe('12.00');
    });

    it.each([
      [{ billable: false, billRate: '100' }, 'billRate'],
      [{ billable: false, billableHours: '1' }, 'billableHours'],
      [{ billableHours: '9' }, 'billableHours'],
    ])('should not accept %j (BAD_USER_INPUT on %s) and write nothing', async (overrides, field) => {
      const { assignment } = await factory.staffed();

      const result = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: { assignmentId: assignment.id, date: '2025-03-04', hours: '8', ...overrides },
      });

      expect(codeOf(result)).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0].extensions?.field).toBe(field);
      expect(await entriesOf({ assignmentId: assignment.id })).toEqual([]);
    });

    it('should not accept a task of another project', async () => {
      const { assignment } = await factory.staffed();
      const otherProject = await factory.project();
      const foreignTask = await factory.projects.task(otherProject.id);

      const result = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: { assignmentId: assignment.id, taskId: foreignTask.id, date: '2025-03-04', hours: '1' },
      });

      expect(codeOf(result)).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0].extensions?.field).toBe('taskId');
      expect(await entriesOf({ assignmentId: assignment.id })).toEqual([]);
    });

    it('should not accept an assignment of another project or of another resource', async () => {
      const { assignment } = await factory.staffed();
      const otherProject = await factory.project();
      const otherResource = await factory.resource();

      const wrongProject = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: { assignmentId: assignment.id, projectId: otherProject.id, date: '2025-03-04', hours: '1' },
      });
      const wrongResource = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: { assignmentId: assignment.id, resourceId: otherResource.id, date: '2025-03-04', hours: '1' },
      });

      expect([codeOf(wrongProject), codeOf(wrongResource)]).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
      expect([wrongProject.errors?.[0].message, wrongResource.errors?.[0].message]).toEqual([
        'the assignment belongs to another project',
        'the assignment belongs to another resource',
      ]);
      expect(await entriesOf({ assignmentId: assignment.id })).toEqual([]);
    });

    it('should not accept a date outside the assignment period', async () => {
      const { assignment } = await factory.staffed();

      const before = await postGraphQL(sut.graphqlUrl, CREATE, { input: { assignmentId: assignment.id, date: '2025-03-02', hours: '1' } });
      const after = await postGraphQL(sut.graphqlUrl, CREATE, { input: { assignmentId: assignment.id, date: '2025-04-01', hours: '1' } });

      expect([codeOf(before), codeOf(after)]).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
      expect(before.errors?.[0].extensions).toMatchObject({ field: 'date', startDate: '2025-03-03', endDate: '2025-03-31' });
      expect(await entriesOf({ assignmentId: assignment.id })).toEqual([]);
    });

    it('should not log time on a cancelled assignment', async () => {
      const { assignment } = await factory.staffed();
      await queryData(sut.graphqlUrl, `mutation($id: ID!) { transitionAssignment(id: $id, to: CANCELLED) { id } }`, { id: assignment.id });

      const result = await postGraphQL(sut.graphqlUrl, CREATE, { input: { assignmentId: assignment.id, date: '2025-03-04', hours: '1' } });

      expect(codeOf(result)).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0].extensions?.field).toBe('assignmentId');
    });

    it('should not log time on a closed project (CONFLICT)', async () => {
      const { project, assignment } = await factory.staffed();
      await factory.projects.transitionProject(project.id, 'COMPLETED');
      await factory.projects.transitionProject(project.id, 'CLOSED');

      const result = await postGraphQL(sut.graphqlUrl, CREATE, { input: { assignmentId: assignment.id, date: '2025-03-04', hours: '1' } });

      expect(codeOf(result)).toBe('CONFLICT');
      expect(await entriesOf({ assignmentId: assignment.id })).toEqual([]);
    });

    it('should answer NOT_FOUND for an unknown assignment or task', async () => {
      const { assignment } = await factory.staffed();

      const unknownAssignment = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: { assignmentId: newId(), date: '2025-03-04', hours: '1' },
      });
      const unknownTask = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: { assignmentId: assignment.id, taskId: newId(), date: '2025-03-04', hours: '1' },
      });

      expect([codeOf(unknownAssignment), codeOf(unknownTask)]).toEqual(['NOT_FOUND', 'NOT_FOUND']);
      expect(unknownTask.errors?.[0].extensions?.entity).toBe('Task');
    });

    it('should refuse malformed input with BAD_USER_INPUT naming the fields', async () => {
      const { assignment } = await factory.staffed();

      const malformed = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: { assignmentId: assignment.id, date: '04/03/2025', hours: '8.125', billRate: '-1' },
      });
      const impossibleDate = await postGraphQL(sut.graphqlUrl, CREATE, {
        input: { assignmentId: assignment.id, date: '2025-02-30', hours: '1' },
      });

      expect(codeOf(malformed)).toBe('BAD_USER_INPUT');
      expect(malformed.errors?.[0].extensions?.problems).toEqual(
        expect.arrayContaining([expect.stringContaining('date'), expect.stringContaining('hours'), expect.stringContaining('billRate')]),
      );
      expect(codeOf(impossibleDate)).toBe('BAD_USER_INPUT');
    });
  });

  describe('update', () => {
    it('should reprice the entry when hours and the billable flag change', async () => {
      const { assignment } = await factory.staffed();
      const entry = await factory.timeEntry(assignment.id, { hours: '8' });

      const longer = (await queryData(sut.graphqlUrl, UPDATE, { id: entry.id, input: { hours: '9.5' } })).updateTimeEntry;
      const internal = (await queryData(sut.graphqlUrl, UPDATE, { id: entry.id, input: { billable: false } })).updateTimeEntry;
      const billableAgain = (await queryData(sut.graphqlUrl, UPDATE, { id: entry.id, input: { billable: true } })).updateTimeEntry;

      expect(longer).toMatchObject({
        hours: '9.50',
        billableHours: '9.50',
        billAmount: { amount: '1425.00', currency: 'EUR' },
        costAmount: { amount: '570.00', currency: 'EUR' },
      });
      expect(internal).toMatchObject({
        billable: false,
        billableHours: '0.00',
        billRate: { amount: '0.00', currency: 'EUR' },
        billAmount: { amount: '0.00', currency: 'EUR' },
      });
      expect(billableAgain).toMatchObject({
        billableHours: '9.50',
        billRate: { amount: '150.00', currency: 'EUR' },
        billAmount: { amount: '1425.00', currency: 'EUR' },
      });
    });

    it('should take the rates of a new assignment of the same resource and project', async () => {
      const { project, resource, assignment } = await factory.staffed();
      const senior = await factory.assignment(project.id, resource.id, { role: 'Lead', billRate: '180', costRate: '70' });
      const entry = await factory.timeEntry(assignment.id, { hours: '2' });

      const moved = (await queryData(sut.graphqlUrl, UPDATE, { id: entry.id, input: { assignmentId: senior.id } })).updateTimeEntry;

      expect(moved).toMatchObject({
        assignmentId: senior.id,
        billAmount: { amount: '360.00', currency: 'EUR' },
        costAmount: { amount: '140.00', currency: 'EUR' },
      });
    });

    it('should not move an entry to an assignment of another resource', async () => {
      const { project, assignment } = await factory.staffed();
      const colleague = await factory.resource();
      const colleagueAssignment = await factory.assignment(project.id, colleague.id);
      const entry = await factory.timeEntry(assignment.id);

      const result = await postGraphQL(sut.graphqlUrl, UPDATE, { id: entry.id, input: { assignmentId: colleagueAssignment.id } });

      expect(codeOf(result)).toBe('BAD_USER_INPUT');
      expect((await getEntry(entry.id)).assignmentId).toBe(assignment.id);
    });

    it('should answer NOT_FOUND when updating an entry that does not exist', async () => {
      const result = await postGraphQL(sut.graphqlUrl, UPDATE, { id: newId(), input: { hours: '1' } });

      expect(codeOf(result)).toBe('NOT_FOUND');
    });
  });

  describe('transitions', () => {
    it('should go DRAFT → SUBMITTED → APPROVED and stamp approvedAt', async () => {
      const { assignment } = await factory.staffed();
      const entry = await factory.timeEntry(assignment.id);

      const submitted = await factory.transitionTimeEntry(entry.id, 'SUBMITTED');
      const approved = await factory.transitionTimeEntry(entry.id, 'APPROVED');

      expect([submitted.status, submitted.approvedAt]).toEqual(['SUBMITTED', null]);
      expect(approved.status).toBe('APPROVED');
      expect(Date.parse(approved.approvedAt)).toBeGreaterThan(Date.now() - 60_000);
    });

    it('should go SUBMITTED → REJECTED → DRAFT and be submitted again', async () => {
      const { assignment } = await factory.staffed();
      const entry = await factory.timeEntry(assignment.id);

      const statuses = [];
      for (const to of ['SUBMITTED', 'REJECTED', 'DRAFT', 'SUBMITTED']) {
        statuses.push((await factory.transitionTimeEntry(entry.id, to)).status);
      }

      expect(statuses).toEqual(['SUBMITTED', 'REJECTED', 'DRAFT', 'SUBMITTED']);
    });

    it.each([
      [[], 'APPROVED'],
      [[], 'REJECTED'],
      [['SUBMITTED', 'APPROVED'], 'DRAFT'],
      [['CANCELLED'], 'DRAFT'],
      [['SUBMITTED', 'APPROVED'], 'INVOICED'],
    ])('should not go from %j to %s (INVALID_TRANSITION) and change nothing', async (path, to) => {
      const { assignment } = await factory.staffed();
      const entry = await factory.timeEntry(assignment.id);
      const before = path.length ? await factory.transitionTimeEntry(entry.id, ...path) : entry;

      const result = await postGraphQL(sut.graphqlUrl, TRANSITION, { id: entry.id, to });

      expect(codeOf(result)).toBe('INVALID_TRANSITION');
      expect(await getEntry(entry.id)).toEqual(before);
    });
  });

  describe('invoicing', () => {
    it('should mark APPROVED entries INVOICED on the invoice line and link them to the ERP invoice', async () => {
      const { assignment } = await factory.staffed();
      const first = await factory.approvedTimeEntry(assignment.id, { date: '2025-03-04' });
      const second = await factory.approvedTimeEntry(assignment.id, { date: '2025-03-05' });
      const invoiceId = newId();
      const invoiceLineId = newId();

      const { markTimeEntriesInvoiced } = await queryData(sut.graphqlUrl, MARK, { ids: [second.id, first.id], invoiceId, invoiceLineId });

      expect(markTimeEntriesInvoiced).toEqual([
        { id: second.id, status: 'INVOICED', invoiceId, invoiceLineId, invoice: { id: invoiceId } },
        { id: first.id, status: 'INVOICED', invoiceId, invoiceLineId, invoice: { id: invoiceId } },
      ]);
      expect((await entriesOf({ invoiceId })).map((entry: { id: string }) => entry.id).sort()).toEqual([first.id, second.id].sort());
    });

    it('should be retry-safe: marking again on the same invoice line changes nothing', async () => {
      const { assignment } = await factory.staffed();
      const entry = await factory.approvedTimeEntry(assignment.id);
      const invoiceId = newId();
      const invoiceLineId = newId();
      await queryData(sut.graphqlUrl, MARK, { ids: [entry.id], invoiceId, invoiceLineId });
      const once = await getEntry(entry.id);

      const { markTimeEntriesInvoiced } = await queryData(sut.graphqlUrl, MARK, { ids: [entry.id], invoiceId, invoiceLineId });

      expect(markTimeEntriesInvoiced).toEqual([{ id: entry.id, status: 'INVOICED', invoiceId, invoiceLineId, invoice: { id: invoiceId } }]);
      expect(await getEntry(entry.id)).toEqual(once);
    });

    it('should mark nothing when one entry is not APPROVED (INVALID_TRANSITION, all or nothing)', async () => {
      const { assignment } = await factory.staffed();
      const approved = await factory.approvedTimeEntry(assignment.id, { date: '2025-03-04' });
      const submitted = await factory.timeEntry(assignment.id, { date: '2025-03-05' });
      await factory.transitionTimeEntry(submitted.id, 'SUBMITTED');

      const result = await postGraphQL(sut.graphqlUrl, MARK, { ids: [approved.id, submitted.id], invoiceId: newId() });

      expect(codeOf(result)).toBe('INVALID_TRANSITION');
      expect(result.errors?.[0].extensions?.ids).toEqual([submitted.id]);
      expect(await getEntry(approved.id)).toMatchObject({ status: 'APPROVED', invoiceId: null });
    });

    it('should mark nothing when one id is unknown (NOT_FOUND), already on another invoice (CONFLICT) or not billable (BAD_USER_INPUT)', async () => {
      const { project, assignment } = await factory.staffed();
      const approved = await factory.approvedTimeEntry(assignment.id, { date: '2025-03-04' });
      const elsewhere = await factory.approvedTimeEntry(assignment.id, { date: '2025-03-05' });
      await queryData(sut.graphqlUrl, MARK, { ids: [elsewhere.id], invoiceId: newId() });
      const internalTask = await factory.projects.task(project.id, { billable: false });
      const internal = await factory.approvedTimeEntry(assignment.id, { date: '2025-03-06', taskId: internalTask.id });
      const unknownId = newId();

      const unknown = await postGraphQL(sut.graphqlUrl, MARK, { ids: [approved.id, unknownId], invoiceId: newId() });
      const conflict = await postGraphQL(sut.graphqlUrl, MARK, { ids: [approved.id, elsewhere.id], invoiceId: newId() });
      const nonBillable = await postGraphQL(sut.graphqlUrl, MARK, { ids: [approved.id, internal.id], invoiceId: newId() });

      expect([codeOf(unknown), codeOf(conflict), codeOf(nonBillable)]).toEqual(['NOT_FOUND', 'CONFLICT', 'BAD_USER_INPUT']);
      expect(unknown.errors?.[0].extensions?.ids).toEqual([unknownId]);
      expect(await getEntry(approved.id)).toMatchObject({ status: 'APPROVED', invoiceId: null });
    });

    it('should keep an INVOICED entry immutable (CONFLICT) and not cancellable until it is un-invoiced', async () => {
      const { assignment } = await factory.staffed();
      const entry = await factory.approvedTimeEntry(assignment.id, { hours: '6' });
      const invoiceId = newId();
      await queryData(sut.graphqlUrl, MARK, { ids: [entry.id], invoiceId });
      const invoiced = await getEntry(entry.id);

      const update = await postGraphQL(sut.graphqlUrl, UPDATE, { id: entry.id, input: { description: 'edited' } });
      const cancel = await postGraphQL(sut.graphqlUrl, TRANSITION, { id: entry.id, to: 'CANCELLED' });
      const back = await postGraphQL(sut.graphqlUrl, TRANSITION, { id: entry.id, to: 'APPROVED' });

      expect(codeOf(update)).toBe('CONFLICT');
      expect(update.errors?.[0].extensions).toMatchObject({ status: 'INVOICED', invoiceId });
      expect([codeOf(cancel), codeOf(back)]).toEqual(['INVALID_TRANSITION', 'INVALID_TRANSITION']);
      expect(await getEntry(entry.id)).toEqual(invoiced);

      const { unmarkTimeEntriesInvoiced } = await queryData(sut.graphqlUrl, UNMARK, { invoiceId });
      const edited = (await queryData(sut.graphqlUrl, UPDATE, { id: entry.id, input: { description: 'edited' } })).updateTimeEntry;

      expect(unmarkTimeEntriesInvoiced).toEqual([
        { id: entry.id, status: 'APPROVED', invoiceId: null, invoiceLineId: null, invoice: null },
      ]);
      expect(edited).toMatchObject({ status: 'APPROVED', description: 'edited', invoiceId: null });
    });

    it('should un-invoice nothing for an invoice without entries', async () => {
      const { unmarkTimeEntriesInvoiced } = await queryData(sut.graphqlUrl, UNMARK, { invoiceId: newId() });

      expect(unmarkTimeEntriesInvoiced).toEqual([]);
    });
  });

  describe('queries', () => {
    it('should filter by project, status, date range, billable and invoiced, and sort by date', async () => {
      const { project, assignment } = await factory.staffed();
      const early = await factory.approvedTimeEntry(assignment.id, { date: '2025-03-04' });
      const middle = await factory.timeEntry(assignment.id, { date: '2025-03-12' });
      const late = await factory.approvedTimeEntry(assignment.id, { date: '2025-03-20' });
      const internal = await factory.timeEntry(assignment.id, { date: '2025-03-21', billable: false });
      await queryData(sut.graphqlUrl, MARK, { ids: [late.id], invoiceId: newId() });
      const ids = (nodes: { id: string }[]) => nodes.map((node) => node.id);

      expect(ids(await entriesOf({ projectId: project.id }, { field: 'DATE', direction: 'DESC' }))).toEqual([
        internal.id,
        late.id,
        middle.id,
        early.id,
      ]);
      expect(ids(await entriesOf({ projectId: project.id, statusIn: ['APPROVED', 'INVOICED'] }))).toEqual([early.id, late.id]);
      expect(ids(await entriesOf({ projectId: project.id, dateFrom: '2025-03-05', dateTo: '2025-03-20' }))).toEqual([middle.id, late.id]);
      expect(ids(await entriesOf({ projectId: project.id, billable: false }))).toEqual([internal.id]);
      expect(ids(await entriesOf({ projectId: project.id, invoiced: true }))).toEqual([late.id]);
      expect(ids(await entriesOf({ projectId: project.id, invoiced: false, billable: true }))).toEqual([early.id, middle.id]);
    });

    it('should page through entries with stable cursors', async () => {
      const { project, assignment } = await factory.staffed();
      for (const day of ['03', '04', '05', '06', '07']) {
        await factory.timeEntry(assignment.id, { date: `2025-03-${day}`, hours: '1' });
      }
      const page = async (after?: string) =>
        (await queryData(sut.graphqlUrl, LIST, { filter: { projectId: project.id }, first: 2, after })).timeEntries;

      const first = await page();
      const second = await page(first.pageInfo.endCursor);
      const third = await page(second.pageInfo.endCursor);

      const dates = [first, second, third].flatMap((connection) => connection.edges.map((edge: Edge) => edge.node.date));
      expect(dates).toEqual(['2025-03-03', '2025-03-04', '2025-03-05', '2025-03-06', '2025-03-07']);
      expect(third.pageInfo.hasNextPage).toBe(false);
    });

    it('should load Project.timeEntries, Resource.timeEntries and each entry links for many parents in one statement per relation', async () => {
      const staffed = [await factory.staffed(), await factory.staffed(), await factory.staffed()];
      for (const { project, assignment } of staffed) {
        const task = await factory.projects.task(project.id);
        await factory.timeEntry(assignment.id, { date: '2025-03-04' });
        await factory.approvedTimeEntry(assignment.id, { date: '2025-03-05' });
        await factory.timeEntry(assignment.id, { date: '2025-03-06', taskId: task.id });
      }
      const projectIds = staffed.map(({ project }) => project.id);
      const resourceIds = staffed.map(({ resource }) => resource.id);
      counter.reset();

      const { _entities } = await queryData(
        sut.graphqlUrl,
        `query($representations: [_Any!]!) { _entities(representations: $representations) {
          ... on Project { id timeEntries(first: 2) { date project { id } resource { id } assignment { id } task { id } invoice { id } } approved: timeEntries(statusIn: [APPROVED]) { date } }
          ... on Resource { id timeEntries(first: 5, from: "2025-03-05", to: "2025-03-06") { date } } } }`,
        {
          representations: [
            ...projectIds.map((id) => ({ __typename: 'Project', id })),
            ...resourceIds.map((id) => ({ __typename: 'Resource', id })),
          ],
        },
      );

      const projects = _entities.slice(0, 3);
      const resources = _entities.slice(3);
      expect(projects.map((project: { timeEntries: { date: string }[] }) => project.timeEntries.map((entry) => entry.date))).toEqual([
        ['2025-03-06', '2025-03-05'],
        ['2025-03-06', '2025-03-05'],
        ['2025-03-06', '2025-03-05'],
      ]);
      expect(projects.map((project: { approved: unknown[] }) => project.approved)).toEqual([
        [{ date: '2025-03-05' }],
        [{ date: '2025-03-05' }],
        [{ date: '2025-03-05' }],
      ]);
      expect(projects[0].timeEntries[0]).toMatchObject({
        project: { id: projectIds[0] },
        resource: { id: resourceIds[0] },
        assignment: { id: staffed[0].assignment.id },
        invoice: null,
      });
      expect(projects[0].timeEntries[0].task).toEqual({ id: expect.any(String) });
      expect(projects[0].timeEntries[1].task).toBeNull();
      expect(resources.map((resource: { timeEntries: { date: string }[] }) => resource.timeEntries.map((entry) => entry.date))).toEqual([
        ['2025-03-06', '2025-03-05'],
        ['2025-03-06', '2025-03-05'],
        ['2025-03-06', '2025-03-05'],
      ]);
      // projects, resources; Project.timeEntries twice (two argument sets), Resource.timeEntries; then project, resource, assignment, task of the entries
      expect(counter.count).toBe(9);
    });
  });
});
