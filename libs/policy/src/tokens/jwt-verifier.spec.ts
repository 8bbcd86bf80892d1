import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { SignJWT, exportJWK, type JWTPayload } from 'jose';
import { createJwtVerifier, signCallerToken, type JwtVerifier } from './jwt-verifier';
import { keyId } from './keys';
import { TokenError, type TokenRefusal } from './token-error';

const ISSUER = 'https://idp.example.com';
const AUDIENCE = 'concord';
const issuerKeys = generateKeyPairSync('ed25519');
const strangerKeys = generateKeyPairSync('ed25519');
const now = () => Math.floor(Date.now() / 1000);

interface TokenSpec {
  payload?: JWTPayload;
  header?: Record<string, unknown>;
  key?: KeyObject;
  alg?: string;
}

/** A caller JWT as an identity provider would issue it; each part can be spoiled. */
function token({ payload = {}, header = {}, key = issuerKeys.privateKey, alg = 'EdDSA' }: TokenSpec = {}): Promise<string> {
  return new SignJWT({ sub: 'u-1', roles: ['finance'], iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 300, ...payload })
    .setProtectedHeader({ alg, kid: keyId(issuerKeys.publicKey), ...header })
    .sign(key);
}

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

async function refusal(verifier: JwtVerifier, jwt: string | undefined): Promise<TokenRefusal | 'accepted'> {
  try {
    await verifier.verify(jwt);
    return 'accepted';
  } catch (error) {
    if (error instanceof TokenError) {
      return error.reason;
    }
    throw error;
  }
}

describe(createJwtVerifier.name, () => {
  const publicPem = issuerKeys.publicKey.export({ type: 'spki', format: 'pem' }) as string;
  const sut = createJwtVerifier({ publicKeys: [publicPem], issuer: ISSUER, audience: AUDIENCE });

  it('should return the caller and roles of a valid token', async () => {
    const caller = await sut.verify(await token());

    expect(caller).toMatchObject({ sub: 'u-1', roles: ['finance'] });
    expect(caller.claims.iss).toBe(ISSUER);
  });

  it('should read a token without roles as a caller without roles', async () => {
    expect((await sut.verify(await token({ payload: { roles: undefined } }))).roles).toEqual([]);
  });

  it('should not accept a missing token', async () => {
    expect(await refusal(sut, undefined)).toBe('missing');
    expect(await refusal(sut, '')).toBe('missing');
  });

  it('should not accept alg none', async () => {
    const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ sub: 'u-1', roles: ['executive'], iss: ISSUER, aud: AUDIENCE, exp: now() + 300 })}.`;

    expect(await refusal(sut, unsigned)).toBe('alg_not_allowed');
  });

  it('should not accept an algorithm that is not allowed', async () => {
    const edOnly = createJwtVerifier({ publicKeys: [publicPem], issuer: ISSUER, audience: AUDIENCE, algorithms: ['RS256'] });

    expect(await refusal(edOnly, await token())).toBe('alg_not_allowed');
  });

  it('should not accept a bad signature', async () => {
    const forged = await token({ key: strangerKeys.privateKey });
    const [header, , signature] = (await token()).split('.');
    const tampered = `${header}.${encode({ sub: 'u-1', roles: ['executive'], iss: ISSUER, aud: AUDIENCE, exp: now() + 300 })}.${signature}`;

    expect(await refusal(sut, forged)).toBe('bad_signature');
    expect(await refusal(sut, tampered)).toBe('bad_signature');
  });

  it('should not accept an expired token', async () => {
    expect(await refusal(sut, await token({ payload: { exp: now() - 60 } }))).toBe('expired');
  });

  it('should not accept a token that is not valid yet (nbf)', async () => {
    expect(await refusal(sut, await token({ payload: { nbf: now() + 120 } }))).toBe('not_yet_valid');
  });

  it('should not accept a wrong issuer', async () => {
    expect(await refusal(sut, await token({ payload: { iss: 'https://evil.example.com' } }))).toBe('wrong_issuer');
  });

  it('should not accept a wrong audience', async () => {
    expect(await refusal(sut, await token({ payload: { aud: 'another-api' } }))).toBe('wrong_audience');
  });

  it('should not accept an unknown kid', async () => {
    expect(await refusal(sut, await token({ header: { kid: 'no-such-key' } }))).toBe('unknown_kid');
  });

  it('should not accept a token without exp or sub, or with roles that are not a list of strings', async () => {
    expect(await refusal(sut, await token({ payload: { exp: undefined } }))).toBe('invalid_claims');
    expect(await refusal(sut, await token({ payload: { sub: undefined } }))).toBe('invalid_claims');
    expect(await refusal(sut, await token({ payload: { roles: 'executive' } }))).toBe('invalid_claims');
    expect(await refusal(sut, 'not-a-jwt')).toBe('malformed');
  });

  it('should verify a token without kid against every configured key of its type', async () => {
    const twoKeys = createJwtVerifier({ publicKeys: [strangerKeys.publicKey, publicPem], issuer: ISSUER, audience: AUDIENCE });

    expect(await refusal(twoKeys, await token({ header: { kid: undefined } }))).toBe('accepted');
    expect(await refusal(twoKeys, await token({ header: { kid: undefined }, key: generateKeyPairSync('ed25519').privateKey }))).toBe(
      'bad_signature',
    );
  });

  it('should accept ES256 and RS256 keys given as PEM', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const verifier = createJwtVerifier({ publicKeys: [ec.publicKey, rsa.publicKey], issuer: ISSUER, audience: AUDIENCE });

    expect(await refusal(verifier, await token({ key: ec.privateKey, alg: 'ES256', header: { kid: keyId(ec.publicKey) } }))).toBe('accepted');
    expect(await refusal(verifier, await token({ key: rsa.privateKey, alg: 'RS256', header: { kid: keyId(rsa.publicKey) } }))).toBe(
      'accepted',
    );
  });

  it('should refuse to be configured with alg none or a shared secret algorithm', () => {
    expect(() => createJwtVerifier({ publicKeys: [publicPem], issuer: ISSUER, audience: AUDIENCE, algorithms: ['none'] })).toThrow(/none/);
    expect(() => createJwtVerifier({ publicKeys: [publicPem], issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] })).toThrow(/HS/);
    expect(() => createJwtVerifier({ issuer: ISSUER, audience: AUDIENCE })).toThrow(/JWKS URL or at least one public key/);
  });

  it('should verify tokens minted by signCallerToken (npm run token)', async () => {
    const jwt = await signCallerToken({ privateKey: issuerKeys.privateKey, sub: 'demo', roles: ['executive'], issuer: ISSUER, audience: AUDIENCE });

    expect(await sut.verify(jwt)).toMatchObject({ sub: 'demo', roles: ['executive'] });
  });

  it('should measure verification, first and cached (logged, not asserted)', async () => {
    const verifier = createJwtVerifier({ publicKeys: [publicPem], issuer: ISSUER, audience: AUDIENCE });
    const tokens = await Promise.all(Array.from({ length: 500 }, (_, index) => token({ payload: { sub: `u-${index}` } })));
    let started = performance.now();
    for (const jwt of tokens) {
      await verifier.verify(jwt);
    }
    const firstMicros = ((performance.now() - started) * 1000) / tokens.length;
    started = performance.now();
    for (const jwt of tokens) {
      await verifier.verify(jwt);
    }
    const cachedMicros = ((performance.now() - started) * 1000) / tokens.length;

    console.log(`caller JWT (jose, EdDSA): verify ${firstMicros.toFixed(1)} µs, cached ${cachedMicros.toFixed(2)} µs`);
    expect(tokens).toHaveLength(500);
  });

  describe('with a JWKS endpoint', () => {
    let server: Server;
    let jwksUrl: string;
    let jwksRequests = 0;
    let available = true;

    beforeAll(async () => {
      const jwk = { ...(await exportJWK(issuerKeys.publicKey)), kid: 'idp-key-1', alg: 'EdDSA', use: 'sig' };
      server = createServer((request, response) => {
        jwksRequests++;
        if (!available) {
          response.writeHead(503).end();
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ keys: [jwk] }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
    });

    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    it('should verify a token signed by a key the JWKS publishes', async () => {
      const verifier = createJwtVerifier({ jwksUrl, issuer: ISSUER, audience: AUDIENCE });

      expect(await verifier.verify(await token({ header: { kid: 'idp-key-1' } }))).toMatchObject({ sub: 'u-1', roles: ['finance'] });
    });

    it('should not accept a kid the JWKS does not publish', async () => {
      const verifier = createJwtVerifier({ jwksUrl, issuer: ISSUER, audience: AUDIENCE });

      expect(await refusal(verifier, await token({ header: { kid: 'idp-key-9' } }))).toBe('unknown_kid');
    });

    it('should not accept a token signed by another key under a published kid', async () => {
      const verifier = createJwtVerifier({ jwksUrl, issuer: ISSUER, audience: AUDIENCE });

      expect(await refusal(verifier, await token({ header: { kid: 'idp-key-1' }, key: strangerKeys.privateKey }))).toBe('bad_signature');
    });

    it('should fetch the JWKS once for many tokens', async () => {
      const verifier = createJwtVerifier({ jwksUrl, issuer: ISSUER, audience: AUDIENCE });
      const before = jwksRequests;

      for (const sub of ['a', 'b', 'c']) {
        await verifier.verify(await token({ payload: { sub }, header: { kid: 'idp-key-1' } }));
      }

      expect(jwksRequests - before).toBe(1);
    });

    it('should refuse, saying the keys are unavailable, when the JWKS cannot be fetched', async () => {
      available = false;
      try {
        const verifier = createJwtVerifier({ jwksUrl, issuer: ISSUER, audience: AUDIENCE });

        expect(await refusal(verifier, await token({ header: { kid: 'idp-key-1' } }))).toBe('keys_unavailable');
      } finally {
        available = true;
      }
    });
  });
});
