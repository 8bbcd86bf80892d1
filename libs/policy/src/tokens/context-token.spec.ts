import { generateKeyPairSync } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { SignJWT, jwtVerify } from 'jose';
import {
  CONTEXT_TOKEN_AUDIENCE,
  CONTEXT_TOKEN_ISSUER,
  ContextTokenSigner,
  ContextTokenVerifier,
  type ContextClaims,
} from './context-token';
import { keyId } from './keys';
import { TokenError, type TokenRefusal } from './token-error';

const gatewayKeys = generateKeyPairSync('ed25519');
const otherKeys = generateKeyPairSync('ed25519');
const claims: ContextClaims = { sub: 'u-1', roles: ['finance', 'auditor'], policyVersion: 7, correlationId: 'corr-1' };

function refusalOf(action: () => unknown): TokenRefusal | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof TokenError) {
      return error.reason;
    }
    throw error;
  }
  return undefined;
}

/** A token with the given header and payload, signed by `key` through jose (a third party's encoder). */
function joseToken(payload: Record<string, unknown>, header: Record<string, unknown> = {}, key = gatewayKeys.privateKey): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: CONTEXT_TOKEN_ISSUER,
    aud: CONTEXT_TOKEN_AUDIENCE,
    sub: 'u-1',
    roles: ['finance'],
    iat: now,
    exp: now + 60,
    ...payload,
  })
    .setProtectedHeader({ alg: 'EdDSA', kid: keyId(key), ...header })
    .sign(key);
}

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe(ContextTokenVerifier.name, () => {
  const signer = new ContextTokenSigner(gatewayKeys.privateKey);
  const sut = new ContextTokenVerifier(gatewayKeys.publicKey);
  const refusal = (token: string | undefined) => refusalOf(() => sut.verify(token));

  it('should return the claims the gateway signed', () => {
    const token = signer.sign(claims);

    const verified = sut.verify(token);

    expect(verified).toMatchObject({ sub: 'u-1', roles: ['finance', 'auditor'], policyVersion: 7, correlationId: 'corr-1' });
    expect(verified.expiresAt - Math.floor(Date.now() / 1000)).toBeGreaterThan(55);
  });

  it('should carry the caller’s teams, and refuse teams that are not a list of strings', async () => {
    const verified = sut.verify(signer.sign({ ...claims, teams: ['emea-stewards'] }));

    expect(verified.teams).toEqual(['emea-stewards']);
    expect(sut.verify(signer.sign(claims)).teams).toBeUndefined();
    expect(refusal(await joseToken({ teams: 'emea-stewards' }))).toBe('invalid_claims');
  });

  it('should sign a standard JWT that jose verifies (EdDSA, iss, aud, kid, 60 s)', async () => {
    const token = signer.sign(claims);

    const { payload, protectedHeader } = await jwtVerify(token, gatewayKeys.publicKey, {
      algorithms: ['EdDSA'],
      issuer: CONTEXT_TOKEN_ISSUER,
      audience: CONTEXT_TOKEN_AUDIENCE,
    });

    expect(protectedHeader).toEqual({ alg: 'EdDSA', typ: 'JWT', kid: signer.keyId });
    expect(payload).toMatchObject({ sub: 'u-1', roles: ['finance', 'auditor'], policyVersion: 7, correlationId: 'corr-1' });
    expect(payload.exp! - payload.iat!).toBe(60);
  });

  it('should accept a token from another JWS encoder with the same key', async () => {
    expect(sut.verify(await joseToken({ sub: 'jose-user' })).sub).toBe('jose-user');
  });

  it('should not accept a missing token', () => {
    expect(refusal(undefined)).toBe('missing');
    expect(refusal('')).toBe('missing');
  });

  it('should not accept alg none', () => {
    const payload = {
      iss: CONTEXT_TOKEN_ISSUER,
      aud: CONTEXT_TOKEN_AUDIENCE,
      sub: 'x',
      roles: [],
      exp: Math.floor(Date.now() / 1000) + 60,
    };
    const unsigned = `${encode({ alg: 'none' })}.${encode(payload)}.`;
    const withFakeSignature = `${encode({ alg: 'none' })}.${encode(payload)}.${'A'.repeat(86)}`;

    expect(refusal(unsigned)).toBe('malformed');
    expect(refusal(withFakeSignature)).toBe('alg_not_allowed');
  });

  it('should not accept another algorithm, even signed by an accepted key', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const token = await new SignJWT({ iss: CONTEXT_TOKEN_ISSUER, aud: CONTEXT_TOKEN_AUDIENCE, sub: 'x', roles: [] })
      .setProtectedHeader({ alg: 'ES256', kid: signer.keyId })
      .setExpirationTime('1m')
      .sign(privateKey);

    expect(refusal(token)).toBe('alg_not_allowed');
  });

  it('should not accept a token signed by another key', () => {
    const forged = new ContextTokenSigner(otherKeys.privateKey).sign(claims);

    expect(refusal(forged)).toBe('unknown_kid');
  });

  it('should not accept a token signed by another key that claims the gateway key id', async () => {
    const forged = await joseToken({}, { kid: signer.keyId }, otherKeys.privateKey);

    expect(refusal(forged)).toBe('bad_signature');
  });

  it('should not accept a token whose payload was changed after signing', () => {
    const [header, , signature] = signer.sign(claims).split('.');
    const tampered = `${header}.${encode({ ...claims, iss: CONTEXT_TOKEN_ISSUER, aud: CONTEXT_TOKEN_AUDIENCE, roles: ['executive'], exp: 9_999_999_999 })}.${signature}`;

    expect(refusal(tampered)).toBe('bad_signature');
  });

  it('should not accept an expired token', () => {
    const expired = signer.sign(claims, -10);

    expect(refusal(expired)).toBe('expired');
  });

  it('should not accept a token that is not valid yet', async () => {
    const early = await joseToken({ nbf: Math.floor(Date.now() / 1000) + 120 });

    expect(refusal(early)).toBe('not_yet_valid');
  });

  it('should not accept a wrong issuer or audience', async () => {
    expect(refusal(await joseToken({ iss: 'someone-else' }))).toBe('wrong_issuer');
    expect(refusal(await joseToken({ aud: 'concord' }))).toBe('wrong_audience');
  });

  it('should not accept malformed claims', async () => {
    expect(refusal(await joseToken({ roles: 'finance' }))).toBe('invalid_claims');
    expect(refusal(await joseToken({ sub: '' }))).toBe('invalid_claims');
    expect(refusal(await joseToken({ exp: undefined }))).toBe('invalid_claims');
    expect(refusal('not.a-token')).toBe('malformed');
    expect(refusal('a.b.c')).toBe('malformed');
  });

  it('should accept tokens of every configured key (rotation) and pick the key by kid', () => {
    const rotating = new ContextTokenVerifier([otherKeys.publicKey, gatewayKeys.publicKey]);

    expect(rotating.verify(signer.sign(claims)).sub).toBe('u-1');
    expect(rotating.verify(new ContextTokenSigner(otherKeys.privateKey).sign({ sub: 'u-2', roles: [] })).sub).toBe('u-2');
  });

  it('should serve a verified token from its cache, and not once it expired', () => {
    const verifier = new ContextTokenVerifier(gatewayKeys.publicKey, { clockToleranceSeconds: 0 });
    const token = signer.sign(claims, 1);
    const first = verifier.verify(token);

    expect(verifier.verify(token)).toBe(first);

    jest.useFakeTimers({ now: Date.now() + 2_000 });
    try {
      expect(refusalOf(() => verifier.verify(token))).toBe('expired');
    } finally {
      jest.useRealTimers();
    }
  });

  it('should keep at most cacheSize tokens', () => {
    const verifier = new ContextTokenVerifier(gatewayKeys.publicKey, { cacheSize: 2 });
    const tokens = ['a', 'b', 'c'].map((sub) => signer.sign({ sub, roles: [] }));
    const first = verifier.verify(tokens[0]);
    verifier.verify(tokens[1]);
    verifier.verify(tokens[2]);

    expect(verifier.verify(tokens[0])).not.toBe(first);
  });

  it('should measure signing and verification (logged, not asserted)', () => {
    const rounds = 2_000;
    const tokens: string[] = [];
    let started = performance.now();
    for (let index = 0; index < rounds; index++) {
      tokens.push(signer.sign({ ...claims, correlationId: `corr-${index}` }));
    }
    const signMicros = ((performance.now() - started) * 1000) / rounds;
    const verifier = new ContextTokenVerifier(gatewayKeys.publicKey);
    started = performance.now();
    for (const token of tokens) {
      verifier.verify(token);
    }
    const verifyMicros = ((performance.now() - started) * 1000) / rounds;
    started = performance.now();
    for (const token of tokens) {
      verifier.verify(token);
    }
    const cachedMicros = ((performance.now() - started) * 1000) / rounds;

    console.log(
      `context token: sign ${signMicros.toFixed(1)} µs, verify ${verifyMicros.toFixed(1)} µs, cached verify ${cachedMicros.toFixed(2)} µs (${rounds} tokens, ${tokens[0].length} chars)`,
    );
    expect(tokens).toHaveLength(rounds);
  });
});

describe(ContextTokenSigner.name, () => {
  it('should refuse a key that is not Ed25519', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

    expect(() => new ContextTokenSigner(privateKey)).toThrow(/Ed25519/);
  });

  it('should load its key from PEM text', () => {
    const pem = gatewayKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const signer = new ContextTokenSigner(pem);

    expect(new ContextTokenVerifier(gatewayKeys.publicKey).verify(signer.sign(claims)).sub).toBe('u-1');
  });
});
