import { generateKeyPairSync } from 'node:crypto';
import { CONTEXT_TOKEN_HEADER, ContextTokenSigner } from '@concord/policy';
import { asCaller, NO_CONTEXT_TOKEN, postGraphQL, testContextKeys, useTestService } from '@concord/testing';
import { CrmModule } from '../app.module';
import { CrmFactory } from './crm.factories';

const UNAUTHENTICATED = {
  errors: [{ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED' } }],
};

describe('CRM accepts only requests with a gateway context token', () => {
  const sut = useTestService((databaseUrl) => CrmModule.forRoot({ databaseUrl }), 'crm');
  let clientId: string;

  beforeAll(async () => {
    clientId = (await new CrmFactory(sut.graphqlUrl).client()).id;
  });

  const raw = (headers: Record<string, string>, query: string, variables?: Record<string, unknown>) =>
    fetch(sut.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });

  it('should answer a request that carries a valid context token', async () => {
    const result = await postGraphQL(sut.graphqlUrl, `query($id: ID!) { client(id: $id) { id } }`, { id: clientId });

    expect(result.status).toBe(200);
    expect(result.data?.client.id).toBe(clientId);
  });

  it('should not answer a direct call without a context token (401, GraphQL-shaped)', async () => {
    const response = await raw({}, `query($id: ID!) { client(id: $id) { id name } }`, { id: clientId });

    expect(response.status).toBe(401);
    expect(await response.json()).toEqual(UNAUTHENTICATED);
  });

  it('should not answer _entities without a context token', async () => {
    const result = await postGraphQL(
      sut.graphqlUrl,
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Client { id name } } }`,
      { representations: [{ __typename: 'Client', id: clientId }] },
      NO_CONTEXT_TOKEN,
    );

    expect(result.status).toBe(401);
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('should not answer a token forged with another key', async () => {
    const forger = new ContextTokenSigner(generateKeyPairSync('ed25519').privateKey);

    const result = await postGraphQL(sut.graphqlUrl, `{ clients(first: 1) { edges { node { id } } } }`, undefined, {
      [CONTEXT_TOKEN_HEADER]: forger.sign({ sub: 'mallory', roles: ['executive'] }),
    });

    expect(result.status).toBe(401);
    expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('should not answer an expired token or a garbage one', async () => {
    const expired = new ContextTokenSigner(testContextKeys().privateKey).sign({ sub: 'test-user', roles: [] }, -60);

    for (const token of [expired, 'garbage', 'a.b.c']) {
      const response = await raw({ [CONTEXT_TOKEN_HEADER]: token }, '{ __typename }');
      expect(response.status).toBe(401);
    }
  });

  it('should not answer a mutation without a context token, and write nothing', async () => {
    const result = await postGraphQL(
      sut.graphqlUrl,
      `mutation($id: ID!) { updateClient(id: $id, input: { name: "Taken over" }) { id name } }`,
      { id: clientId },
      NO_CONTEXT_TOKEN,
    );
    const after = await postGraphQL(sut.graphqlUrl, `query($id: ID!) { client(id: $id) { name } }`, { id: clientId });

    expect(result.status).toBe(401);
    expect(after.data?.client.name).not.toBe('Taken over');
  });

  it('should keep /health and /metrics open', async () => {
    expect((await fetch(`${sut.url}/health`)).status).toBe(200);
    expect((await fetch(`${sut.url}/metrics`)).status).toBe(200);
  });

  it('should record the token caller and policy version with a write', async () => {
    const result = await postGraphQL(
      sut.graphqlUrl,
      `mutation($id: ID!) { updateClient(id: $id, input: { name: "Renamed by Alice" }) { id } }`,
      { id: clientId },
      asCaller({ sub: 'alice', roles: ['integration'], policyVersion: 3 }),
    );
    expect(result.errors).toBeUndefined();

    const rows = await sut.dataSource.query(
      `SELECT actor, policy_version FROM crm.outbox WHERE entity_id = $1 AND action = 'update' ORDER BY occurred_at DESC LIMIT 1`,
      [clientId],
    );
    expect(rows).toEqual([{ actor: { sub: 'alice', roles: ['integration'] }, policy_version: '3' }]);
  });
});
