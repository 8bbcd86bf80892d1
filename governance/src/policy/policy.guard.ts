import { Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ConcordError, ErrorCode } from '@concord/common';
import { currentCaller } from '../common/caller';
import { DeniedAttempts } from './denied-attempts';
import { PolicyDecisionService, type RequiredAbility } from './policy-decision.service';

const REQUIRED_ABILITY = 'concord:requiredAbility';

/** The CASL ability a resolver class (or one of its fields) requires of the caller; see PolicyGuard. */
export const RequireAbility = (action: string, subject: string) =>
  SetMetadata(REQUIRED_ABILITY, { action, subject } satisfies RequiredAbility);

/** The ability a handler requires, from the handler or its class; undefined when neither declares one. */
export function requiredAbilityOf(reflector: Reflector, context: ExecutionContext): RequiredAbility | undefined {
  return reflector.getAllAndOverride<RequiredAbility | undefined>(REQUIRED_ABILITY, [context.getHandler(), context.getClass()]);
}

/**
 * Governance's GraphQL authorization (ARCHITECTURE.md §4): the caller from the context token must have the declared
 * ability under the bundle in force, else FORBIDDEN. A handler that declares none is refused too (fail closed), so a
 * new root field cannot be served without a decision.
 */
@Injectable()
export class PolicyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly decisions: PolicyDecisionService,
    private readonly denied: DeniedAttempts,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const required = requiredAbilityOf(this.reflector, context);
    const operation = `${context.getClass().name}.${context.getHandler().name}`;
    if (!required) {
      const message = 'this field declares no policy and is refused';
      await this.denied.record({ entity: 'Governance', operation, code: ErrorCode.FORBIDDEN, message });
      throw new ConcordError(ErrorCode.FORBIDDEN, message);
    }
    if (!(await this.decisions.allows(currentCaller(), required))) {
      const message = `Not authorized: ${required.action} on ${required.subject} is not granted to the caller's roles`;
      await this.denied.record({ entity: required.subject, operation, code: ErrorCode.FORBIDDEN, message });
      throw new ConcordError(ErrorCode.FORBIDDEN, message, { action: required.action, subject: required.subject });
    }
    return true;
  }
}
