import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode, isConcordError, type Logger } from '@concord/common';

interface ValidationFailure {
  response?: { message?: string | string[] };
  getStatus?: () => number;
}

function unwrap(error: unknown): unknown {
  let current = error as { originalError?: unknown } | undefined;
  while (current && typeof current === 'object' && current.originalError && current.originalError !== current) {
    current = current.originalError as { originalError?: unknown };
  }
  return current;
}

/**
 * Maps thrown errors to GraphQL errors with `extensions.code` (STYLE.md §8): Concord errors keep their code and
 * details, input validation becomes BAD_USER_INPUT, GraphQL's own parse/validation errors pass through, and
 * anything else is masked as INTERNAL_SERVER_ERROR (logged, never shown with a stack).
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrap(error);
    const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
    if (isConcordError(original)) {
      return { ...base, message: original.message, extensions: { code: original.code, ...original.details } };
    }
    const validation = original as ValidationFailure;
    if (typeof validation?.getStatus === 'function' && validation.getStatus() === 400) {
      const messages = validation.response?.message;
      const list = Array.isArray(messages) ? messages : [messages ?? formatted.message];
      return { ...base, message: list.join('; '), extensions: { code: ErrorCode.BAD_USER_INPUT, problems: list } };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...base, extensions };
    }
    if (!(original instanceof Error)) {
      // GraphQL's own errors (no original error) carry no secrets; keep their message.
      return { ...base, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
    }
    logger.error({ err: original, path: formatted.path }, 'unexpected error in resolver');
    return { ...base, message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  };
}
