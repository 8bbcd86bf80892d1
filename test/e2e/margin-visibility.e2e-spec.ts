import { generateKeyPairSync } from 'node:crypto';
import { ErrorCode } from '@concord/common';
import { CONTEXT_TOKEN_HEADER, ContextTokenSigner } from '@concord/policy';
import { NO_CONTEXT_TOKEN, postGraphQL, queryData, type GraphQLResponse } from '@concord/testing';
import { bearerFor, startStack, type Stack } from './support/stack';

/**
 * Margin visibility (issue 4) end to end: real caller JWTs through the Concord gateway, the field policy step in
 * filter mode, the row rules in PSA and ERP, all from the default policy bundle. Data is written through the
 * gateway as the integration service account: one client, two projects (one managed by DM, one by someone else),
 * two consultants with submitted time on them, and revenue recognised in the ERP on both projects, both delivered
 * by one legal entity.
 */

const DM = 'dm-margin-1';
const OTHER_DM = 'dm-margin-2';
const CONSULTANT_A = 'person-margin-a';
const CONSULTANT_B = 'person-margin-b';

type ResponseError = NonNullable<GraphQLResponse['errors']>[number];

const PROJECTS = `query Projects($clientId: ID!) {
  projects(first: 10, filter: { clientId: $clientId }) {
    edges { node {
      id code name managerId
      costToDate { amount currency }
      revenueRecognized { amount currency }
      margin { amount currency }
      marginPct
    } }
  }
}`;

interface ProjectRow {
  id: string;
  code: string;
  name: string;
  managerId: string;
  costToDate: { amount: string; currency: string } | null;
  revenueRecognized: { amount: string; currency: string } | null;
  margin: { amount: string; currency: string } | null;
  marginPct: string | null;
}

function forbidden(errors: readonly ResponseError[] | undefined): ResponseError[] {
  return (errors ?? []).filter((error) => error.extensions?.code === ErrorCode.FORBIDDEN_FIELD);
}

/** The FORBIDDEN_FIELD errors as `path → coordinate`, comparable regardless of order. */
function forbiddenAt(errors: readonly ResponseError[] | undefined): Record<string, unknown> {
  return Object.fromEntries(forbidden(errors).map((error) => [error.path?.join('.'), error.extensions?.coordinate]));
}

/**
 * Who refused each FORBIDDEN_FIELD path: `gateway` (the field policy step, before planning) or the subgraph whose
 * row rule answered (the gateway adds `serviceName` to subgraph errors).
 */
function refusedBy(errors: readonly ResponseError[] | undefined): Record<string, unknown> {
  return Object.fromEntries(forbidden(errors).map((error) => [error.path?.join('.'), error.extensions?.serviceName ?? 'gateway']));
}

describe('margin visibility through the gateway', () => {
  let stack: Stack;
  let clientId: string;
  let legalEntityId: string;
  let ownProject: { id: string; code: string };
  let otherProject: { id: string; code: string };
  const entriesOf: Record<string, string[]> = { [CONSULTANT_A]: [], [CONSULTANT_B]: [] };

  const as = async (sub: string, role: string, query: string, variables?: Record<string, unknown>) =>
    postGraphQL(stack.gateway.url, query, variables, await bearerFor({ sub, roles: [role] }));
  const write = (query: string, variables?: Record<string, unknown>) => queryData(stack.gateway.url, query, variables, stack.auth);

  beforeAll(async () => {
    stack = await startStack();

    ({
      createClient: { id: clientId },
    } = await write(
      `mutation { createClient(input: { name: "Margin Visibility Ltd", domain: "margin-visibility.example.com", ownerId: "sales-1", currency: "EUR" }) { id } }`,
    ));
    // the legal entity that delivers both projects and signs their contract
    await write(`mutation { createCurrency(input: { code: "EUR", name: "Euro" }) { id } }`);
    const { createLegalEntity } = await write(
      `mutation { createLegalEntity(input: { code: "MV", name: "Margin Visibility GmbH", country: "DE", functionalCurrency: "EUR" }) { id } }`,
    );
    legalEntityId = createLegalEntity.id;
    const project = async (code: string, managerId: string) => {
      const { createProject } = await write(`mutation($input: CreateProjectInput!) { createProject(input: $input) { id code } }`, {
        input: { code, name: `Project ${code}`, clientId, legalEntityId, currency: 'EUR', plannedStart: '2025-01-06', managerId },
      });
      await write(`mutation($id: ID!) { transitionProject(id: $id, to: ACTIVE) { id } }`, { id: createProject.id });
      return createProject as { id: string; code: string };
    };
    ownProject = await project('MV-1-OWN', DM);
    otherProject = await project('MV-2-OTHER', OTHER_DM);

    const resource = async (personId: string) =>
      (
        await write(`mutation($input: CreateResourceInput!) { createResource(input: $input) { id } }`, {
          input: {
            personId,
            name: `Consultant ${personId}`,
            primaryRole: 'Consultant',
            costRate: '60',
            currency: 'EUR',
            capacityHoursPerWeek: '40',
          },
        })
      ).createResource.id as string;
    const logTime = async (personId: string, resourceId: string, projectId: string) => {
      const { createAssignment } = await write(`mutation($input: CreateAssignmentInput!) { createAssignment(input: $input) { id } }`, {
        input: {
          projectId,
          resourceId,
          billRate: '150',
          scheduledHours: '160',
          startDate: '2025-03-03',
          endDate: '2025-03-31',
          status: 'HARD',
        },
      });
      const { createTimeEntry } = await write(`mutation($input: CreateTimeEntryInput!) { createTimeEntry(input: $input) { id } }`, {
        input: { assignmentId: createAssignment.id, date: '2025-03-04', hours: '8' },
      });
      await write(`mutation($id: ID!) { transitionTimeEntry(id: $id, to: SUBMITTED) { id } }`, { id: createTimeEntry.id });
      entriesOf[personId].push(createTimeEntry.id);
    };
    const resourceA = await resource(CONSULTANT_A);
    const resourceB = await resource(CONSULTANT_B);
    await logTime(CONSULTANT_A, resourceA, ownProject.id);
    await logTime(CONSULTANT_B, resourceB, ownProject.id);
    await logTime(CONSULTANT_A, resourceA, otherProject.id);

    // revenue recognised in the ERP on both projects, so margin and marginPct have values where they may be read
    const { createLegalCustomer } = await write(
      `mutation($clientId: ID!) { createLegalCustomer(input: { legalName: "Margin Visibility Ltd", clientId: $clientId, defaultCurrency: "EUR" }) { id } }`,
      { clientId },
    );
    const { createContract } = await write(
      `mutation($customerId: ID!, $legalEntityId: ID!) {
        createContract(input: { number: "MV-C-1", customerId: $customerId, legalEntityId: $legalEntityId, startDate: "2025-01-01", currency: "EUR",
          lines: [{ description: "Fixed fee", billingModel: FIXED, amount: "10000" }] }) { id lines { id } }
      }`,
      { customerId: createLegalCustomer.id, legalEntityId: createLegalEntity.id },
    );
    await write(`mutation($id: ID!) { transitionContract(id: $id, to: ACTIVE) { id } }`, { id: createContract.id });
    const revenue = (period: string, amount: string, projectId: string) =>
      write(`mutation($input: RecordRevenueEntryInput!) { recordRevenueEntry(input: $input) { id } }`, {
        input: { contractLineId: createContract.lines[0].id, period, recognizedAmount: amount, projectId },
      });
    await revenue('2025-03-01', '2000.00', ownProject.id);
    await revenue('2025-04-01', '1200.00', otherProject.id);
  });

  afterAll(async () => {
    await stack?.close();
  });

  const EXPECTED = {
    'MV-1-OWN': { costToDate: { amount: '960.00', currency: 'EUR' }, margin: { amount: '1040.00', currency: 'EUR' }, marginPct: '52.00' },
    'MV-2-OTHER': { costToDate: { amount: '480.00', currency: 'EUR' }, margin: { amount: '720.00', currency: 'EUR' }, marginPct: '60.00' },
  } as const;

  const projectsOf = (response: GraphQLResponse<Record<string, any>>): ProjectRow[] =>
    (response.data?.projects.edges ?? []).map(({ node }: { node: ProjectRow }) => node);

  describe('Project margin and cost', () => {
    it.each(['finance', 'executive', 'auditor'])('should let %s read margin, marginPct and costToDate of every project', async (role) => {
      const response = await as(`${role}-1`, role, PROJECTS, { clientId });

      expect(response.errors).toBeUndefined();
      const projects = projectsOf(response);
      expect(projects.map((project) => project.code)).toEqual(['MV-1-OWN', 'MV-2-OTHER']);
      for (const project of projects) {
        expect(project).toMatchObject(EXPECTED[project.code as keyof typeof EXPECTED]);
      }
    });

    it.each([
      ['sales', ['costToDate', 'margin', 'marginPct', 'revenueRecognized']],
      ['data_steward', ['costToDate', 'margin', 'marginPct']],
      ['consultant', ['costToDate', 'margin', 'marginPct', 'revenueRecognized']],
    ])('should not let %s read margin or cost of any project, and leave the other fields intact', async (role, removed) => {
      const response = await as(role === 'consultant' ? CONSULTANT_A : `${role}-1`, role, PROJECTS, { clientId });

      const projects = projectsOf(response);
      expect(projects.map((project) => project.code)).toEqual(['MV-1-OWN', 'MV-2-OTHER']);
      const expectedErrors: Record<string, string> = {};
      projects.forEach((project, index) => {
        expect(project).toMatchObject({ id: expect.any(String), name: `Project ${project.code}`, managerId: index === 0 ? DM : OTHER_DM });
        for (const field of removed) {
          expect({ field, value: project[field as keyof ProjectRow] }).toEqual({ field, value: null });
          expectedErrors[`projects.edges.${index}.node.${field}`] = `Project.${field}`;
        }
      });
      if (!removed.includes('revenueRecognized')) {
        expect(projects.map((project) => project.revenueRecognized?.amount)).toEqual(['2000.00', '1200.00']);
      }
      expect(forbiddenAt(response.errors)).toEqual(expectedErrors);
      expect(response.errors).toHaveLength(Object.keys(expectedErrors).length);
      // removed before planning: no subgraph was asked for them
      expect(new Set(Object.values(refusedBy(response.errors)))).toEqual(new Set(['gateway']));
    });

    it('should let a delivery manager read margin and cost of the projects they manage, and not of another manager’s', async () => {
      const response = await as(DM, 'delivery_manager', PROJECTS, { clientId });

      const [own, other] = projectsOf(response);
      expect(own).toMatchObject({ code: 'MV-1-OWN', ...EXPECTED['MV-1-OWN'], revenueRecognized: { amount: '2000.00' } });
      expect(other).toMatchObject({
        code: 'MV-2-OTHER',
        costToDate: null,
        margin: null,
        marginPct: null,
        revenueRecognized: { amount: '1200.00' },
      });
      // the row rule runs in PSA (costToDate) and ERP (margin, marginPct): their errors still point at the fields
      expect(forbiddenAt(response.errors)).toEqual({
        'projects.edges.1.node.costToDate': 'Project.costToDate',
        'projects.edges.1.node.margin': 'Project.margin',
        'projects.edges.1.node.marginPct': 'Project.marginPct',
      });
      expect(refusedBy(response.errors)).toEqual({
        'projects.edges.1.node.costToDate': 'psa',
        'projects.edges.1.node.margin': 'erp',
        'projects.edges.1.node.marginPct': 'erp',
      });
      expect(response.errors).toHaveLength(3);
    });

    it('should answer the other manager the other way round, for one project fetched by id', async () => {
      const query = `query($id: ID!) { project(id: $id) { code margin { amount } marginPct costToDate { amount } } }`;

      const own = await as(OTHER_DM, 'delivery_manager', query, { id: otherProject.id });
      const other = await as(OTHER_DM, 'delivery_manager', query, { id: ownProject.id });

      expect(own.errors).toBeUndefined();
      expect(own.data?.project).toEqual({
        code: 'MV-2-OTHER',
        margin: { amount: '720.00' },
        marginPct: '60.00',
        costToDate: { amount: '480.00' },
      });
      expect(other.data?.project).toEqual({ code: 'MV-1-OWN', margin: null, marginPct: null, costToDate: null });
      expect(forbiddenAt(other.errors)).toEqual({
        'project.margin': 'Project.margin',
        'project.marginPct': 'Project.marginPct',
        'project.costToDate': 'Project.costToDate',
      });
    });

    // ERP computes margin from the cost PSA reports (@requires costToDate): the gateway fetches costToDate for it
    // although the client did not select it. PSA's refusal of that hidden fetch is not the client's concern: the
    // gateway drops errors at paths the operation did not select.
    it('should report a refused margin at its own path only, when the operation does not select costToDate', async () => {
      const response = await as(
        DM,
        'delivery_manager',
        `query($clientId: ID!) { projects(first: 10, filter: { clientId: $clientId }) { edges { node { code margin { amount } } } } }`,
        { clientId },
      );

      expect(projectsOf(response)).toEqual([
        { code: 'MV-1-OWN', margin: { amount: '1040.00' } },
        { code: 'MV-2-OTHER', margin: null },
      ]);
      expect(forbiddenAt(response.errors)).toEqual({ 'projects.edges.1.node.margin': 'Project.margin' });
    });
  });

  describe('LegalEntity and Client margin', () => {
    const OWNERS = `query Owners($legalEntityId: ID!, $clientId: ID!) {
      legalEntity(id: $legalEntityId) {
        id code
        revenueRecognized { amount currency }
        costToDate { amount currency }
        margin { amount currency }
        marginPct
      }
      client(id: $clientId) { id name margin { amount currency } marginPct }
    }`;
    const eur = (amount: string) => [{ amount, currency: 'EUR' }];
    // both projects: revenue 2000 + 1200, cost 960 + 480
    const LEGAL_ENTITY = { revenueRecognized: eur('3200.00'), costToDate: eur('1440.00'), margin: eur('1760.00'), marginPct: '55.00' };
    const CLIENT = { margin: eur('1760.00'), marginPct: '55.00' };

    it.each(['finance', 'executive', 'auditor'])(
      'should let %s read the revenue, cost and margin of the legal entity and the client',
      async (role) => {
        const response = await as(`${role}-1`, role, OWNERS, { legalEntityId, clientId });

        expect(response.errors).toBeUndefined();
        expect(response.data?.legalEntity).toEqual({ id: legalEntityId, code: 'MV', ...LEGAL_ENTITY });
        expect(response.data?.client).toEqual({ id: clientId, name: 'Margin Visibility Ltd', ...CLIENT });
      },
    );

    it.each([
      ['sales', ['revenueRecognized', 'costToDate', 'margin', 'marginPct']],
      ['data_steward', ['costToDate', 'margin', 'marginPct']],
      ['consultant', ['revenueRecognized', 'costToDate', 'margin', 'marginPct']],
      // a delivery manager sees margin on the projects they manage only, never an entity's or a client's
      ['delivery_manager', ['revenueRecognized', 'costToDate', 'margin', 'marginPct']],
    ])('should not let %s read the margin of the legal entity or the client, and leave the other fields intact', async (role, removed) => {
      const sub = role === 'consultant' ? CONSULTANT_A : role === 'delivery_manager' ? DM : `${role}-1`;

      const response = await as(sub, role, OWNERS, { legalEntityId, clientId });

      const expectedLegalEntity: Record<string, unknown> = { id: legalEntityId, code: 'MV', ...LEGAL_ENTITY };
      const expectedErrors: Record<string, string> = {};
      for (const field of removed) {
        expectedLegalEntity[field] = null;
        expectedErrors[`legalEntity.${field}`] = `LegalEntity.${field}`;
      }
      expect(response.data?.legalEntity).toEqual(expectedLegalEntity);
      expect(response.data?.client).toEqual({ id: clientId, name: 'Margin Visibility Ltd', margin: null, marginPct: null });
      Object.assign(expectedErrors, { 'client.margin': 'Client.margin', 'client.marginPct': 'Client.marginPct' });
      expect(forbiddenAt(response.errors)).toEqual(expectedErrors);
      expect(response.errors).toHaveLength(Object.keys(expectedErrors).length);
      // removed before planning: no subgraph was asked for them
      expect(new Set(Object.values(refusedBy(response.errors)))).toEqual(new Set(['gateway']));
    });

    it('should not let aliases or fragments reach the margin of a legal entity', async () => {
      const response = await as(
        'sales-1',
        'sales',
        `query($id: ID!) { legalEntity(id: $id) { code profit: margin { amount } ...Pct } } fragment Pct on LegalEntity { marginPct }`,
        { id: legalEntityId },
      );

      expect(response.data?.legalEntity).toEqual({ code: 'MV', profit: null, marginPct: null });
      expect(forbiddenAt(response.errors)).toEqual({
        'legalEntity.profit': 'LegalEntity.margin',
        'legalEntity.marginPct': 'LegalEntity.marginPct',
      });
    });
  });

  describe('time entries of consultants', () => {
    const TIME = `query($projectId: ID!, $other: ID!) {
      timeEntries(first: 50) { edges { node { id projectId billAmount { amount } costAmount { amount } } } }
      ofProject: timeEntries(first: 50, filter: { projectId: $projectId }) { edges { node { id } } }
      project(id: $projectId) { timeEntries { id } }
      someoneElses: timeEntry(id: $other) { id }
    }`;
    const ids = (connection: { edges: { node: { id: string } }[] }) => connection.edges.map((edge) => edge.node.id).sort();

    it.each([
      [CONSULTANT_A, CONSULTANT_B],
      [CONSULTANT_B, CONSULTANT_A],
    ])('should list only the time entries of %s, not those of %s', async (person, other) => {
      const response = await as(person, 'consultant', TIME, { projectId: ownProject.id, other: entriesOf[other][0] });

      const data = response.data!;
      expect(ids(data.timeEntries)).toEqual([...entriesOf[person]].sort());
      expect(ids(data.ofProject)).toEqual([entriesOf[person][0]]);
      expect(data.project.timeEntries).toEqual([{ id: entriesOf[person][0] }]);
      expect(data.someoneElses).toBeNull();
      // their own amounts billed, but not what they cost
      expect(data.timeEntries.edges.map((edge: { node: { billAmount: unknown } }) => edge.node.billAmount)).toEqual(
        entriesOf[person].map(() => ({ amount: '1200.00' })),
      );
      expect(forbiddenAt(response.errors)).toEqual(
        Object.fromEntries(entriesOf[person].map((_, index) => [`timeEntries.edges.${index}.node.costAmount`, 'TimeEntry.costAmount'])),
      );
    });

    it('should let a delivery manager see every consultant’s time on the project', async () => {
      const response = await as(DM, 'delivery_manager', TIME, { projectId: ownProject.id, other: entriesOf[CONSULTANT_B][0] });

      expect(ids(response.data!.ofProject)).toEqual([entriesOf[CONSULTANT_A][0], entriesOf[CONSULTANT_B][0]].sort());
      expect(response.data!.someoneElses).toEqual({ id: entriesOf[CONSULTANT_B][0] });
    });
  });

  describe('no bypass', () => {
    // Selections @skip/@include leave out are not executed: no key in the response, nothing to refuse.
    it('should leave a forbidden field that @skip or @include leaves out out of the response, without an error', async () => {
      const response = await as(
        'sales-1',
        'sales',
        `query($clientId: ID!, $withMargin: Boolean!) {
          projects(first: 10, filter: { clientId: $clientId }) { edges { node { code margin @include(if: $withMargin) { amount } costToDate @skip(if: true) { amount } } } }
        }`,
        { clientId, withMargin: false },
      );

      expect(projectsOf(response)).toEqual([{ code: 'MV-1-OWN' }, { code: 'MV-2-OTHER' }]);
      expect(response.errors).toBeUndefined();
    });

    it('should not let aliases, named and inline fragments or variables reach a forbidden field', async () => {
      const response = await as(
        'sales-1',
        'sales',
        `query Sneaky($filter: ProjectFilter) {
          projects(first: 10, filter: $filter) {
            edges { node {
              id code
              profit: margin { amount currency }
              ...Figures
              ... on Project { pct: marginPct spent: costToDate { amount } }
            } }
          }
        }
        fragment Figures on Project { margin { currency } costToDate { amount currency } }`,
        { filter: { clientId } },
      );

      const projects = response.data?.projects.edges.map((edge: { node: unknown }) => edge.node);
      expect(projects).toEqual([
        { id: ownProject.id, code: 'MV-1-OWN', profit: null, margin: null, costToDate: null, pct: null, spent: null },
        { id: otherProject.id, code: 'MV-2-OTHER', profit: null, margin: null, costToDate: null, pct: null, spent: null },
      ]);
      const expected: Record<string, string> = {};
      for (const index of [0, 1]) {
        Object.assign(expected, {
          [`projects.edges.${index}.node.profit`]: 'Project.margin',
          [`projects.edges.${index}.node.margin`]: 'Project.margin',
          [`projects.edges.${index}.node.costToDate`]: 'Project.costToDate',
          [`projects.edges.${index}.node.pct`]: 'Project.marginPct',
          [`projects.edges.${index}.node.spent`]: 'Project.costToDate',
        });
      }
      expect(forbiddenAt(response.errors)).toEqual(expected);
      // one error per path, not one per selection of the same response key; all removed before planning
      expect(response.errors).toHaveLength(10);
      expect(new Set(Object.values(refusedBy(response.errors)))).toEqual(new Set(['gateway']));
    });

    it.each([
      [
        'sales',
        'sorting invoices by total',
        `invoices(first: 5, orderBy: { field: TOTAL, direction: DESC }) { edges { node { id } } }`,
        'InvoiceSortField.TOTAL',
      ],
      [
        'consultant',
        'sorting opportunities by amount',
        `opportunities(first: 5, orderBy: { field: AMOUNT }) { edges { node { id } } }`,
        'OpportunitySortField.AMOUNT',
      ],
      [
        'finance',
        'filtering resources by person',
        `resources(first: 5, filter: { personId: "${CONSULTANT_A}" }) { edges { node { id } } }`,
        'ResourceFilter.personId',
      ],
      [
        'finance',
        'sorting resources by name',
        `resources(first: 5, orderBy: { field: NAME }) { edges { node { id } } }`,
        'ResourceSortField.NAME',
      ],
    ])('should not let %s learn a forbidden field by %s', async (role, _what, selection, coordinate) => {
      const root = selection.slice(0, selection.indexOf('('));

      const response = await as(`${role}-1`, role, `{ id: clients(first: 1) { edges { node { id } } } ${selection} }`);

      expect(response.data?.[root]).toBeNull();
      expect(response.data?.id.edges).toHaveLength(1);
      expect(response.errors).toEqual([
        expect.objectContaining({ path: [root], extensions: expect.objectContaining({ code: ErrorCode.FORBIDDEN_FIELD, coordinate }) }),
      ]);
    });

    it('should not let a variable carry a forbidden sort key either, and let a role that reads the field sort by it', async () => {
      const query = `query($order: InvoiceOrder) { invoices(first: 5, orderBy: $order) { edges { node { id } } } }`;

      const sales = await as('sales-1', 'sales', query, { order: { field: 'TOTAL', direction: 'DESC' } });
      const finance = await as('finance-1', 'finance', query, { order: { field: 'TOTAL', direction: 'DESC' } });
      const salesByDate = await as('sales-1', 'sales', query, { order: { field: 'ISSUE_DATE' } });

      expect(sales.data?.invoices).toBeNull();
      expect(forbiddenAt(sales.errors)).toEqual({ invoices: 'InvoiceSortField.TOTAL' });
      expect(finance.errors).toBeUndefined();
      expect(finance.data?.invoices).toEqual({ edges: [] });
      expect(salesByDate.errors).toBeUndefined();
      expect(salesByDate.data?.invoices).toEqual({ edges: [] });
    });

    it('should let sales sort their own opportunities by amount (FINANCIAL on a CRM type they read)', async () => {
      const response = await as(
        'sales-1',
        'sales',
        `{ opportunities(first: 5, orderBy: { field: AMOUNT }) { edges { node { id amount { amount } } } } }`,
      );

      expect(response.errors).toBeUndefined();
      expect(response.data?.opportunities).toEqual({ edges: [] });
    });

    it('should refuse a batched request (JSON array body) with 400', async () => {
      const response = await fetch(stack.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await bearerFor({ sub: 'sales-1', roles: ['sales'] })) },
        body: JSON.stringify([{ query: '{ clients(first: 1) { edges { node { id } } } }' }, { query: PROJECTS, variables: { clientId } }]),
      });
      const body = (await response.json()) as GraphQLResponse;

      expect(response.status).toBe(400);
      expect(body.data).toBeUndefined();
      expect(body.errors?.[0].extensions?.code).toBe('BAD_REQUEST');
    });

    it('should refuse _entities through the gateway: the client graph does not have it', async () => {
      const response = await as(
        'sales-1',
        'sales',
        `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Project { margin { amount } costToDate { amount } } } }`,
        { representations: [{ __typename: 'Project', id: ownProject.id, managerId: DM, costToDate: { amount: '1', currency: 'EUR' } }] },
      );

      expect(response.status).toBe(400);
      expect(response.data).toBeUndefined();
      expect(response.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    });

    describe('calling a subgraph directly', () => {
      const ENTITIES = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Project { id margin { amount } marginPct } } }`;
      const representations = () => [
        { __typename: 'Project', id: ownProject.id, managerId: DM, costToDate: { amount: '960.00', currency: 'EUR' } },
      ];

      it('should refuse a call without a context token with 401', async () => {
        const entities = await postGraphQL(
          stack.subgraphs.erp.graphqlUrl,
          ENTITIES,
          { representations: representations() },
          NO_CONTEXT_TOKEN,
        );
        const direct = await postGraphQL(
          stack.subgraphs.psa.graphqlUrl,
          `query($id: ID!) { project(id: $id) { costToDate { amount } } }`,
          { id: ownProject.id },
          NO_CONTEXT_TOKEN,
        );

        for (const response of [entities, direct]) {
          expect(response.status).toBe(401);
          expect(response.data).toBeUndefined();
          expect(response.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
        }
      });

      it('should refuse a context token signed with another key with 401, however mighty the caller it names', async () => {
        const forged = new ContextTokenSigner(generateKeyPairSync('ed25519').privateKey).sign({ sub: 'mallory', roles: ['executive'] });

        const entities = await postGraphQL(
          stack.subgraphs.erp.graphqlUrl,
          ENTITIES,
          { representations: representations() },
          { [CONTEXT_TOKEN_HEADER]: forged },
        );
        const direct = await postGraphQL(
          stack.subgraphs.psa.graphqlUrl,
          `query($id: ID!) { project(id: $id) { costToDate { amount } } }`,
          { id: ownProject.id },
          { [CONTEXT_TOKEN_HEADER]: forged },
        );

        for (const response of [entities, direct]) {
          expect(response.status).toBe(401);
          expect(response.data).toBeUndefined();
          expect(response.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
        }
      });
    });
  });
});
