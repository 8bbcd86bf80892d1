import { Catch } from '@nestjs/common';
import type { GqlExceptionFilter } from '@nestjs/graphql';
import { ConcordError } from '@concord/common';
import { AuditException, httpErrorOf as auditErrorOf } from '../audit/audit.exception';
import { ContextException } from './context-exception';

/**
 * Governance's context exceptions as the coded errors every Concord GraphQL API returns (STYLE.md §8): the shared
 * code in `extensions.code`, the context's own code as `reason`, and its details. Anything else goes on to the
 * error formatter untouched (a ConcordError keeps its code, the rest is masked as INTERNAL_SERVER_ERROR). Returning
 * instead of rethrowing also keeps Nest from logging expected user errors as unexpected ones.
 */
@Catch()
export class GovernanceGraphQLErrorFilter implements GqlExceptionFilter {
  catch(error: unknown): unknown {
    if (error instanceof ContextException) {
      return new ConcordError(error.errorCode, error.message, { reason: error.code, ...error.details });
    }
    if (error instanceof AuditException) {
      const problems = error.problems.length ? { problems: error.problems } : {};
      return new ConcordError(auditErrorOf(error.code).errorCode, error.message, { reason: error.code, ...problems });
    }
    return error;
  }
}
