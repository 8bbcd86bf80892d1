import { generateKeyPairSync } from 'node:crypto';
import { decimal } from '@concord/common';
import { seedDatabase } from '@concord/seed';
import { signCallerToken } from '@concord/policy';
import { NO_CONTEXT_TOKEN, postGraphQL, queryData, TEST_JWT_AUDIENCE, TEST_JWT_ISSUER } from '@concord/testing';
import { sql } from './support/database';
import { E2E_CALLER, startStack, type Stack } from './support/stack';

const UNIFIED = `query ClientRelationship($id: ID!) {
  client(id: $id) {
    id name domain
    opportunities(first: 50) { id stage amount { amount currency } }
    legalCustomer { legalName }
    contracts(first: 50) { id number status totalValue { amount currency } }
    invoices(first: 100) { id number status total { amount currency } amountDue { amount currency } }
    arBalance { amount currency }
    projects(first: 50) {
      id code
      contract { id number }
      costToDate { amount currency }
      revenueRecognized { amount currency }
      margin { amount currency }
      marginPct
    }
  }
}`;

interface MoneyValue {
  amount: string;
  currency: string;
}

describe('the unified client graph through the gateway', () => {
  let stack: Stack;
  let clientId: string;

  beforeAll(async () => {
    stack = await startStack({ beforeGateway: (databaseUrl) => seedDatabase({ databaseUrl, scale: 0.1, seed: 7 }).then(() => undefined) });
    // The client with the most posted invoices has something in every system.
    const [row] = await sql<{ client_id: string }>(
      stack.database.url,
      `SELECT client_id FROM erp.invoice WHERE status = 'POSTED' GROUP BY client_id ORDER BY count(*) DESC, client_id LIMIT 1`,
    );
    clientId = row.client_id;
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('should answer one query with the client as CRM, ERP and PSA each know it', async () => {
    const { client } = await queryData(stack.gateway.url, UNIFIED, { id: clientId }, stack.auth);

    const [crm] = await sql<{ name: string; opportunities: number }>(
      stack.database.url,
      `SELECT name, (SELECT count(*)::int FROM crm.opportunity WHERE client_id = $1) AS opportunities FROM crm.client WHERE id = $1`,
      [clientId],
    );
    const contracts = await sql<{ number: string }>(
      stack.database.url,
      `SELECT number FROM erp.contract WHERE client_id = $1 ORDER BY number`,
      [clientId],
    );
    const projects = await sql<{ code: string; contract_number: string }>(
      stack.database.url,
      `SELECT p.code, c.number AS contract_number FROM psa.project p JOIN erp.contract c ON c.id = p.contract_id WHERE p.client_id = $1`,
      [clientId],
    );
    expect(client.name).toBe(crm.name);
    expect(client.opportunities).toHaveLength(crm.opportunities);
    expect(client.legalCustomer.legalName).toEqual(expect.any(String));
    expect(client.contracts.map((contract: { number: string }) => contract.number).sort()).toEqual(contracts.map((row) => row.number));
    expect(client.projects.length).toBe(projects.length);
    const contractOfProject = new Map(projects.map((row) => [row.code, row.contract_number]));
    for (const project of client.projects) {
      expect(project.contract.number).toBe(contractOfProject.get(project.code));
    }
    expect(client.invoices.length).toBeGreaterThan(0);
  });

  it('should compute margin in ERP from the cost PSA reports (@requires)', async () => {
    const { client } = await queryData(stack.gateway.url, UNIFIED, { id: clientId }, stack.auth);

    const withRevenue = client.projects.filter(
      (project: { revenueRecognized: MoneyValue | null }) => project.revenueRecognized && decimal(project.revenueRecognized.amount).gt(0),
    );
    expect(withRevenue.length).toBeGreaterThan(0);
    for (const project of withRevenue) {
      const [cost] = await sql<{ cost: string }>(
        stack.database.url,
        `SELECT (COALESCE((SELECT sum(cost_amount) FROM psa.time_entry WHERE project_id = $1 AND status IN ('SUBMITTED','APPROVED','INVOICED')), 0)
               + COALESCE((SELECT sum(amount) FROM psa.expense WHERE project_id = $1 AND status IN ('SUBMITTED','APPROVED','INVOICED')), 0))::text AS cost`,
        [project.id],
      );
      expect(decimal(project.costToDate.amount).toFixed(2)).toBe(decimal(cost.cost).toFixed(2));
      if (project.costToDate.currency === project.revenueRecognized.currency) {
        const expected = decimal(project.revenueRecognized.amount).minus(project.costToDate.amount);
        expect(project.margin).toEqual({ amount: expected.toFixed(2), currency: project.revenueRecognized.currency });
        expect(project.marginPct).toBe(expected.div(project.revenueRecognized.amount).times(100).toFixed(2));
      }
    }
  });

  it('should sum the open receivables of posted invoices per currency', async () => {
    const { client } = await queryData(stack.gateway.url, UNIFIED, { id: clientId }, stack.auth);

    const rows = await sql<{ currency: string; due: string }>(
      stack.database.url,
      `SELECT currency, sum(amount_due)::text AS due FROM erp.invoice WHERE client_id = $1 AND status = 'POSTED' GROUP BY currency HAVING sum(amount_due) > 0 ORDER BY currency`,
      [clientId],
    );
    const balance = [...client.arBalance].sort((a: MoneyValue, b: MoneyValue) => a.currency.localeCompare(b.currency));
    expect(balance).toEqual(rows.map((row) => ({ amount: decimal(row.due).toFixed(2), currency: row.currency })));
  });

  it('should write through the gateway and read the new client with empty ERP and PSA relations', async () => {
    const created = await queryData(
      stack.gateway.url,
      `mutation { createClient(input: { name: "Gateway Write Ltd", domain: "gateway-write.example.com", ownerId: "sales-9", currency: "GBP" }) { id } }`,
      undefined,
      stack.auth,
    );

    const { client } = await queryData(stack.gateway.url, UNIFIED, { id: created.createClient.id }, stack.auth);

    expect(client).toMatchObject({
      name: 'Gateway Write Ltd',
      legalCustomer: null,
      contracts: [],
      invoices: [],
      arBalance: [],
      projects: [],
    });
  });

  it('should carry the caller correlation id back in the response', async () => {
    const response = await postGraphQL(stack.gateway.url, '{ clients(first: 1) { edges { node { id } } } }', undefined, {
      ...stack.auth,
      'x-correlation-id': 'e2e-correlation-1',
    });

    expect(response.headers.get('x-correlation-id')).toBe('e2e-correlation-1');
  });

  it('should refuse an unknown field with a validation error and no data', async () => {
    const response = await postGraphQL(stack.gateway.url, '{ clients { edges { node { secretField } } } }', undefined, stack.auth);

    expect(response.status).toBe(400);
    expect(response.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('should refuse a request without a bearer token, or with a token from another issuer', async () => {
    const anonymous = await postGraphQL(stack.gateway.url, '{ clients(first: 1) { edges { node { id } } } }');
    const foreign = await postGraphQL(stack.gateway.url, '{ clients(first: 1) { edges { node { id } } } }', undefined, {
      authorization: `Bearer ${await signCallerToken({
        privateKey: generateKeyPairSync('ed25519').privateKey,
        ...E2E_CALLER,
        issuer: TEST_JWT_ISSUER,
        audience: TEST_JWT_AUDIENCE,
      })}`,
    });

    for (const response of [anonymous, foreign]) {
      expect(response.status).toBe(401);
      expect(response.data).toBeUndefined();
      expect(response.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('should not let a direct call to a subgraph, _entities included, bypass the gateway', async () => {
    const direct = await postGraphQL(
      stack.subgraphs.crm.graphqlUrl,
      'query($id: ID!) { client(id: $id) { id name } }',
      { id: clientId },
      NO_CONTEXT_TOKEN,
    );
    const entities = await postGraphQL(
      stack.subgraphs.erp.graphqlUrl,
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Client { invoices(first: 5) { id } } } }`,
      { representations: [{ __typename: 'Client', id: clientId }] },
      NO_CONTEXT_TOKEN,
    );

    for (const response of [direct, entities]) {
      expect(response.status).toBe(401);
      expect(response.data).toBeUndefined();
      expect(response.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  // Last: it stops the ERP subgraph.
  it('should still answer CRM and PSA fields when ERP is down, with an error at each ERP path', async () => {
    await stack.subgraphs.erp.stop();

    const response = await postGraphQL(stack.gateway.url, UNIFIED, { id: clientId }, stack.auth);

    expect(response.data?.client).toMatchObject({ id: clientId, name: expect.any(String) });
    expect(response.data?.client.projects.length).toBeGreaterThan(0);
    const erpPaths = (response.errors ?? []).map((error) => error.path?.join('.'));
    expect(erpPaths).toEqual(expect.arrayContaining(['client.contracts', 'client.invoices']));
    expect(response.errors?.every((error) => error.extensions?.code === 'SERVICE_UNAVAILABLE')).toBe(true);
  });
});
