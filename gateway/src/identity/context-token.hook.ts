import {
  CONTEXT_TOKEN_HEADER,
  CONTEXT_TOKEN_TTL_SECONDS,
  GATEWAY_SERVICE_CALLER,
  INTERNAL_HEADER_PREFIX,
  type ContextTokenSigner,
} from '@concord/policy';
import type { GatewayRequestContext, SubgraphFetchHook, SubgraphRequest } from '../pipeline/pipeline.types';

/** Where a request's context token is kept once signed (context.state). */
export const CONTEXT_TOKEN_STATE = 'identity.contextToken';

const ANONYMOUS = Object.freeze({ sub: 'anonymous', roles: Object.freeze([] as string[]) });

export interface ContextTokenHookOptions {
  signer: ContextTokenSigner;
  /** the policy bundle version enforced for the request, when a policy is in force */
  policyVersion?: (context: GatewayRequestContext) => number | undefined;
}

/**
 * Puts the gateway's signed context token on every subgraph fetch (`x-concord-context`) and nothing else of the
 * `x-concord-*` family. One token per incoming request, signed on its first fetch and kept in `context.state`
 * for the others; fetches the gateway makes on its own (health probes) carry a service token, renewed at half
 * its life. The token is a header only: fetch de-duplication keys on the caller, never on the token string.
 */
export class ContextTokenHook implements SubgraphFetchHook {
  private service: { token: string; renewAtMs: number } | undefined;

  constructor(private readonly options: ContextTokenHookOptions) {}

  beforeFetch(request: SubgraphRequest): void {
    const headers = request.headers;
    for (const name of Object.keys(headers)) {
      if (name.startsWith(INTERNAL_HEADER_PREFIX)) {
        delete headers[name];
      }
    }
    headers[CONTEXT_TOKEN_HEADER] = request.context ? this.requestToken(request.context) : this.serviceToken();
  }

  /** The token for the gateway's own calls (also the compose-time SDL fetches). */
  serviceToken(): string {
    const now = Date.now();
    if (!this.service || this.service.renewAtMs <= now) {
      this.service = {
        token: this.options.signer.sign(GATEWAY_SERVICE_CALLER),
        renewAtMs: now + (CONTEXT_TOKEN_TTL_SECONDS * 1000) / 2,
      };
    }
    return this.service.token;
  }

  private requestToken(context: GatewayRequestContext): string {
    const signed = context.state[CONTEXT_TOKEN_STATE];
    if (typeof signed === 'string') {
      return signed;
    }
    const caller = context.caller ?? ANONYMOUS;
    const token = this.options.signer.sign({
      sub: caller.sub,
      roles: caller.roles,
      teams: teamsOf('claims' in caller ? caller.claims : undefined),
      policyVersion: this.options.policyVersion?.(context),
      correlationId: context.correlationId,
    });
    context.state[CONTEXT_TOKEN_STATE] = token;
    return token;
  }
}

/** The caller JWT's `teams` claim when it is a list of strings (anything else is left out, never guessed). */
export function teamsOf(claims: Record<string, unknown> | undefined): string[] | undefined {
  const teams = claims?.teams;
  return Array.isArray(teams) && teams.every((team) => typeof team === 'string') && teams.length > 0 ? [...(teams as string[])] : undefined;
}
