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
