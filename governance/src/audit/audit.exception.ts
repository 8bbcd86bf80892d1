import { ErrorCode } from '@concord/common';

export enum AuditExceptionCode {
  INVALID_EVENTS = 'INVALID_EVENTS',
  TOO_MANY_EVENTS = 'TOO_MANY_EVENTS',
  NO_CHECKPOINT = 'NO_CHECKPOINT',
}

export class AuditException extends Error {
  constructor(
    readonly code: AuditExceptionCode,
    message: string,
    readonly problems: string[] = [],
  ) {
    super(message);
    this.name = 'AuditException';
  }
}

/** HTTP status and shared error code of each audit failure. */
export function httpErrorOf(code: AuditExceptionCode): { status: number; errorCode: ErrorCode } {
  switch (code) {
    case AuditExceptionCode.INVALID_EVENTS:
      return { status: 400, errorCode: ErrorCode.BAD_USER_INPUT };
    case AuditExceptionCode.TOO_MANY_EVENTS:
      return { status: 413, errorCode: ErrorCode.BAD_USER_INPUT };
    case AuditExceptionCode.NO_CHECKPOINT:
      return { status: 404, errorCode: ErrorCode.NOT_FOUND };
  }
}
