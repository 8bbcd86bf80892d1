import { createPublicKey, type KeyObject } from 'node:crypto';
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  SignJWT,
  type JWTHeaderParameters,
  type JWTPayload,
  type JWTVerifyGetKey,
  type FlattenedJWSInput,
} from 'jose';
import { keyId, loadPrivateKey } from './keys';
import { TokenError } from './token-error';
import { VerificationCache } from './verification-cache';

/** Algorithms accepted for caller JWTs unless configured otherwise (never `none`, never HMAC). */
export const DEFAULT_JWT_ALGORITHMS = ['EdDSA', 'ES256', 'RS256'] as const;

export interface JwtVerifierOptions {
  /** the identity provider's JWKS endpoint */
  jwksUrl?: string;
  /** public keys as PEM text (or KeyObjects); each is known by its RFC 7638 thumbprint as `kid` */
  publicKeys?: readonly (string | KeyObject)[];
  issuer: string;
  audience: string;
  algorithms?: readonly string[];
  /** accepted clock skew for exp and nbf (default 5 s) */
  clockToleranceSeconds?: number;
  /** verified tokens kept until they expire (default 10,000; 0 turns the cache off) */
  cacheSize?: number;
  /** JWKS fetch timeout (default 5 s) */
  jwksTimeoutMs?: number;
}

/** The caller a verified JWT names. */
export interface VerifiedCaller {
  sub: string;
  roles: readonly string[];
  claims: Readonly<JWTPayload>;
  /** epoch seconds */
  expiresAt: number;
}

export interface JwtVerifier {
  /** the caller, or a TokenError saying why the token is refused */
  verify(token: string | undefined): Promise<VerifiedCaller>;
}

interface LocalKey {
  kid: string;
  key: KeyObject;
}

/** Which key types can verify which JWS algorithm family. */
function fitsAlgorithm(key: KeyObject, alg: string): boolean {
  const type = key.asymmetricKeyType;
  if (alg === 'EdDSA' || alg === 'Ed25519') {
    return type === 'ed25519';
  }
  if (alg.startsWith('ES')) {
    return type === 'ec';
  }
  if (alg.startsWith('RS') || alg.startsWith('PS')) {
    return type === 'rsa' || type === 'rsa-pss';
  }
  return false;
}

function refusalOf(error: unknown): TokenError {
  if (error instanceof TokenError) {
    return error;
  }
  if (error instanceof errors.JWTExpired) {
    return new TokenError('expired', 'token expired');
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'nbf':
        return new TokenError('not_yet_valid', 'token is not valid yet');
      case 'iss':
        return new TokenError('wrong_issuer', `unexpected issuer: ${error.message}`);
      case 'aud':
        return new TokenError('wrong_audience', `unexpected audience: ${error.message}`);
      default:
        return new TokenError('invalid_claims', error.message);
    }
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new TokenError('alg_not_allowed', error.message);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new TokenError('bad_signature', 'signature does not verify');
  }
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return new TokenError('unknown_kid', 'no known key matches the token');
  }
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
    return new TokenError('keys_unavailable', error.message);
  }
  return new TokenError('malformed', error instanceof Error ? error.message : String(error));
}

/**
 * Verifies callers' JWTs with jose against a JWKS endpoint and/or configured public keys. Refuses a missing token,
 * `alg: none` and any algorithm not allowed, a bad signature, an expired or not yet valid token, a wrong issuer or
 * audience, an unknown `kid`, a token without `exp` or `sub`, and `roles` that is not a list of strings. Successful
 * verifications are cached by token string until the token expires.
 */
export function createJwtVerifier(options: JwtVerifierOptions): JwtVerifier {
  const algorithms = [...(options.algorithms ?? DEFAULT_JWT_ALGORITHMS)];
  if (algorithms.some((alg) => alg === 'none' || alg.startsWith('HS'))) {
    throw new Error('JWT algorithms: "none" and shared-secret (HS*) algorithms are not accepted');
  }
  const localKeys: LocalKey[] = (options.publicKeys ?? []).map((entry) => {
    const key = typeof entry === 'string' ? createPublicKey(entry) : entry.type === 'private' ? createPublicKey(entry) : entry;
    return { kid: keyId(key), key };
  });
  const remote = options.jwksUrl ? createRemoteJWKSet(new URL(options.jwksUrl), { timeoutDuration: options.jwksTimeoutMs ?? 5_000 }) : undefined;
  if (!localKeys.length && !remote) {
    throw new Error('JWT verification needs a JWKS URL or at least one public key');
  }
  const remoteKey: JWTVerifyGetKey | undefined = remote
    ? async (header: JWTHeaderParameters, token: FlattenedJWSInput) => {
        try {
          return await remote(header, token);
        } catch (error) {
          if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
            throw error;
          }
          throw new TokenError('keys_unavailable', `JWKS ${options.jwksUrl}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    : undefined;
  const verifyOptions = {
    issuer: options.issuer,
    audience: options.audience,
    algorithms,
    clockTolerance: options.clockToleranceSeconds ?? 5,
    requiredClaims: ['exp', 'sub'],
  };
  const cache = new VerificationCache<VerifiedCaller>(options.cacheSize ?? 10_000);

  /** Keys to try: the one named by `kid`; without a `kid`, every local key of the algorithm's type. */
  const candidatesFor = (header: JWTHeaderParameters): (KeyObject | JWTVerifyGetKey)[] => {
    if (header.kid !== undefined) {
      const local = localKeys.find((entry) => entry.kid === header.kid);
      if (local) {
        return [local.key];
      }
      if (remoteKey) {
        return [remoteKey];
      }
      throw new TokenError('unknown_kid', `key ${JSON.stringify(header.kid)} is not known`);
    }
    const fitting = localKeys.filter((entry) => fitsAlgorithm(entry.key, String(header.alg))).map((entry) => entry.key);
    if (fitting.length) {
      return fitting;
    }
    if (remoteKey) {
      return [remoteKey];
    }
    throw new TokenError('unknown_kid', 'the token names no key and no configured key fits it');
  };

  const verifyUncached = async (token: string): Promise<VerifiedCaller> => {
    let header: JWTHeaderParameters;
    try {
      header = decodeProtectedHeader(token) as JWTHeaderParameters;
    } catch {
      throw new TokenError('malformed', 'not a JWT');
    }
    if (typeof header.alg !== 'string' || !algorithms.includes(header.alg)) {
      throw new TokenError('alg_not_allowed', `algorithm ${JSON.stringify(header.alg)} is not allowed`);
    }
    const candidates = candidatesFor(header);
    let payload: JWTPayload | undefined;
    for (const [index, key] of candidates.entries()) {
      try {
        // jwtVerify's two overloads (a key, or a function that finds one) do not take the union
        const result = typeof key === 'function' ? await jwtVerify(token, key, verifyOptions) : await jwtVerify(token, key, verifyOptions);
        payload = result.payload;
        break;
      } catch (error) {
        // without a kid, several local keys may fit: a signature that fails with one may verify with the next
        if (!(error instanceof errors.JWSSignatureVerificationFailed) || index === candidates.length - 1) {
          throw refusalOf(error);
        }
      }
    }
    const { sub, roles, exp } = payload!;
    if (roles !== undefined && (!Array.isArray(roles) || !roles.every((role) => typeof role === 'string'))) {
      throw new TokenError('invalid_claims', 'the roles claim must be a list of strings');
    }
    return Object.freeze({
      sub: sub!,
      roles: Object.freeze([...((roles as string[] | undefined) ?? [])]),
      claims: Object.freeze(payload!),
      expiresAt: exp!,
    });
  };

  const tolerance = (options.clockToleranceSeconds ?? 5) * 1000;
  return {
    async verify(token) {
      if (!token) {
        throw new TokenError('missing', 'no bearer token');
      }
      const cached = cache.get(token, Date.now() - tolerance);
      if (cached) {
        return cached;
      }
      const verified = await verifyUncached(token);
      cache.set(token, verified, verified.expiresAt * 1000);
      return verified;
    },
  };
}

export interface CallerTokenOptions {
  /** the issuer's private key: a KeyObject or a key setting (PEM text or path) */
  privateKey: KeyObject | string;
  sub: string;
  roles: readonly string[];
  issuer: string;
  audience: string;
  /** lifetime in seconds (default 1 h) */
  ttlSeconds?: number;
  /** further claims */
  claims?: JWTPayload;
}

/** Signs a caller JWT, as a development identity provider would (`npm run token`, tests, the benchmark). */
export async function signCallerToken(options: CallerTokenOptions): Promise<string> {
  const privateKey = typeof options.privateKey === 'string' ? loadPrivateKey(options.privateKey, 'caller signing key') : options.privateKey;
  const alg = privateKey.asymmetricKeyType === 'ed25519' ? 'EdDSA' : privateKey.asymmetricKeyType === 'ec' ? 'ES256' : 'RS256';
  return new SignJWT({ ...options.claims, roles: [...options.roles] })
    .setProtectedHeader({ alg, typ: 'JWT', kid: keyId(privateKey) })
    .setSubject(options.sub)
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + (options.ttlSeconds ?? 3_600))
    .sign(privateKey);
}
