import { ErrorCode } from '@concord/common';
import { ContextException, type HttpError } from '../common/context-exception';

export enum SlaExceptionCode {
  /** samples, an SLO or a report query that do not validate (details.problems lists why) */
  INVALID_INPUT = 'INVALID_INPUT',
  SLO_NOT_FOUND = 'SLO_NOT_FOUND',
  /** another SLO has that name */
  SLO_NAME_TAKEN = 'SLO_NAME_TAKEN',
  INCIDENT_NOT_FOUND = 'INCIDENT_NOT_FOUND',
}

export class SlaException extends ContextException<SlaExceptionCode> {
  get httpError(): HttpError {
    return httpErrorOf(this.code);
  }
}

/** A 400 listing every problem. */
export function invalidInput(problems: string[], what: string): SlaException {
  return new SlaException(SlaExceptionCode.INVALID_INPUT, `${what}: ${problems.join('; ')}`, { problems });
}

/** HTTP status and shared error code of each SLA failure. */
export function httpErrorOf(code: SlaExceptionCode): HttpError {
  switch (code) {
    case SlaExceptionCode.INVALID_INPUT:
      return { status: 400, errorCode: ErrorCode.BAD_USER_INPUT };
    case SlaExceptionCode.SLO_NOT_FOUND:
    case SlaExceptionCode.INCIDENT_NOT_FOUND:
      return { status: 404, errorCode: ErrorCode.NOT_FOUND };
    case SlaExceptionCode.SLO_NAME_TAKEN:
      return { status: 409, errorCode: ErrorCode.CONFLICT };
  }
}
