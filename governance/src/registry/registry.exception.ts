import { ErrorCode } from '@concord/common';
import { ContextException, type HttpError } from '../common/context-exception';

export enum RegistryExceptionCode {
  /** a subgraph name, SDL or author that does not validate */
  INVALID_INPUT = 'INVALID_INPUT',
  /** the check failed: the report says why (details.report) */
  CHECK_FAILED = 'CHECK_FAILED',
  SUBGRAPH_NOT_FOUND = 'SUBGRAPH_NOT_FOUND',
  /** no subgraph has published yet */
  NOTHING_PUBLISHED = 'NOTHING_PUBLISHED',
  /** the latest published versions do not compose (not expected: every publish was checked against the others) */
  SUPERGRAPH_UNCOMPOSABLE = 'SUPERGRAPH_UNCOMPOSABLE',
  SCHEMA_VERSION_NOT_FOUND = 'SCHEMA_VERSION_NOT_FOUND',
  SUPERGRAPH_VERSION_NOT_FOUND = 'SUPERGRAPH_VERSION_NOT_FOUND',
  /** the rollback target is what gateways serve already */
  NOTHING_TO_ROLL_BACK = 'NOTHING_TO_ROLL_BACK',
  /** only a REJECTED version, not yet approved, newer than the served one and composing with the others */
  NOT_APPROVABLE = 'NOT_APPROVABLE',
  /** a publisher approving their own failed check */
  SELF_APPROVAL = 'SELF_APPROVAL',
  /** operation documents that do not parse or do not validate against the current supergraph (details.problems) */
  INVALID_OPERATIONS = 'INVALID_OPERATIONS',
}

export class RegistryException extends ContextException<RegistryExceptionCode> {
  get httpError(): HttpError {
    return httpErrorOf(this.code);
  }
}

/** HTTP status and shared error code of each registry failure. */
export function httpErrorOf(code: RegistryExceptionCode): HttpError {
  switch (code) {
    case RegistryExceptionCode.INVALID_INPUT:
    case RegistryExceptionCode.INVALID_OPERATIONS:
      return { status: 400, errorCode: ErrorCode.BAD_USER_INPUT };
    case RegistryExceptionCode.CHECK_FAILED:
    case RegistryExceptionCode.SUPERGRAPH_UNCOMPOSABLE:
    case RegistryExceptionCode.NOTHING_TO_ROLL_BACK:
    case RegistryExceptionCode.NOT_APPROVABLE:
      return { status: 409, errorCode: ErrorCode.CONFLICT };
    case RegistryExceptionCode.SUBGRAPH_NOT_FOUND:
    case RegistryExceptionCode.NOTHING_PUBLISHED:
    case RegistryExceptionCode.SCHEMA_VERSION_NOT_FOUND:
    case RegistryExceptionCode.SUPERGRAPH_VERSION_NOT_FOUND:
      return { status: 404, errorCode: ErrorCode.NOT_FOUND };
    case RegistryExceptionCode.SELF_APPROVAL:
      return { status: 403, errorCode: ErrorCode.FORBIDDEN };
  }
}
