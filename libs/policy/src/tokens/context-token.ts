import { sign as signBytes, verify as verifyBytes, type KeyObject } from 'node:crypto';
import { assertEd25519, keyId, loadPrivateKey, loadPublicKeys } from './keys';
import { TokenError } from './token-error';
import { VerificationCache } from './verification-cache';

/** The header that carries the context token from the gateway to a subgraph. */
export const CONTEXT_TOKEN_HEADER = 'x-concord-context';
/** Headers with this prefix are the gateway's to set; copies sent by clients are dropped. */
export const INTERNAL_HEADER_PREFIX = 'x-concord-';
export const CONTEXT_TOKEN_ISSUER = 'concord-gateway';
export const CONTEXT_TOKEN_AUDIENCE = 'concord-subgraph';
export const CONTEXT_TOKEN_TTL_SECONDS = 60;
/** Who the gateway is when it calls a subgraph on its own (composition, health probes). */
export const GATEWAY_SERVICE_CALLER: Readonly<{ sub: string; roles: readonly string[] }> = Object.freeze({
  sub: 'concord-gateway',
  roles: Object.freeze(['system']),
});

/** What the gateway tells a subgraph about the request it is serving. */
export interface ContextClaims {
  sub: string;
  roles: readonly string[];
  /** the caller's teams (the identity provider's `teams` claim), for four-eyes rules that look past the person */
  teams?: readonly string[];
  /** the policy bundle version the gateway enforced */
  policyVersion?: number;
  correlationId?: string;
}

/** A verified context token's claims (frozen: one object is shared by every request that sends the token). */
export interface VerifiedContext extends ContextClaims {
  /** epoch seconds */
  readonly expiresAt: number;
}

interface ContextPayload {
  iss: string;
  aud: string;
  sub: string;
  roles: readonly string[];
  teams?: readonly string[];
  policyVersion?: number;
  correlationId?: string;
  iat: number;
  exp: number;
}

const ALGORITHM = 'EdDSA';
const SEGMENT = /^[A-Za-z0-9_-]+$/;
const MAX_TOKEN_LENGTH = 8_192;
const ED25519_SIGNATURE_BYTES = 64;

/** The encoded protected header for a key: signer and verifier build it the same way, so it is compared as text. */
function encodedHeader(kid: string): string {
  return Buffer.from(JSON.stringify({ alg: ALGORITHM, typ: 'JWT', kid })).toString('base64url');
}

function asKeyObjects(keys: KeyObject | readonly KeyObject[] | string, label: string): KeyObject[] {
  if (typeof keys === 'string') {
    return loadPublicKeys(keys, label);
  }
  return Array.isArray(keys) ? [...keys] : [keys as KeyObject];
}

export interface ContextTokenSignerOptions {
  /** lifetime of each token (default 60 s) */
  ttlSeconds?: number;
}

/**
 * Signs context tokens: compact JWTs, EdDSA over Ed25519, `iss: concord-gateway`, `aud: concord-subgraph`, with
 * the key's thumbprint as `kid`. Signs with node:crypto directly (one synchronous Ed25519 signature, ~4× cheaper
 * than going through WebCrypto); the format is plain JWS, so any JOSE library can read and verify it.
 */
export class ContextTokenSigner {
  readonly keyId: string;
  private readonly privateKey: KeyObject;
  private readonly header: string;
  private readonly ttlSeconds: number;

  /** `privateKey`: a KeyObject, or a key setting (PEM text or path to a PEM file) */
  constructor(privateKey: KeyObject | string, options: ContextTokenSignerOptions = {}) {
    const key = typeof privateKey === 'string' ? loadPrivateKey(privateKey, 'context signing key') : privateKey;
    if (key.type !== 'private') {
      throw new Error('context signing key: expected a private key');
    }
    this.privateKey = assertEd25519(key, 'context signing key');
    this.keyId = keyId(key);
    this.header = encodedHeader(this.keyId);
    this.ttlSeconds = options.ttlSeconds ?? CONTEXT_TOKEN_TTL_SECONDS;
  }

  sign(claims: ContextClaims, ttlSeconds = this.ttlSeconds): string {
    const now = Math.floor(Date.now() / 1000);
    const payload: ContextPayload = {
      iss: CONTEXT_TOKEN_ISSUER,
      aud: CONTEXT_TOKEN_AUDIENCE,
      sub: claims.sub,
      roles: claims.roles,
      ...(claims.teams?.length ? { teams: claims.teams } : {}),
      ...(claims.policyVersion !== undefined ? { policyVersion: claims.policyVersion } : {}),
      ...(claims.correlationId !== undefined ? { correlationId: claims.correlationId } : {}),
      iat: now,
      exp: now + ttlSeconds,
    };
    const signingInput = `${this.header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    const signature = signBytes(null, Buffer.from(signingInput), this.privateKey).toString('base64url');
    return `${signingInput}.${signature}`;
  }
}

export interface ContextTokenVerifierOptions {
  /** accepted clock skew between gateway and subgraph hosts (default 5 s) */
  clockToleranceSeconds?: number;
  /** verified tokens kept (default 10,000; 0 turns the cache off) */
  cacheSize?: number;
}

/**
 * Verifies context tokens in a subgraph: EdDSA only (`alg: none` and every other algorithm refused), signature by
 * one of the gateway's public keys (by `kid`; several keys allow rotation), issuer, audience, expiry, then the
 * claims' shapes. A token verified once is served from a cache until it expires: the fetches of one gateway request
 * all carry the same token, so each subgraph pays one signature check per request.
 */
export class ContextTokenVerifier {
  private readonly keysById = new Map<string, KeyObject>();
  /** encoded header → key, for tokens from our own signer (no JSON parsing of the header) */
  private readonly keysByHeader = new Map<string, KeyObject>();
  private readonly cache: VerificationCache<VerifiedContext>;
  private readonly toleranceSeconds: number;

  /** `publicKeys`: KeyObjects, or a key setting (PEM text or path, several separated by commas) */
  constructor(publicKeys: KeyObject | readonly KeyObject[] | string, options: ContextTokenVerifierOptions = {}) {
    for (const key of asKeyObjects(publicKeys, 'context verification key')) {
      assertEd25519(key, 'context verification key');
      const id = keyId(key);
      this.keysById.set(id, key);
      this.keysByHeader.set(encodedHeader(id), key);
    }
    if (!this.keysById.size) {
      throw new Error('context verification key: no key given');
    }
    this.cache = new VerificationCache(options.cacheSize ?? 10_000);
    this.toleranceSeconds = options.clockToleranceSeconds ?? 5;
  }

  /** The token's claims, or a TokenError saying why it is refused. */
  verify(token: string | undefined): VerifiedContext {
    if (!token) {
      throw new TokenError('missing', 'no context token');
    }
    const nowMs = Date.now();
    const cached = this.cache.get(token, nowMs - this.toleranceSeconds * 1000);
    if (cached) {
      return cached;
    }
    if (token.length > MAX_TOKEN_LENGTH) {
      throw new TokenError('malformed', 'context token too long');
    }
    const parts = token.split('.');
    if (parts.length !== 3 || !parts.every((part) => SEGMENT.test(part))) {
      throw new TokenError('malformed', 'not a compact JWS');
    }
    const [header, body, signature] = parts;
    const key = this.keysByHeader.get(header) ?? this.keyFromHeader(header);
    const signatureBytes = Buffer.from(signature, 'base64url');
    if (signatureBytes.length !== ED25519_SIGNATURE_BYTES || !verifyBytes(null, Buffer.from(`${header}.${body}`), key, signatureBytes)) {
      throw new TokenError('bad_signature', 'context token signature does not verify');
    }
    const verified = this.checkClaims(decodeJson(body, 'payload'), nowMs / 1000);
    this.cache.set(token, verified, verified.expiresAt * 1000);
    return verified;
  }

  private keyFromHeader(encoded: string): KeyObject {
    const header = decodeJson(encoded, 'header');
    if (header.alg !== ALGORITHM) {
      throw new TokenError('alg_not_allowed', `context token algorithm ${JSON.stringify(header.alg)} is not allowed`);
    }
    if (header.crit !== undefined) {
      throw new TokenError('malformed', 'context token has critical header parameters');
    }
    if (header.kid === undefined && this.keysById.size === 1) {
      return this.keysById.values().next().value as KeyObject;
    }
    const key = typeof header.kid === 'string' ? this.keysById.get(header.kid) : undefined;
    if (!key) {
      throw new TokenError('unknown_kid', `context token key ${JSON.stringify(header.kid)} is not known`);
    }
    return key;
  }

  private checkClaims(payload: Record<string, unknown>, now: number): VerifiedContext {
    const { iss, aud, sub, roles, teams, policyVersion, correlationId, exp, nbf } = payload;
    if (iss !== CONTEXT_TOKEN_ISSUER) {
      throw new TokenError('wrong_issuer', `context token issuer ${JSON.stringify(iss)} is not ${CONTEXT_TOKEN_ISSUER}`);
    }
    if (aud !== CONTEXT_TOKEN_AUDIENCE && !(Array.isArray(aud) && aud.includes(CONTEXT_TOKEN_AUDIENCE))) {
      throw new TokenError('wrong_audience', `context token audience ${JSON.stringify(aud)} is not ${CONTEXT_TOKEN_AUDIENCE}`);
    }
    if (typeof exp !== 'number' || !Number.isFinite(exp)) {
      throw new TokenError('invalid_claims', 'context token has no expiry');
    }
    if (exp <= now - this.toleranceSeconds) {
      throw new TokenError('expired', 'context token expired');
    }
    if (nbf !== undefined && (typeof nbf !== 'number' || nbf > now + this.toleranceSeconds)) {
      throw new TokenError('not_yet_valid', 'context token is not valid yet');
    }
    if (typeof sub !== 'string' || !sub) {
      throw new TokenError('invalid_claims', 'context token has no subject');
    }
    if (!Array.isArray(roles) || !roles.every((role) => typeof role === 'string')) {
      throw new TokenError('invalid_claims', 'context token roles must be a list of strings');
    }
    if (teams !== undefined && (!Array.isArray(teams) || !teams.every((team) => typeof team === 'string'))) {
      throw new TokenError('invalid_claims', 'context token teams must be a list of strings');
    }
    if (policyVersion !== undefined && !Number.isInteger(policyVersion)) {
      throw new TokenError('invalid_claims', 'context token policyVersion must be an integer');
    }
    if (correlationId !== undefined && typeof correlationId !== 'string') {
      throw new TokenError('invalid_claims', 'context token correlationId must be a string');
    }
    return Object.freeze({
      sub,
      roles: Object.freeze([...(roles as string[])]),
      ...(teams !== undefined ? { teams: Object.freeze([...(teams as string[])]) } : {}),
      ...(policyVersion !== undefined ? { policyVersion: policyVersion as number } : {}),
      ...(correlationId !== undefined ? { correlationId } : {}),
      expiresAt: exp,
    });
  }
}

function decodeJson(segment: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw new TokenError('malformed', `context token ${what} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TokenError('malformed', `context token ${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}
