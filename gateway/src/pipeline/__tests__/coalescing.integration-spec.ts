import { ErrorCode } from '@concord/common';
import { postGraphQL } from '@concord/testing';
import { startFederation, type Federation } from '../../__tests__/fixtures/test-subgraphs';
import { GatewayRequestError } from '../../http/request-error';
import type { Authenticator, OperationStep } from '../pipeline.types';

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

/** Rewrites each request's own result in place, as an enforcement step may: copies must not leak between requests. */
const stamp: OperationStep = {
  name: 'stamp',
  run({ context }) {
    return {
      onResult(result) {
        const users = (result.data?.users ?? []) as Record<string, unknown>[];
        for (const user of users) {
          user.name = `${String(user.name)} for ${context.correlationId}`;
        }
        return result;
      },
    };
  },
};

const USERS = '{ users { id name } }';

describe('coalescing of identical in-flight queries', () => {
  let federation: Federation;

  beforeAll(async () => {
    // Subgraph-fetch de-duplication off, so what is measured is the operation-level coalescing alone.
    federation = await startFederation({ authenticate, operationSteps: [stamp], dedupeSubgraphQueries: false, coalesceQueries: true });
    await federation.gateway.ready;
    federation.users.delayMs = 150;
  });

  afterAll(async () => {
    await federation?.close();
  });

  beforeEach(() => {
    federation.users.requests.length = 0;
  });

  const burst = (count: number, headers: (index: number) => Record<string, string>) =>
    Promise.all(
      Array.from({ length: count }, (_, index) =>
        postGraphQL(federation.gateway.url, USERS, undefined, { ...headers(index), 'x-correlation-id': `req-${index}` }),
      ),
    );

  it('should run a burst of the same query of one caller once, each answer rewritten only by its own steps', async () => {
    const answers = await burst(8, () => ({ authorization: 'Bearer u1:sales' }));

    expect(federation.users.requests).toHaveLength(1);
    answers.forEach((answer, index) => {
      const names = (answer.data?.users as { name: string }[]).map((user) => user.name);
      expect(names.every((name) => name.endsWith(` for req-${index}`) && !name.includes(' for req-', name.indexOf(' for req-') + 1))).toBe(
        true,
      );
    });
  });

  it('should not share one caller answer with another caller', async () => {
    await burst(4, (index) => ({ authorization: `Bearer u${index}:sales` }));

    expect(federation.users.requests).toHaveLength(4);
  });

  it('should not coalesce mutations or different variables', async () => {
    await Promise.all([
      postGraphQL(federation.gateway.url, 'query($id: ID!) { user(id: $id) { id } }', { id: '1' }),
      postGraphQL(federation.gateway.url, 'query($id: ID!) { user(id: $id) { id } }', { id: '2' }),
    ]);

    expect(federation.users.requests).toHaveLength(2);
  });
});
