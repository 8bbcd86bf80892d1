import { ErrorCode } from '@concord/common';
import { ContextException, type HttpError } from '../common/context-exception';

export enum PolicyExceptionCode {
  /** a change set or a bundle that does not validate */
  INVALID_CHANGES = 'INVALID_CHANGES',
  REASON_REQUIRED = 'REASON_REQUIRED',
  ACTOR_REQUIRED = 'ACTOR_REQUIRED',
  NOTHING_CHANGES = 'NOTHING_CHANGES',
  INVALID_VERSION = 'INVALID_VERSION',
  VERSION_NOT_FOUND = 'VERSION_NOT_FOUND',
  /** no ownership rule for the entity */
  UNKNOWN_ENTITY = 'UNKNOWN_ENTITY',
  CHANGE_NOT_FOUND = 'CHANGE_NOT_FOUND',
  /** a steward may not approve their own request, also not through a team */
  SELF_APPROVAL = 'SELF_APPROVAL',
  /** a request on behalf of a team the requester does not belong to */
  NOT_A_TEAM_MEMBER = 'NOT_A_TEAM_MEMBER',
  /** the request was decided already */
  NOT_PENDING = 'NOT_PENDING',
  /** the rule changed since the request: it would not do what was asked */
  STALE_CHANGE = 'STALE_CHANGE',
  /** another request for the same rule waits for approval */
  PENDING_EXISTS = 'PENDING_EXISTS',
  /** no version stored (governance did not finish starting) */
  NO_BUNDLE = 'NO_BUNDLE',
}

export class PolicyException extends ContextException<PolicyExceptionCode> {
  get httpError(): HttpError {
    return httpErrorOf(this.code);
  }
}

/** HTTP status and shared error code of each policy failure. */
export function httpErrorOf(code: PolicyExceptionCode): HttpError {
  switch (code) {
    case PolicyExceptionCode.INVALID_CHANGES:
    case PolicyExceptionCode.REASON_REQUIRED:
    case PolicyExceptionCode.ACTOR_REQUIRED:
    case PolicyExceptionCode.NOTHING_CHANGES:
    case PolicyExceptionCode.INVALID_VERSION:
      return { status: 400, errorCode: ErrorCode.BAD_USER_INPUT };
    case PolicyExceptionCode.VERSION_NOT_FOUND:
    case PolicyExceptionCode.UNKNOWN_ENTITY:
    case PolicyExceptionCode.CHANGE_NOT_FOUND:
      return { status: 404, errorCode: ErrorCode.NOT_FOUND };
    case PolicyExceptionCode.SELF_APPROVAL:
    case PolicyExceptionCode.NOT_A_TEAM_MEMBER:
      return { status: 403, errorCode: ErrorCode.FORBIDDEN };
    case PolicyExceptionCode.NOT_PENDING:
    case PolicyExceptionCode.STALE_CHANGE:
    case PolicyExceptionCode.PENDING_EXISTS:
      return { status: 409, errorCode: ErrorCode.CONFLICT };
    case PolicyExceptionCode.NO_BUNDLE:
      return { status: 503, errorCode: ErrorCode.SERVICE_UNAVAILABLE };
  }
}
