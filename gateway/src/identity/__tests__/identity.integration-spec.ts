import { generateKeyPairSync } from 'node:crypto';
import { CONTEXT_TOKEN_HEADER, ContextTokenVerifier, signCallerToken } from '@concord/policy';
import { postGraphQL, testCallerJwt, testCallerKeys, testContextKeys, TEST_JWT_AUDIENCE, TEST_JWT_ISSUER } from '@concord/testing';
import { silentLogger, startFederation, type Federation, type TestSubgraph } from '../../__tests__/fixtures/test-subgraphs';
import type { OperationStep } from '../../pipeline/pipeline.types';
import { FIELD_POLICY_STEP, type FieldPolicyState } from '../../policy/field-policy.step';
import { createGatewayIdentity } from '../gateway-identity';

const USERS = '{ users { id name } }';
const USERS_WITH_ORDERS = '{ users { id name orders { id total } } }';
const alice = { sub: 'alice', roles: ['finance'] };

/** Data requests only: the fixture also records the compose-time SDL fetches and health probes. */
const dataRequests = (subgraph: TestSubgraph) =>
  subgraph.requests.filter((request) => !/_service|__ConcordHealthProbe__/.test(request.body.query ?? ''));

describe('Gateway identity: caller JWTs in, context tokens out', () => {
  let federation: Federation;
  let url: string;
  const contextVerifier = new ContextTokenVerifier(testContextKeys().publicKey);
  const internalHeadersSeen: string[][] = [];
  const headerRecorder: OperationStep = {
    name: 'header-recorder',
    run({ context }) {
      internalHeadersSeen.push(Object.keys(context.headers).filter((name) => name.startsWith('x-concord-')));
    },
  };
  /** stands in for the field-policy step, which leaves the bundle version it decided with in the request state */
  const policyStandIn: OperationStep = {
    name: 'policy-stand-in',
    run({ context }) {
      const state: FieldPolicyState = { policyVersion: 9, removed: [], mode: 'filter', classifiedReads: [], coordinates: [] };
      context.state[FIELD_POLICY_STEP] = state;
    },
  };
  const bearer = async (caller = alice) => ({ authorization: `Bearer ${await testCallerJwt(caller)}` });

  beforeAll(async () => {
    const identity = createGatewayIdentity(
      {
        jwtPublicKey: testCallerKeys().publicKeyPem,
        issuer: TEST_JWT_ISSUER,
        audience: TEST_JWT_AUDIENCE,
        contextSigningKey: testContextKeys().privateKeyPem,
      },
      { logger: silentLogger(), composeTimeoutMs: 5_000 },
    );
    federation = await startFederation({ ...identity.options, healthCacheMs: 0, operationSteps: [headerRecorder, policyStandIn] });
    url = federation.gateway.url;
  });

  afterAll(async () => {
    await federation?.close();
  });

  beforeEach(() => {
    federation.users.requests.length = 0;
    federation.orders.requests.length = 0;
    federation.users.delayMs = 0;
  });

  it('should refuse a data request without a token with 401 UNAUTHENTICATED, reaching no subgraph', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: USERS }),
    });

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="concord"');
    expect(await response.json()).toEqual({
      errors: [{ message: 'A valid bearer token is required', extensions: { code: 'UNAUTHENTICATED' } }],
    });
    expect(dataRequests(federation.users)).toHaveLength(0);
  });

  it('should refuse bad tokens with the same 401, whatever is wrong with them', async () => {
    const stranger = generateKeyPairSync('ed25519').privateKey;
    const tokens = {
      garbage: 'not-a-jwt',
      forged: await signCallerToken({ privateKey: stranger, ...alice, issuer: TEST_JWT_ISSUER, audience: TEST_JWT_AUDIENCE }),
      expired: await testCallerJwt(alice, -120),
      wrongAudience: await signCallerToken({
        privateKey: testCallerKeys().privateKey,
        ...alice,
        issuer: TEST_JWT_ISSUER,
        audience: 'other-api',
      }),
      wrongIssuer: await signCallerToken({
        privateKey: testCallerKeys().privateKey,
        ...alice,
        issuer: 'someone',
        audience: TEST_JWT_AUDIENCE,
      }),
    };

    for (const [name, token] of Object.entries(tokens)) {
      const result = await postGraphQL(url, USERS, undefined, { authorization: `Bearer ${token}` });
      expect({ name, status: result.status, errors: result.errors }).toEqual({
        name,
        status: 401,
        errors: [{ message: 'A valid bearer token is required', extensions: { code: 'UNAUTHENTICATED' } }],
      });
    }
    expect(dataRequests(federation.users)).toHaveLength(0);
  });

  it('should answer a valid token and send each subgraph a context token naming the caller, the policy version and the request', async () => {
    const result = await postGraphQL(url, USERS_WITH_ORDERS, undefined, await bearer());

    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
    expect(result.data?.users).toHaveLength(2);
    const fetches = [...dataRequests(federation.users), ...dataRequests(federation.orders)];
    expect(fetches).toHaveLength(2);
    const tokens = new Set(fetches.map((fetch) => fetch.headers[CONTEXT_TOKEN_HEADER] as string));
    expect(tokens.size).toBe(1);
    expect(contextVerifier.verify([...tokens][0])).toMatchObject({
      sub: 'alice',
      roles: ['finance'],
      policyVersion: 9,
      correlationId: result.headers.get('x-correlation-id'),
    });
  });

  it('should drop client-supplied internal headers and send its own context token', async () => {
    const forged = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJtYWxsb3J5Iiwicm9sZXMiOlsiZXhlY3V0aXZlIl19.';

    const result = await postGraphQL(url, USERS, undefined, {
      ...(await bearer()),
      [CONTEXT_TOKEN_HEADER]: forged,
      'x-concord-debug': 'yes',
    });

    expect(result.status).toBe(200);
    expect(internalHeadersSeen.at(-1)).toEqual([]);
    const [fetch] = dataRequests(federation.users);
    expect(fetch.headers[CONTEXT_TOKEN_HEADER]).not.toBe(forged);
    expect(contextVerifier.verify(fetch.headers[CONTEXT_TOKEN_HEADER] as string).sub).toBe('alice');
    expect(Object.keys(fetch.headers).filter((name) => name.startsWith('x-concord-'))).toEqual([CONTEXT_TOKEN_HEADER]);
  });

  it("should share one subgraph fetch within one caller's burst, and never across callers", async () => {
    federation.users.delayMs = 100;
    // two tokens of the same caller (different lifetimes)
    const [first, second] = [await bearer(), { authorization: `Bearer ${await testCallerJwt(alice, 600)}` }];
    expect(first.authorization).not.toBe(second.authorization);
    const bob = await bearer({ sub: 'bob', roles: ['finance'] });

    const results = await Promise.all([
      postGraphQL(url, USERS, undefined, first),
      postGraphQL(url, USERS, undefined, second),
      postGraphQL(url, USERS, undefined, bob),
    ]);

    expect(results.map((result) => result.status)).toEqual([200, 200, 200]);
    const subs = dataRequests(federation.users).map((fetch) => contextVerifier.verify(fetch.headers[CONTEXT_TOKEN_HEADER] as string).sub);
    expect(subs.sort()).toEqual(['alice', 'bob']);
  });

  it('should share a subgraph fetch between two tokens of one caller also without query coalescing (the token is no part of the key)', async () => {
    const identity = createGatewayIdentity(
      {
        jwtPublicKey: testCallerKeys().publicKeyPem,
        issuer: TEST_JWT_ISSUER,
        audience: TEST_JWT_AUDIENCE,
        contextSigningKey: testContextKeys().privateKeyPem,
      },
      { logger: silentLogger() },
    );
    const uncoalesced = await startFederation({ ...identity.options, coalesceQueries: false });
    try {
      uncoalesced.users.delayMs = 100;
      const tokens = [await testCallerJwt(alice), await testCallerJwt(alice, 600)];

      const results = await Promise.all(
        tokens.map((token) => postGraphQL(uncoalesced.gateway.url, USERS, undefined, { authorization: `Bearer ${token}` })),
      );

      expect(results.map((result) => result.status)).toEqual([200, 200]);
      expect(dataRequests(uncoalesced.users)).toHaveLength(1);
    } finally {
      await uncoalesced.close();
    }
  });

  it('should keep /health and /metrics open, its health probes carrying a service token', async () => {
    const health = await fetch(`${federation.gateway.origin}/health`);
    const metrics = await fetch(`${federation.gateway.origin}/metrics`);

    expect(health.status).toBe(200);
    expect(metrics.status).toBe(200);
    const probe = federation.users.requests.find((request) => /__ConcordHealthProbe__/.test(request.body.query ?? ''));
    expect(contextVerifier.verify(probe?.headers[CONTEXT_TOKEN_HEADER] as string)).toMatchObject({
      sub: 'concord-gateway',
      roles: ['system'],
    });
  });

  it('should have fetched the subgraph schemas with a service token when composing', async () => {
    const identity = createGatewayIdentity(
      {
        jwtPublicKey: testCallerKeys().publicKeyPem,
        issuer: TEST_JWT_ISSUER,
        audience: TEST_JWT_AUDIENCE,
        contextSigningKey: testContextKeys().privateKeyPem,
      },
      { logger: silentLogger() },
    );
    const another = await startFederation(identity.options);
    try {
      const sdlFetch = another.users.requests.find((request) => /_service/.test(request.body.query ?? ''));
      expect(contextVerifier.verify(sdlFetch?.headers[CONTEXT_TOKEN_HEADER] as string)).toMatchObject({
        sub: 'concord-gateway',
        roles: ['system'],
      });
    } finally {
      await another.close();
    }
  });
});
