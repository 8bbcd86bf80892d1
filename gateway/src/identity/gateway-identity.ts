import {
  CONTEXT_TOKEN_HEADER,
  ContextTokenSigner,
  createJwtVerifier,
  ensureDevKeyPair,
  readKeySetting,
  type JwtVerifier,
} from '@concord/policy';
import type { Logger } from '@concord/common';
import type { StartGatewayOptions } from '../gateway';
import type { GatewayRequestContext } from '../pipeline/pipeline.types';
import { FIELD_POLICY_STEP, type FieldPolicyState } from '../policy/field-policy.step';
import { createCallerAuthenticator } from './caller-authenticator';
import { ContextTokenHook } from './context-token.hook';

/** The identity settings (gateway config, see config.ts for the variables). */
export interface IdentitySettings {
  /** JWT_JWKS_URL */
  jwksUrl?: string;
  /** JWT_PUBLIC_KEY: PEM text or path(s), comma separated */
  jwtPublicKey?: string;
  /** JWT_ISSUER */
  issuer: string;
  /** JWT_AUDIENCE */
  audience: string;
  /** JWT_ALGORITHMS (default EdDSA, ES256, RS256) */
  algorithms?: string[];
  /** CONTEXT_SIGNING_KEY: PEM text or path */
  contextSigningKey?: string;
  /** AUTH_DEV_KEYS_DIR: generate and use local dev keys there for whatever is not configured */
  devKeysDir?: string;
}

export interface GatewayIdentity {
  /** what startGateway needs: the Authenticator, the context-token hook, the compose-time headers */
  options: Pick<StartGatewayOptions, 'authenticate' | 'subgraphFetchHooks' | 'composeHeaders'>;
  signer: ContextTokenSigner;
  verifier: JwtVerifier;
  /** where the keys came from, for the start-up log */
  summary: Record<string, unknown>;
}

/** The context-token signer from CONTEXT_SIGNING_KEY, else the dev key; undefined when neither is configured. */
export function contextSignerFrom(settings: Pick<IdentitySettings, 'contextSigningKey' | 'devKeysDir'>): ContextTokenSigner | undefined {
  if (settings.contextSigningKey) {
    return new ContextTokenSigner(settings.contextSigningKey);
  }
  if (settings.devKeysDir) {
    return new ContextTokenSigner(ensureDevKeyPair(settings.devKeysDir, 'context').privateKey);
  }
  return undefined;
}

/** The policy version the field-policy step decided the request with (none when no policy step ran). */
export function policyVersionOf(context: GatewayRequestContext): number | undefined {
  return (context.state[FIELD_POLICY_STEP] as FieldPolicyState | undefined)?.policyVersion;
}

/** Compose-time headers: a service token that outlives the whole composition (its retries included). */
export function composeHeadersFor(signer: ContextTokenSigner, composeTimeoutMs = 60_000): Record<string, string> {
  return { [CONTEXT_TOKEN_HEADER]: signer.sign({ sub: 'concord-gateway', roles: ['system'] }, Math.ceil(composeTimeoutMs / 1000) + 60) };
}

/**
 * The gateway's identity (ARCHITECTURE.md §4): callers' JWTs verified against the JWKS URL and/or PEM keys, and a
 * context token signed for every subgraph fetch. Fails fast, naming the variables, when a key is missing; with
 * AUTH_DEV_KEYS_DIR the missing ones are local dev keys (what `npm start` and `npm run token` use).
 */
export function createGatewayIdentity(
  settings: IdentitySettings,
  options: { composeTimeoutMs?: number; policyVersion?: (context: GatewayRequestContext) => number | undefined; logger: Logger },
): GatewayIdentity {
  let publicKeys: string[] | undefined;
  let jwtSource: string;
  if (settings.jwksUrl || settings.jwtPublicKey) {
    publicKeys = settings.jwtPublicKey ? readKeySetting(settings.jwtPublicKey, 'JWT_PUBLIC_KEY') : undefined;
    jwtSource = [settings.jwksUrl && `JWKS ${settings.jwksUrl}`, publicKeys && `${publicKeys.length} public key(s)`]
      .filter(Boolean)
      .join(' + ');
  } else if (settings.devKeysDir) {
    const dev = ensureDevKeyPair(settings.devKeysDir, 'jwt');
    publicKeys = [dev.publicKey.export({ type: 'spki', format: 'pem' }) as string];
    jwtSource = `dev key ${dev.publicKeyPath}`;
  } else {
    throw new Error(
      "Invalid configuration:\n  JWT_JWKS_URL or JWT_PUBLIC_KEY: how to verify callers' tokens is not configured (AUTH_DEV_KEYS_DIR uses local dev keys)",
    );
  }
  const signer = contextSignerFrom(settings);
  if (!signer) {
    throw new Error(
      'Invalid configuration:\n  CONTEXT_SIGNING_KEY: the key that signs context tokens for the subgraphs is not configured (AUTH_DEV_KEYS_DIR uses a local dev key)',
    );
  }
  const verifier = createJwtVerifier({
    jwksUrl: settings.jwksUrl,
    publicKeys,
    issuer: settings.issuer,
    audience: settings.audience,
    algorithms: settings.algorithms,
  });
  const hook = new ContextTokenHook({ signer, policyVersion: options.policyVersion ?? policyVersionOf });
  return {
    options: {
      authenticate: createCallerAuthenticator(verifier, options.logger),
      subgraphFetchHooks: [hook],
      composeHeaders: composeHeadersFor(signer, options.composeTimeoutMs),
    },
    signer,
    verifier,
    summary: {
      callers: jwtSource,
      issuer: settings.issuer,
      audience: settings.audience,
      contextKeyId: signer.keyId,
      contextKey: settings.contextSigningKey ? 'CONTEXT_SIGNING_KEY' : `dev key in ${settings.devKeysDir}`,
    },
  };
}
