import { ErrorCode, httpStatusOf } from '@concord/common';
import { GatewayErrorCode } from '../http/request-error';

/** Why a subgraph fetch failed, when no GraphQL code says it (the codes SlaSample names for subgraph fetches). */
export enum SubgraphFailureCode {
  /** no complete answer within the subgraph's timeout */
  TIMEOUT = 'TIMEOUT',
  /** connection refused, reset or closed */
  NETWORK = 'NETWORK',
  /** an HTTP status of 500 or more */
  HTTP_5XX = 'HTTP_5XX',
  /** an HTTP status from 300 to 499 for a query the gateway planned (e.g. a refused context token) */
  HTTP_4XX = 'HTTP_4XX',
  /** HTTP 2xx without a GraphQL response in the body */
  BAD_RESPONSE = 'BAD_RESPONSE',
}

/** The label of any code outside the known ones, so a subgraph cannot grow the series or the sample keys. */
export const OTHER_CODE = 'OTHER';

const KNOWN_CODES = new Set<string>([
  ...Object.values(ErrorCode),
  ...Object.values(GatewayErrorCode),
  ...Object.values(SubgraphFailureCode),
]);

/** Codes that say the caller asked for something it may not have or that is not there: not a failure of the service. */
const CALLER_FAULT_CODES = new Set<string>(Object.values(ErrorCode).filter((code) => httpStatusOf(code) < 500));

/** A code as a bounded label: itself when known, `OTHER` otherwise; a missing code is an internal error. */
export function codeLabel(code: unknown): string {
  if (code === undefined || code === null) {
    return ErrorCode.INTERNAL_SERVER_ERROR;
  }
  return typeof code === 'string' && KNOWN_CODES.has(code) ? code : OTHER_CODE;
}

interface ErrorLike {
  readonly extensions?: { readonly [key: string]: unknown };
}

/**
 * The code of the first error in an answer that is the service's fault (anything but the caller-fault codes:
 * FORBIDDEN_FIELD, NOT_FOUND, BAD_USER_INPUT, …), as a bounded label; undefined when every error is the caller's.
 * This is what makes an answer with errors a bad event for availability.
 */
export function serviceFaultCode(errors: readonly ErrorLike[]): string | undefined {
  for (const error of errors) {
    const code = error.extensions?.code;
    if (typeof code !== 'string' || !CALLER_FAULT_CODES.has(code)) {
      return codeLabel(code);
    }
  }
  return undefined;
}

/** True when some error says a subgraph did not answer in time (the gateway's SERVICE_UNAVAILABLE, reason timeout). */
export function hasTimeout(errors: readonly ErrorLike[]): boolean {
  return errors.some((error) => error.extensions?.reason === 'timeout');
}
