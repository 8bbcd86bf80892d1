import { newId, QueryCounter } from '@concord/common';
import { postGraphQL, queryData, useTestService } from '@concord/testing';
import { DeliveryFactory } from '../../__tests__/delivery.factory';
import { PsaModule } from '../../app.module';

const FIELDS = DeliveryFactory.fields.expense;
const CREATE = `mutation($input: CreateExpenseInput!) { createExpense(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateExpenseInput!) { updateExpense(id: $id, input: $input) { ${FIELDS} } }`;
const TRANSITION = `mutation($id: ID!, $to: ExpenseStatus!) { transitionExpense(id: $id, to: $to) { ${FIELDS} } }`;
const GET = `query($id: ID!) { expense(id: $id) { ${FIELDS} } }`;
const MARK = `mutation($ids: [ID!]!, $invoiceId: ID!, $invoiceLineId: ID) {
  markExpensesInvoiced(ids: $ids, invoiceId: $invoiceId, invoiceLineId: $invoiceLineId) { id status invoiceId invoiceLineId invoice { id } } }`;
const UNMARK = `mutation($invoiceId: ID!) { unmarkExpensesInvoiced(invoiceId: $invoiceId) { id status invoiceId invoice { id } } }`;
const LIST = `query($filter: ExpenseFilter, $orderBy: ExpenseOrder) { expenses(filter: $filter, orderBy: $orderBy) { edges { node { id } } } }`;

// jest ignores testTimeout inside a `projects` entry, so the 5 s default applies; a loaded CI machine needs more.
jest.setTimeout(60_000);

describe('Expense', () => {
  const counter = new QueryCounter();
  const sut = useTestService((databaseUrl) => PsaModule.forRoot({ databaseUrl, queryLogger: counter }), 'psa');
  let factory: DeliveryFactory;

  beforeAll(async () => {
    factory = new DeliveryFactory(sut.graphqlUrl);
  });

  const codeOf = (result: { errors?: { extensions?: Record<string, unknown> }[] }) => result.errors?.[0]?.extensions?.code;
  const getExpense = async (id: string) => (await queryData(sut.graphqlUrl, GET, { id })).expense;
  const idsOf = async (filter: Record<string, unknown>, orderBy?: Record<string, unknown>) =>
    (await queryData(sut.graphqlUrl, LIST, { filter, orderBy })).expenses.edges.map((edge: { node: { id: string } }) => edge.node.id);
  const approved = async (projectId: string, resourceId: string, overrides: Record<string, unknown> = {}) =>
    factory.transitionExpense((await factory.expense(projectId, resourceId, overrides)).id, 'SUBMITTED', 'APPROVED');

  it('should record a DRAFT expense in the project currency with the markup in its bill amount', async () => {
    const project = await factory.project({ currency: 'CHF' });
    const resource = await factory.resource();

    const created = await factory.expense(project.id, resource.id, {
      amount: '250.10',
      markupPct: '12.5',
      receiptUrl: 'https://receipts.example.com/r/1',
    });
    const { expense } = await queryData(
      sut.graphqlUrl,
      `query($id: ID!) { expense(id: $id) { id project { id } resource { id } invoice { id } } }`,
      { id: created.id },
    );

    expect(created).toMatchObject({
      status: 'DRAFT',
      currency: 'CHF',
      amount: { amount: '250.10', currency: 'CHF' },
      billable: true,
      markupPct: '12.50',
      billAmount: { amount: '281.36', currency: 'CHF' },
      receiptUrl: 'https://receipts.example.com/r/1',
    });
    expect(await getExpense(created.id)).toEqual(created);
    expect(expense).toEqual({ id: created.id, project: { id: project.id }, resource: { id: resource.id }, invoice: null });
  });

  it('should bill nothing for a non-billable expense and refuse a markup on it', async () => {
    const { project, resource } = await factory.staffed();

    const internal = await factory.expense(project.id, resource.id, { amount: '80', billable: false });
    const refused = await postGraphQL(sut.graphqlUrl, CREATE, {
      input: {
        projectId: project.id,
        resourceId: resource.id,
        date: '2025-03-05',
        category: 'MEALS',
        amount: '10',
        billable: false,
        markupPct: '10',
      },
    });

    expect(internal).toMatchObject({ billable: false, markupPct: '0.00', billAmount: { amount: '0.00', currency: 'EUR' } });
    expect(codeOf(refused)).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0].extensions?.field).toBe('markupPct');
  });

  it('should refuse invalid input (BAD_USER_INPUT) and unknown references (NOT_FOUND), writing nothing', async () => {
    const { project, resource } = await factory.staffed();
    const input = { projectId: project.id, resourceId: resource.id, date: '2025-03-05', category: 'TRAVEL', amount: '10' };

    const malformed = await postGraphQL(sut.graphqlUrl, CREATE, { input: { ...input, amount: '-1', receiptUrl: 'ftp://x' } });
    const zero = await postGraphQL(sut.graphqlUrl, CREATE, { input: { ...input, amount: '0' } });
    const noResource = await postGraphQL(sut.graphqlUrl, CREATE, { input: { ...input, resourceId: newId() } });
    const noProject = await postGraphQL(sut.graphqlUrl, CREATE, { input: { ...input, projectId: newId() } });

    expect([codeOf(malformed), codeOf(zero), codeOf(noResource), codeOf(noProject)]).toEqual([
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
      'NOT_FOUND',
      'NOT_FOUND',
    ]);
    expect(malformed.errors?.[0].extensions?.problems).toEqual(
      expect.arrayContaining([expect.stringContaining('amount'), expect.stringContaining('receiptUrl')]),
    );
    expect(await idsOf({ projectId: project.id })).toEqual([]);
  });

  it('should reprice on update and go through the approval flow', async () => {
    const { project, resource } = await factory.staffed();
    const expense = await factory.expense(project.id, resource.id, { amount: '100' });

    const updated = (await queryData(sut.graphqlUrl, UPDATE, { id: expense.id, input: { amount: '120', markupPct: '10' } })).updateExpense;
    const statuses = [];
    for (const to of ['SUBMITTED', 'REJECTED', 'DRAFT', 'SUBMITTED', 'APPROVED']) {
      statuses.push((await factory.transitionExpense(expense.id, to)).status);
    }

    expect(updated).toMatchObject({ amount: { amount: '120.00', currency: 'EUR' }, billAmount: { amount: '132.00', currency: 'EUR' } });
    expect(statuses).toEqual(['SUBMITTED', 'REJECTED', 'DRAFT', 'SUBMITTED', 'APPROVED']);
  });

  it.each([
    [[], 'APPROVED'],
    [['SUBMITTED', 'APPROVED'], 'INVOICED'],
    [['CANCELLED'], 'DRAFT'],
  ])('should not go from DRAFT%j to %s (INVALID_TRANSITION) and change nothing', async (path, to) => {
    const { project, resource } = await factory.staffed();
    const expense = await factory.expense(project.id, resource.id);
    const before = path.length ? await factory.transitionExpense(expense.id, ...path) : expense;

    const result = await postGraphQL(sut.graphqlUrl, TRANSITION, { id: expense.id, to });

    expect(codeOf(result)).toBe('INVALID_TRANSITION');
    expect(await getExpense(expense.id)).toEqual(before);
  });

  it('should invoice APPROVED billable expenses all or nothing, keep them immutable, and release them on invoice cancellation', async () => {
    const { project, resource } = await factory.staffed();
    const taxi = await approved(project.id, resource.id, { amount: '35.00' });
    const hotel = await approved(project.id, resource.id, { amount: '180.00', category: 'LODGING' });
    const draft = await factory.expense(project.id, resource.id);
    const invoiceId = newId();
    const invoiceLineId = newId();

    const partial = await postGraphQL(sut.graphqlUrl, MARK, { ids: [taxi.id, draft.id], invoiceId });
    const { markExpensesInvoiced } = await queryData(sut.graphqlUrl, MARK, { ids: [taxi.id, hotel.id], invoiceId, invoiceLineId });
    const update = await postGraphQL(sut.graphqlUrl, UPDATE, { id: taxi.id, input: { amount: '1' } });
    const cancel = await postGraphQL(sut.graphqlUrl, TRANSITION, { id: taxi.id, to: 'CANCELLED' });
    const invoicedIds = await idsOf({ projectId: project.id, invoiced: true });
    const { unmarkExpensesInvoiced } = await queryData(sut.graphqlUrl, UNMARK, { invoiceId });

    expect(codeOf(partial)).toBe('INVALID_TRANSITION');
    expect(markExpensesInvoiced).toEqual([
      { id: taxi.id, status: 'INVOICED', invoiceId, invoiceLineId, invoice: { id: invoiceId } },
      { id: hotel.id, status: 'INVOICED', invoiceId, invoiceLineId, invoice: { id: invoiceId } },
    ]);
    expect([codeOf(update), codeOf(cancel)]).toEqual(['CONFLICT', 'INVALID_TRANSITION']);
    expect(invoicedIds.sort()).toEqual([taxi.id, hotel.id].sort());
    expect(
      unmarkExpensesInvoiced.map((expense: { status: string; invoiceId: string | null }) => [expense.status, expense.invoiceId]),
    ).toEqual([
      ['APPROVED', null],
      ['APPROVED', null],
    ]);
    expect(await getExpense(taxi.id)).toMatchObject({ amount: { amount: '35.00', currency: 'EUR' }, status: 'APPROVED' });
  });

  it('should not invoice a non-billable expense (BAD_USER_INPUT)', async () => {
    const { project, resource } = await factory.staffed();
    const internal = await approved(project.id, resource.id, { billable: false });

    const result = await postGraphQL(sut.graphqlUrl, MARK, { ids: [internal.id], invoiceId: newId() });

    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    expect((await getExpense(internal.id)).status).toBe('APPROVED');
  });

  it('should filter by status, category, date range and billable, and load Project.expenses in one statement', async () => {
    const { project, resource } = await factory.staffed();
    const other = await factory.project();
    const early = await approved(project.id, resource.id, { date: '2025-03-03', category: 'TRAVEL' });
    const late = await factory.expense(project.id, resource.id, { date: '2025-03-20', category: 'SOFTWARE', billable: false });
    const elsewhere = await factory.expense(other.id, resource.id, { date: '2025-03-10' });

    expect(await idsOf({ projectId: project.id }, { field: 'DATE', direction: 'DESC' })).toEqual([late.id, early.id]);
    expect(await idsOf({ projectId: project.id, statusIn: ['APPROVED'] })).toEqual([early.id]);
    expect(await idsOf({ projectId: project.id, categoryIn: ['SOFTWARE'] })).toEqual([late.id]);
    expect(await idsOf({ resourceId: resource.id, dateFrom: '2025-03-04', dateTo: '2025-03-19' })).toEqual([elsewhere.id]);
    expect(await idsOf({ projectId: project.id, billable: false })).toEqual([late.id]);

    counter.reset();
    const { _entities } = await queryData(
      sut.graphqlUrl,
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Project { expenses(first: 1) { id } approved: expenses(statusIn: [APPROVED]) { id } } } }`,
      { representations: [project, other].map(({ id }) => ({ __typename: 'Project', id })) },
    );

    expect(_entities).toEqual([
      { expenses: [{ id: late.id }], approved: [{ id: early.id }] },
      { expenses: [{ id: elsewhere.id }], approved: [] },
    ]);
    // the projects, then one statement per argument set of Project.expenses
    expect(counter.count).toBe(3);
  });
});
