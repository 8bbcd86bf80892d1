import { startFederation, type Federation } from './fixtures/test-subgraphs';

const GRAPHQL_RESPONSE = 'application/graphql-response+json';
const JSON_TYPE = 'application/json';

interface Answer {
  status: number;
  headers: Headers;
  body: {
    data?: Record<string, any> | null;
    errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  };
  text: string;
}

async function call(url: string, init: RequestInit): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: JSON.parse(text), text };
}

function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return call(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: GRAPHQL_RESPONSE, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

function get(url: string, params: Record<string, string>, headers: Record<string, string> = {}): Promise<Answer> {
  return call(`${url}?${new URLSearchParams(params)}`, { headers: { accept: GRAPHQL_RESPONSE, ...headers } });
}

describe('GraphQL over HTTP', () => {
  let federation: Federation;
  let url: string;

  beforeAll(async () => {
    federation = await startFederation({ maxBodyBytes: 4_096, maxQueryDepth: 4, maxQueryTokens: 200 });
    url = federation.gateway.url;
  });

  afterAll(async () => {
    await federation?.close();
  });

  describe('POST', () => {
    it('should answer a query joining both subgraphs', async () => {
      const answer = await post(url, { query: '{ users { id name orders { id total } } }' });

      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe(`${GRAPHQL_RESPONSE}; charset=utf-8`);
      expect(answer.body).toEqual({
        data: {
          users: [
            {
              id: 'u1',
              name: 'Ada',
              orders: [
                { id: 'o1', total: '10.00' },
                { id: 'o2', total: '25.50' },
              ],
            },
            { id: 'u2', name: 'Grace', orders: [{ id: 'o3', total: '7.25' }] },
          ],
        },
      });
    });

    it('should run a mutation with variables and pick the named operation', async () => {
      const query = `query Other { users { id } }
        mutation Rename($id: ID!, $name: String!) { renameUser(id: $id, name: $name) { id name } }`;

      const answer = await post(url, { query, operationName: 'Rename', variables: { id: 'u2', name: 'Grace H.' } });

      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ data: { renameUser: { id: 'u2', name: 'Grace H.' } } });
    });

    it('should not accept a body that is not JSON', async () => {
      const answer = await post(url, '{"query": "{ users { id } }"');

      expect(answer.status).toBe(400);
      expect(answer.body.errors?.[0].extensions?.code).toBe('BAD_REQUEST');
      expect(answer.text).not.toMatch(/at \w+ \(|stack/i);
    });

    it('should not accept a content type other than application/json', async () => {
      const answer = await call(url, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', accept: GRAPHQL_RESPONSE },
        body: '{ users { id } }',
      });

      expect(answer.status).toBe(415);
      expect(answer.body.errors?.[0].extensions?.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });

    it('should not accept a request without a query', async () => {
      const missing = await post(url, { variables: {} });
      const notString = await post(url, { query: 42 });
      const batch = await post(url, [{ query: '{ users { id } }' }]);

      expect([missing.status, notString.status, batch.status]).toEqual([400, 400, 400]);
      expect(missing.body.errors?.[0]).toEqual({ message: 'Missing "query" in the request body', extensions: { code: 'BAD_REQUEST' } });
      expect(notString.body.errors?.[0].message).toBe('"query" must be a string');
      expect(batch.body.errors?.[0].message).toMatch(/Batched requests are not supported/);
    });

    it('should not accept variables that are not an object', async () => {
      const answer = await post(url, { query: '{ users { id } }', variables: [1, 2] });

      expect(answer.status).toBe(400);
      expect(answer.body.errors?.[0].message).toBe('"variables" must be a JSON object');
    });

    it('should not read a body over the size limit (413)', async () => {
      const query = `{ users { id } } # ${'x'.repeat(5_000)}`;

      const answer = await post(url, { query });

      expect(answer.status).toBe(413);
      expect(answer.body.errors?.[0].extensions?.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('should not accept a body over the limit sent without a content-length (chunked)', async () => {
      const chunks = [JSON.stringify({ query: `{ users { id } } # ${'y'.repeat(3_000)}` }).slice(0, -2), `${'z'.repeat(3_000)}"}`];
      const stream = new ReadableStream({
        start(controller) {
          for (const chunk of chunks) {
            controller.enqueue(new TextEncoder().encode(chunk));
          }
          controller.close();
        },
      });

      const answer = await call(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: stream,
        duplex: 'half',
      } as RequestInit);

      expect(answer.status).toBe(413);
    });
  });

  describe('GET', () => {
    it('should answer a query with variables from the query string', async () => {
      const answer = await get(url, { query: 'query One($id: ID!) { user(id: $id) { name } }', variables: JSON.stringify({ id: 'u1' }) });

      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ data: { user: { name: 'Ada' } } });
    });

    it('should not run a mutation over GET (405)', async () => {
      const answer = await get(url, { query: 'mutation { renameUser(id: "u1", name: "Eve") { name } }' });

      expect(answer.status).toBe(405);
      expect(answer.headers.get('allow')).toBe('POST');
      expect(answer.body.errors?.[0].extensions?.code).toBe('METHOD_NOT_ALLOWED');
      const { body } = await post(url, { query: '{ user(id: "u1") { name } }' });
      expect(body.data?.user.name).toBe('Ada');
    });

    it('should not accept malformed variables', async () => {
      const answer = await get(url, { query: '{ users { id } }', variables: '{nope' });

      expect(answer.status).toBe(400);
      expect(answer.body.errors?.[0].message).toBe('"variables" is not valid JSON');
    });

    it('should not accept a GET without a query', async () => {
      const answer = await get(url, {});

      expect(answer.status).toBe(400);
    });
  });

  describe('Accept negotiation', () => {
    it('should answer application/json when the client asks only for it', async () => {
      const answer = await post(url, { query: '{ users { id } }' }, { accept: JSON_TYPE });

      expect(answer.headers.get('content-type')).toBe(`${JSON_TYPE}; charset=utf-8`);
    });

    it('should prefer the type with the higher quality', async () => {
      const preferJson = await post(url, { query: '{ users { id } }' }, { accept: `${GRAPHQL_RESPONSE};q=0.5, ${JSON_TYPE}` });
      const preferGraphql = await post(url, { query: '{ users { id } }' }, { accept: `${JSON_TYPE};q=0.9, ${GRAPHQL_RESPONSE}` });

      expect(preferJson.headers.get('content-type')).toContain(JSON_TYPE);
      expect(preferGraphql.headers.get('content-type')).toContain(GRAPHQL_RESPONSE);
    });

    it('should answer application/graphql-response+json without an Accept header or with */*', async () => {
      const none = await call(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: '' },
        body: JSON.stringify({ query: '{ users { id } }' }),
      });
      const any = await post(url, { query: '{ users { id } }' }, { accept: '*/*' });

      expect(none.headers.get('content-type')).toContain(GRAPHQL_RESPONSE);
      expect(any.headers.get('content-type')).toContain(GRAPHQL_RESPONSE);
    });

    it('should not answer a client that accepts neither JSON type (406)', async () => {
      const answer = await post(url, { query: '{ users { id } }' }, { accept: 'text/html' });

      expect(answer.status).toBe(406);
      expect(answer.body.errors?.[0].extensions?.code).toBe('NOT_ACCEPTABLE');
    });

    it.each([
      ['a parse error', { query: '{ users { id ' }, 'GRAPHQL_PARSE_FAILED'],
      ['a validation error', { query: '{ users { id nope } }' }, 'GRAPHQL_VALIDATION_FAILED'],
      ['a variable error', { query: 'query($id: ID!) { user(id: $id) { id } }', variables: { id: { nested: true } } }, 'BAD_USER_INPUT'],
      ['a missing variable', { query: 'query($id: ID!) { user(id: $id) { id } }' }, 'BAD_USER_INPUT'],
      ['an unknown operation name', { query: 'query A { users { id } }', operationName: 'B' }, 'OPERATION_RESOLUTION_FAILURE'],
    ])('should answer %s with 400 for graphql-response+json and 200 for application/json', async (_name, body, code) => {
      const strict = await post(url, body, { accept: GRAPHQL_RESPONSE });
      const legacy = await post(url, body, { accept: JSON_TYPE });

      expect(strict.status).toBe(400);
      expect(legacy.status).toBe(200);
      for (const answer of [strict, legacy]) {
        expect(answer.body.data).toBeUndefined();
        expect(answer.body.errors?.[0].extensions?.code).toBe(code);
      }
    });

    it('should point a validation error at its location', async () => {
      const answer = await post(url, { query: '{\n  users { id nope } }' });

      expect(answer.body.errors?.[0]).toMatchObject({
        message: expect.stringContaining('Cannot query field "nope" on type "User".'),
        locations: [{ line: 2, column: 14 }],
      });
    });
  });

  describe('limits', () => {
    it('should not run an operation deeper than the limit', async () => {
      const answer = await post(url, { query: '{ users { orders { buyer { orders { id } } } } }' });

      expect(answer.status).toBe(400);
      expect(answer.body.errors?.[0].extensions).toEqual({ code: 'QUERY_TOO_DEEP', depth: 5, maxDepth: 4 });
    });

    it('should count depth through fragments', async () => {
      const query = 'query { users { ...U } } fragment U on User { orders { buyer { orders { id } } } }';

      const answer = await post(url, { query });

      expect(answer.body.errors?.[0].extensions?.code).toBe('QUERY_TOO_DEEP');
    });

    it('should not parse an operation with more tokens than the limit', async () => {
      const query = `{ ${Array.from({ length: 120 }, (_, index) => `a${index}: users { id }`).join(' ')} }`;

      const answer = await post(url, { query });

      expect(answer.status).toBe(400);
      expect(answer.body.errors?.[0].extensions).toEqual({ code: 'QUERY_TOO_LARGE', maxTokens: 200 });
    });

    it('should accept an operation right at the depth limit', async () => {
      const answer = await post(url, { query: '{ users { orders { buyer { id } } } }' });

      expect(answer.status).toBe(200);
      expect(answer.body.data?.users[0].orders[0].buyer.id).toBe('u1');
    });
  });

  describe('other routes and methods', () => {
    it('should not accept other methods on /graphql (405)', async () => {
      const answer = await call(url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' });

      expect(answer.status).toBe(405);
      expect(answer.headers.get('allow')).toBe('GET, POST');
    });

    it('should answer 404 with a coded error on unknown paths', async () => {
      const answer = await call(`${federation.gateway.origin}/nope`, {});

      expect(answer.status).toBe(404);
      expect(answer.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });
  });
});
