import { ErrorCode } from '@concord/common';
import { ContextException, type HttpError } from '../common/context-exception';

export enum WorkflowExceptionCode {
  /** arguments that do not validate (details.problems lists why) */
  INVALID_INPUT = 'INVALID_INPUT',
  RUN_NOT_FOUND = 'RUN_NOT_FOUND',
  /** a replay or dismissal of a run that is not waiting in the exception queue */
  RUN_NOT_IN_EXCEPTION = 'RUN_NOT_IN_EXCEPTION',
  /** a requested run whose kind and business key are taken */
  RUN_EXISTS = 'RUN_EXISTS',
  CASE_NOT_FOUND = 'CASE_NOT_FOUND',
  /** an exception case transition its state machine does not allow */
  INVALID_CASE_TRANSITION = 'INVALID_CASE_TRANSITION',
}

export class WorkflowException extends ContextException<WorkflowExceptionCode> {
  get httpError(): HttpError {
    switch (this.code) {
      case WorkflowExceptionCode.INVALID_INPUT:
        return { status: 400, errorCode: ErrorCode.BAD_USER_INPUT };
      case WorkflowExceptionCode.RUN_NOT_FOUND:
      case WorkflowExceptionCode.CASE_NOT_FOUND:
        return { status: 404, errorCode: ErrorCode.NOT_FOUND };
      case WorkflowExceptionCode.RUN_NOT_IN_EXCEPTION:
      case WorkflowExceptionCode.RUN_EXISTS:
      case WorkflowExceptionCode.INVALID_CASE_TRANSITION:
        return { status: 409, errorCode: ErrorCode.CONFLICT };
    }
  }
}
