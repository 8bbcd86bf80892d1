import { ConcordError, currentContext, ErrorCode, type AuditActor } from '@concord/common';

/**
 * The caller of the current request: the context token's subject and roles on /graphql, the JWT's on the export.
 * Every authenticated entry point puts it into the request context before a resolver or handler runs; without one
 * the request is refused rather than served as nobody.
 */
export function currentCaller(): AuditActor {
  const actor = currentContext()?.actor;
  if (!actor) {
    throw new ConcordError(ErrorCode.UNAUTHENTICATED, 'no authenticated caller');
  }
  return { sub: actor.sub, roles: [...actor.roles] };
}

/**
 * The caller's teams (the identity provider's `teams` claim, passed on by the gateway in the context token); empty
 * when the token names none. Kept apart from the actor: the ledger records who acted, four-eyes rules ask which
 * teams they act for.
 */
export function currentTeams(): string[] {
  return [...(currentContext()?.actor?.teams ?? [])];
}
