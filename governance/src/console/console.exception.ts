import { ErrorCode } from '@concord/common';
import { ContextException, type HttpError } from '../common/context-exception';

export enum ConsoleExceptionCode {
  INVALID_INPUT = 'INVALID_INPUT',
  /** the dev role picker is asked for a token where dev sign-in is not configured */
  DEV_SIGN_IN_OFF = 'DEV_SIGN_IN_OFF',
}

export class ConsoleException extends ContextException<ConsoleExceptionCode> {
  get httpError(): HttpError {
    switch (this.code) {
      case ConsoleExceptionCode.INVALID_INPUT:
        return { status: 400, errorCode: ErrorCode.BAD_USER_INPUT };
      case ConsoleExceptionCode.DEV_SIGN_IN_OFF:
        return { status: 404, errorCode: ErrorCode.NOT_FOUND };
    }
  }
}
