import { Kind, visit, type DocumentNode, type GraphQLFormattedError } from 'graphql';
import { ConcordError, ErrorCode } from '@concord/common';
import { postGraphQL } from '@concord/testing';
import { startFederation, type Federation } from '../../__tests__/fixtures/test-subgraphs';
import { GatewayRequestError } from '../../http/request-error';
import type {
  Authenticator,
  OperationStep,
  OperationStepInput,
  SubgraphFetchHook,
  SubgraphFetchResult,
  SubgraphRequest,
} from '../pipeline.types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** "Bearer <sub>:<role>,<role>" → caller; "Bearer bad" → 401 (a stand-in for JWT verification). */
const authenticate: Authenticator = (headers) => {
  const token = headers.authorization?.replace(/^Bearer /, '');
  if (!token) {
    return undefined;
  }
  const [sub, roles] = token.split(':');
  if (!roles) {
    throw GatewayRequestError.refused(ErrorCode.UNAUTHENTICATED, 'Invalid token');
  }
  return { sub, roles: roles.split(',') };
};

/** Removes User.email for callers without the "hr" role, like the enforcement step will for classified fields. */
const emailFilter: OperationStep = {
  name: 'email-filter',
  run({ document, context }) {
    if (context.caller?.roles.includes('hr')) {
      return;
    }
    let removed = false;
    const filtered = visit(document, {
      Field(node) {
        if (node.name.value === 'email') {
          removed = true;
          return null;
        }
        return undefined;
      },
    }) as DocumentNode;
    if (!removed) {
      return;
    }
    return {
      document: filtered,
      documentKey: '-User.email',
      onResult(result) {
        const users = (result.data?.users ?? []) as Record<string, unknown>[];
        const errors: GraphQLFormattedError[] = users.map((user, index) => {
          user.email = null;
          return {
            message: 'Not allowed to read User.email',
            path: ['users', index, 'email'],
            extensions: { code: ErrorCode.FORBIDDEN_FIELD },
          };
        });
        return { ...result, errors: [...(result.errors ?? []), ...errors] };
      },
    };
  },
};

describe('Gateway pipeline extension points', () => {
  let federation: Federation;
  let url: string;
  const stepInputs: OperationStepInput[] = [];
  const fetches: { request: SubgraphRequest; result: SubgraphFetchResult }[] = [];

  const recorder: OperationStep = {
    name: 'recorder',
    run(input) {
      stepInputs.push(input);
      const name = input.operation.name?.value ?? '';
      if (name.startsWith('Forbidden')) {
        throw new ConcordError(ErrorCode.FORBIDDEN, 'This operation is not allowed for you');
      }
      if (name === 'Crash') {
        throw new TypeError('cannot read properties of undefined (reading "secret")');
      }
    },
  };

  const signer: SubgraphFetchHook = {
    beforeFetch(request) {
      request.headers['x-context-token'] = `signed-for:${request.context?.caller?.sub ?? 'anonymous'}`;
    },
    afterFetch(request, result) {
      fetches.push({ request, result });
    },
  };

  beforeAll(async () => {
    // Operation-level coalescing off: these tests watch each request's own subgraph fetches (coalescing-spec covers it).
    federation = await startFederation({
      authenticate,
      operationSteps: [recorder, emailFilter],
      subgraphFetchHooks: [signer],
      coalesceQueries: false,
    });
    url = federation.gateway.url;
  });

  afterAll(async () => {
    await federation?.close();
  });

  beforeEach(() => {
    stepInputs.length = 0;
    fetches.length = 0;
    federation.users.requests.length = 0;
    federation.orders.requests.length = 0;
    federation.orders.delayMs = 0;
  });

  describe('OperationStep', () => {
    it('should give each step the document, the resolved operation, the variables and the caller', async () => {
      await postGraphQL(url, 'query A { users { id } } query B($id: ID!) { user(id: $id) { id } }', undefined, {
        authorization: 'Bearer ada:sales',
      });
      const body = {
        query: 'query A { users { id } } query B($id: ID!) { user(id: $id) { id } }',
        operationName: 'B',
        variables: { id: 'u1' },
      };
      stepInputs.length = 0;

      await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer ada:sales' },
        body: JSON.stringify(body),
      });

      expect(stepInputs).toHaveLength(1);
      const [input] = stepInputs;
      expect(input.operation.name?.value).toBe('B');
      expect(input.document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION)).toHaveLength(2);
      expect(input.variables).toEqual({ id: 'u1' });
      expect(input.context.caller).toEqual({ sub: 'ada', roles: ['sales'] });
      expect(input.context.operationType).toBe('query');
    });

    it('should plan the rewritten document, so a removed field never reaches the subgraph', async () => {
      const answer = await postGraphQL(url, '{ users { id email } }', undefined, { authorization: 'Bearer bob:sales' });

      expect(answer.status).toBe(200);
      expect(answer.data).toEqual({
        users: [
          { id: 'u1', email: null },
          { id: 'u2', email: null },
        ],
      });
      expect(answer.errors).toEqual([
        { message: 'Not allowed to read User.email', path: ['users', 0, 'email'], extensions: { code: 'FORBIDDEN_FIELD' } },
        { message: 'Not allowed to read User.email', path: ['users', 1, 'email'], extensions: { code: 'FORBIDDEN_FIELD' } },
      ]);
      expect(federation.users.requests.map((request) => request.body.query)).toEqual([expect.not.stringContaining('email')]);
    });

    it('should keep separate query plans for the original and the rewritten document', async () => {
      const allowed = await postGraphQL(url, '{ users { id email } }', undefined, { authorization: 'Bearer hana:hr' });
      const filtered = await postGraphQL(url, '{ users { id email } }', undefined, { authorization: 'Bearer bob:sales' });

      expect(allowed.data?.users[0]).toEqual({ id: 'u1', email: 'ada@example.com' });
      expect(allowed.errors).toBeUndefined();
      expect(filtered.data?.users[0]).toEqual({ id: 'u1', email: null });
    });

    it('should not run an operation a step refuses (403, nothing fetched)', async () => {
      const answer = await postGraphQL(url, 'query ForbiddenReport { users { id } }');

      expect(answer.status).toBe(403);
      expect(answer.data).toBeUndefined();
      expect(answer.errors).toEqual([{ message: 'This operation is not allowed for you', extensions: { code: 'FORBIDDEN' } }]);
      expect(federation.users.requests).toHaveLength(0);
    });

    it('should not leak a step crash: 500 with a masked message', async () => {
      const answer = await postGraphQL(url, 'query Crash { users { id } }');

      expect(answer.status).toBe(500);
      expect(answer.errors).toEqual([{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
    });

    it('should not accept a caller the authenticator refuses (401)', async () => {
      const answer = await postGraphQL(url, '{ users { id } }', undefined, { authorization: 'Bearer bad' });

      expect(answer.status).toBe(401);
      expect(answer.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      expect(stepInputs).toHaveLength(0);
    });
  });

  describe('SubgraphFetchHook', () => {
    it('should let a hook add headers to every subgraph fetch and time each fetch', async () => {
      await postGraphQL(url, '{ users { id orders { id } } }', undefined, { authorization: 'Bearer ada:sales' });

      expect(federation.users.requests[0].headers['x-context-token']).toBe('signed-for:ada');
      expect(federation.orders.requests[0].headers['x-context-token']).toBe('signed-for:ada');
      expect(fetches.map(({ request, result }) => [request.subgraph, request.kind, result.outcome, result.status, result.shared])).toEqual([
        ['users', 'query', 'ok', 200, false],
        ['orders', 'query', 'ok', 200, false],
      ]);
      expect(fetches.every(({ result }) => result.durationMs > 0)).toBe(true);
    });

    it('should tell the hook a mutation from a query', async () => {
      await postGraphQL(url, 'mutation { renameUser(id: "u1", name: "Ada") { id } }');

      expect(fetches.map(({ request }) => request.kind)).toEqual(['mutation']);
    });
  });

  describe('correlation id', () => {
    it('should forward a safe client correlation id to every subgraph and return it', async () => {
      const answer = await postGraphQL(url, '{ users { id orders { id } } }', undefined, { 'x-correlation-id': 'checkout-42.a:b' });

      expect(answer.headers.get('x-correlation-id')).toBe('checkout-42.a:b');
      expect(federation.users.requests[0].headers['x-correlation-id']).toBe('checkout-42.a:b');
      expect(federation.orders.requests[0].headers['x-correlation-id']).toBe('checkout-42.a:b');
    });

    it('should not accept an unsafe correlation id: a new one is generated and forwarded', async () => {
      const answer = await postGraphQL(url, '{ users { id } }', undefined, { 'x-correlation-id': 'evil id\twith spaces' });

      const generated = answer.headers.get('x-correlation-id');
      expect(generated).toMatch(UUID);
      expect(federation.users.requests[0].headers['x-correlation-id']).toBe(generated);
    });

    it('should return a correlation id on refused requests too', async () => {
      const answer = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-correlation-id': 'bad-json-1' },
        body: '{',
      });

      expect(answer.status).toBe(400);
      expect(answer.headers.get('x-correlation-id')).toBe('bad-json-1');
    });
  });

  describe('in-flight de-duplication', () => {
    it('should send identical concurrent queries of one caller to the subgraph once', async () => {
      federation.orders.delayMs = 150;

      const answers = await Promise.all(
        Array.from({ length: 5 }, () => postGraphQL(url, '{ orders { id total } }', undefined, { authorization: 'Bearer ada:sales' })),
      );

      expect(answers.map((answer) => answer.data?.orders.length)).toEqual([3, 3, 3, 3, 3]);
      expect(federation.orders.requests).toHaveLength(1);
      expect(fetches.filter(({ result }) => result.shared)).toHaveLength(4);
    });

    it('should not share a fetch between different callers', async () => {
      federation.orders.delayMs = 150;

      await Promise.all([
        postGraphQL(url, '{ orders { id } }', undefined, { authorization: 'Bearer ada:sales' }),
        postGraphQL(url, '{ orders { id } }', undefined, { authorization: 'Bearer bob:sales' }),
      ]);

      expect(federation.orders.requests.map((request) => request.headers['x-context-token']).sort()).toEqual([
        'signed-for:ada',
        'signed-for:bob',
      ]);
    });

    it('should not share mutations', async () => {
      federation.orders.delayMs = 0;

      await Promise.all([
        postGraphQL(url, 'mutation { renameUser(id: "u2", name: "Grace") { id } }'),
        postGraphQL(url, 'mutation { renameUser(id: "u2", name: "Grace") { id } }'),
      ]);

      expect(federation.users.requests).toHaveLength(2);
    });
  });
});
