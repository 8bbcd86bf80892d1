import { ConcordError, ErrorCode, httpStatusOf, isConcordError } from '@concord/common';

/**
 * Codes the gateway itself returns for requests it cannot execute, beside the shared ErrorCode values.
 * The GraphQL ones are the names Apollo and most GraphQL servers use, so clients already know them.
 */
export enum GatewayErrorCode {
  BAD_REQUEST = 'BAD_REQUEST',
  GRAPHQL_PARSE_FAILED = 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED = 'GRAPHQL_VALIDATION_FAILED',
  OPERATION_RESOLUTION_FAILURE = 'OPERATION_RESOLUTION_FAILURE',
  QUERY_TOO_DEEP = 'QUERY_TOO_DEEP',
  QUERY_TOO_LARGE = 'QUERY_TOO_LARGE',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  NOT_ACCEPTABLE = 'NOT_ACCEPTABLE',
  METHOD_NOT_ALLOWED = 'METHOD_NOT_ALLOWED',
  NOT_FOUND = 'NOT_FOUND',
  DOWNSTREAM_SERVICE_ERROR = 'DOWNSTREAM_SERVICE_ERROR',
  /** SAFELIST=on: the client version did not register this operation (403) */
  OPERATION_NOT_REGISTERED = 'OPERATION_NOT_REGISTERED',
}

/**
 * How a failure before execution maps onto HTTP (GraphQL over HTTP spec):
 * - `transport`: the HTTP request itself is wrong (bad JSON, no query, 405, 413, 415): its status for any media type;
 * - `graphql`: a well-formed request whose GraphQL document fails (parse, validation, variables, limits): 400 with
 *   application/graphql-response+json, 200 with legacy application/json;
 * - `refused`: a pipeline step refused the operation (authentication, policy): its status for any media type.
 */
export type RequestErrorKind = 'transport' | 'graphql' | 'refused';

export interface RequestErrorDetail {
  message: string;
  locations?: readonly { line: number; column: number }[];
  extensions?: Record<string, unknown>;
}

/** A request the gateway refuses before execution; never carries a stack to the client. */
export class GatewayRequestError extends Error {
  constructor(
    readonly kind: RequestErrorKind,
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: RequestErrorDetail[] = [{ message, extensions: { code } }],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'GatewayRequestError';
  }

  static transport(
    status: number,
    code: GatewayErrorCode | ErrorCode,
    message: string,
    headers?: Record<string, string>,
  ): GatewayRequestError {
    return new GatewayRequestError('transport', status, code, message, undefined, headers);
  }

  static graphql(code: GatewayErrorCode | ErrorCode, errors: RequestErrorDetail[]): GatewayRequestError {
    return new GatewayRequestError('graphql', 400, code, errors[0]?.message ?? code, errors);
  }

  /** For pipeline steps: refuse the operation with a shared error code (status from the code, e.g. 403). */
  static refused(
    code: ErrorCode,
    message: string,
    extensions: Record<string, unknown> = {},
    status = httpStatusOf(code),
  ): GatewayRequestError {
    return new GatewayRequestError('refused', status, code, message, [{ message, extensions: { code, ...extensions } }]);
  }
}

/** Turns whatever a pipeline step threw into a refusal; unknown errors become a masked 500. */
export function asRequestError(error: unknown): GatewayRequestError {
  if (error instanceof GatewayRequestError) {
    return error;
  }
  if (isConcordError(error)) {
    return GatewayRequestError.refused(error.code, error.message, (error as ConcordError).details);
  }
  return new GatewayRequestError('refused', 500, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
}
