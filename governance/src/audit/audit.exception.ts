import { ErrorCode } from '@concord/common';

export enum AuditExceptionCode {
  INVALID_EVENTS = 'INVALID_EVENTS',
  TOO_MANY_EVENTS = 'TOO_MANY_EVENTS',
  NO_CHECKPOINT = 'NO_CHECKPOINT',
  /** an auditor's filter, order, format or cursor that does not validate */
  INVALID_QUERY = 'INVALID_QUERY',
  /** the export without a valid caller JWT */
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  /** the caller's roles do not grant `read` on `AuditEvent` */
  NOT_AN_AUDITOR = 'NOT_AN_AUDITOR',
  /** no way to verify callers' JWTs is configured (JWT_JWKS_URL / JWT_PUBLIC_KEY) */
  EXPORT_NOT_CONFIGURED = 'EXPORT_NOT_CONFIGURED',
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
    case AuditExceptionCode.INVALID_QUERY:
      return { status: 400, errorCode: ErrorCode.BAD_USER_INPUT };
    case AuditExceptionCode.TOO_MANY_EVENTS:
      return { status: 413, errorCode: ErrorCode.BAD_USER_INPUT };
    case AuditExceptionCode.NO_CHECKPOINT:
      return { status: 404, errorCode: ErrorCode.NOT_FOUND };
    case AuditExceptionCode.UNAUTHENTICATED:
      return { status: 401, errorCode: ErrorCode.UNAUTHENTICATED };
    case AuditExceptionCode.NOT_AN_AUDITOR:
      return { status: 403, errorCode: ErrorCode.FORBIDDEN };
    case AuditExceptionCode.EXPORT_NOT_CONFIGURED:
      return { status: 503, errorCode: ErrorCode.SERVICE_UNAVAILABLE };
  }
}
