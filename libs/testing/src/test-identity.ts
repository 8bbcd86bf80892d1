import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { CONTEXT_TOKEN_HEADER, ContextTokenSigner, signCallerToken, type ContextClaims } from '@concord/policy';

/** The caller test clients speak for unless told otherwise. */
export const TEST_CALLER: Readonly<ContextClaims> = Object.freeze({ sub: 'test-user', roles: Object.freeze(['integration']) });

/** Issuer and audience of the caller JWTs tests mint for the gateway. */
export const TEST_JWT_ISSUER = 'concord-test';
export const TEST_JWT_AUDIENCE = 'concord';

/** Headers that make a test client send no context token at all. */
export const NO_CONTEXT_TOKEN: Readonly<Record<string, string>> = Object.freeze({ [CONTEXT_TOKEN_HEADER]: '' });

export interface TestKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  privateKeyPem: string;
  publicKeyPem: string;
}

function keyPair(): TestKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKey,
    publicKey,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
  };
}

let contextKeys: TestKeyPair | undefined;
let callerKeys: TestKeyPair | undefined;
let signer: ContextTokenSigner | undefined;
let defaultToken: { token: string; renewAt: number } | undefined;

/** The key pair standing in for the gateway's context-token key (generated once per test process). */
export function testContextKeys(): TestKeyPair {
  return (contextKeys ??= keyPair());
}

/** The key pair standing in for an identity provider that issues caller JWTs (generated once per test process). */
export function testCallerKeys(): TestKeyPair {
  return (callerKeys ??= keyPair());
}

const TOKEN_TTL_SECONDS = 3_600;

/** A context token as the gateway would sign it, for calling a subgraph directly (default: TEST_CALLER). */
export function testContextToken(caller: ContextClaims = TEST_CALLER): string {
  signer ??= new ContextTokenSigner(testContextKeys().privateKey, { ttlSeconds: TOKEN_TTL_SECONDS });
  if (caller !== TEST_CALLER) {
    return signer.sign(caller);
  }
  // the default caller's token is reused for half its life: most test requests send it
  if (!defaultToken || defaultToken.renewAt < Date.now()) {
    defaultToken = { token: signer.sign(caller), renewAt: Date.now() + (TOKEN_TTL_SECONDS * 1000) / 2 };
  }
  return defaultToken.token;
}

/** Headers that make a test client call a subgraph as `caller`. */
export function asCaller(caller: ContextClaims): Record<string, string> {
  return { [CONTEXT_TOKEN_HEADER]: testContextToken(caller) };
}

/** A caller JWT for the gateway, signed by the test identity provider. */
export function testCallerJwt(caller: { sub: string; roles: readonly string[] }, ttlSeconds = TOKEN_TTL_SECONDS): Promise<string> {
  return signCallerToken({
    privateKey: testCallerKeys().privateKey,
    sub: caller.sub,
    roles: caller.roles,
    issuer: TEST_JWT_ISSUER,
    audience: TEST_JWT_AUDIENCE,
    ttlSeconds,
  });
}
