import { postGraphQL, queryData, useTestService } from '@concord/testing';
import { CrmModule } from '../../app.module';

const CREATE = `mutation Create($input: CreateClientInput!) { createClient(input: $input) { id name domain tier arr { amount currency } } }`;

describe('Client', () => {
  const sut = useTestService((databaseUrl) => CrmModule.forRoot({ databaseUrl }), 'crm');
  let sequence = 0;

  const clientInput = (overrides: Record<string, unknown> = {}) => {
    sequence++;
    return { name: `Client ${String(sequence).padStart(3, '0')}`, domain: `client${sequence}.example.com`, ownerId: 'sales-1', currency: 'EUR', ...overrides };
  };

  it('should create a client and read it back by id with money as a decimal string', async () => {
    const created = await queryData(sut.graphqlUrl, CREATE, { input: clientInput({ arr: '125000.5', tier: 'STRATEGIC' }) });

    const { client } = await queryData(sut.graphqlUrl, `query($id: ID!) { client(id: $id) { id tier arr { amount currency } } }`, { id: created.createClient.id });

    expect(client).toEqual({ id: created.createClient.id, tier: 'STRATEGIC', arr: { amount: '125000.50', currency: 'EUR' } });
  });

  it('should page through clients by name with stable cursors', async () => {
    for (let index = 0; index < 5; index++) {
      await queryData(sut.graphqlUrl, CREATE, { input: clientInput({ name: `Paged ${index}`, industry: 'paging' }) });
    }
    const page = `query($after: String) { clients(first: 2, after: $after, filter: { industry: "paging" }) { edges { node { name } } pageInfo { hasNextPage endCursor } } }`;

    const first = await queryData(sut.graphqlUrl, page);
    const second = await queryData(sut.graphqlUrl, page, { after: first.clients.pageInfo.endCursor });
    const third = await queryData(sut.graphqlUrl, page, { after: second.clients.pageInfo.endCursor });

    const names = [first, second, third].flatMap((result) => result.clients.edges.map((edge: { node: { name: string } }) => edge.node.name));
    expect(names).toEqual(['Paged 0', 'Paged 1', 'Paged 2', 'Paged 3', 'Paged 4']);
    expect(third.clients.pageInfo.hasNextPage).toBe(false);
  });

  it('should sort clients by creation time descending', async () => {
    const a = await queryData(sut.graphqlUrl, CREATE, { input: clientInput({ industry: 'sorting' }) });
    const b = await queryData(sut.graphqlUrl, CREATE, { input: clientInput({ industry: 'sorting' }) });

    const { clients } = await queryData(sut.graphqlUrl, `{ clients(filter: { industry: "sorting" }, orderBy: { field: CREATED_AT, direction: DESC }) { edges { node { id } } } }`);

    expect(clients.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([b.createClient.id, a.createClient.id]);
  });

  it('should update only the given fields', async () => {
    const created = await queryData(sut.graphqlUrl, CREATE, { input: clientInput() });

    const { updateClient } = await queryData(sut.graphqlUrl, `mutation($id: ID!) { updateClient(id: $id, input: { tier: SMALL }) { tier domain } }`, { id: created.createClient.id });

    expect(updateClient).toEqual({ tier: 'SMALL', domain: created.createClient.domain });
  });

  it('should refuse a duplicate domain with CONFLICT and write nothing', async () => {
    const input = clientInput();
    await queryData(sut.graphqlUrl, CREATE, { input });

    const result = await postGraphQL(sut.graphqlUrl, CREATE, { input: { ...input, name: 'Copy' } });

    expect(result.errors?.[0].extensions?.code).toBe('CONFLICT');
    const { clients } = await queryData(sut.graphqlUrl, `{ clients(filter: { nameContains: "Copy" }) { edges { node { id } } } }`);
    expect(clients.edges).toHaveLength(0);
  });

  it('should refuse invalid input with BAD_USER_INPUT naming the problems', async () => {
    const result = await postGraphQL(sut.graphqlUrl, CREATE, { input: clientInput({ domain: 'Not A Domain', currency: 'euro', arr: '-5' }) });

    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].extensions?.problems).toEqual(
      expect.arrayContaining([expect.stringContaining('domain'), expect.stringContaining('currency'), expect.stringContaining('arr')]),
    );
  });

  it('should answer NOT_FOUND when updating a client that does not exist', async () => {
    const result = await postGraphQL(sut.graphqlUrl, `mutation { updateClient(id: "01a20978-0000-7000-8000-000000000000", input: { name: "x" }) { id } }`);

    expect(result.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('should refuse a malformed cursor with BAD_USER_INPUT', async () => {
    const result = await postGraphQL(sut.graphqlUrl, `{ clients(after: "not-a-cursor") { edges { cursor } } }`);

    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
