import { forbiddenPaths, GraphQLRequestError, otherErrors, requestGraphQL } from './graphql';

const answer = (status: number, body: unknown) =>
  jest.fn().mockResolvedValue({ status, ok: status < 400, json: () => Promise.resolve(body) } as unknown as Response);

describe('GraphQL requests of the console', () => {
  it('should send the token and the client name, and keep partial data beside FORBIDDEN_FIELD errors', async () => {
    const fetcher = answer(200, {
      data: { client: { marginPct: null, name: 'Acme' } },
      errors: [
        { message: 'no access', path: ['client', 'marginPct'], extensions: { code: 'FORBIDDEN_FIELD' } },
        { message: 'erp timed out', path: ['client', 'invoices'], extensions: { code: 'SERVICE_UNAVAILABLE' } },
      ],
    });

    const result = await requestGraphQL<{ client: { name: string } }>(
      '{ client { name } }',
      { id: 1 },
      { url: 'http://gw/graphql', token: 'T', fetcher },
    );

    const [url, init] = fetcher.mock.calls[0];
    expect(url).toBe('http://gw/graphql');
    expect(init.headers).toMatchObject({ authorization: 'Bearer T', 'apollographql-client-name': 'concord-console' });
    expect(JSON.parse(init.body)).toEqual({ query: '{ client { name } }', variables: { id: 1 } });
    expect(result.data.client.name).toBe('Acme');
    expect([...forbiddenPaths(result.errors)]).toEqual(['client.marginPct']);
    expect(otherErrors(result.errors).map((error) => error.message)).toEqual(['erp timed out']);
  });

  it('should fail with the code when there is no data at all', async () => {
    const refused = requestGraphQL(
      '{ x }',
      {},
      {
        url: 'u',
        token: 't',
        fetcher: answer(401, { errors: [{ message: 'token expired', extensions: { code: 'UNAUTHENTICATED' } }] }),
      },
    );
    const broken = requestGraphQL(
      '{ x }',
      {},
      { url: 'u', token: 't', fetcher: jest.fn().mockRejectedValue(new TypeError('fetch failed')) },
    );

    await expect(refused).rejects.toMatchObject({
      name: 'GraphQLRequestError',
      code: 'UNAUTHENTICATED',
      status: 401,
      message: 'token expired',
    });
    await expect(broken).rejects.toBeInstanceOf(GraphQLRequestError);
    await expect(broken).rejects.toMatchObject({ code: 'NETWORK' });
  });
});
