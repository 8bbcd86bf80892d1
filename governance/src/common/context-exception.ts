import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { ErrorCode } from '@concord/common';

/** How a context's failure reaches clients: an HTTP status and the shared error code. */
export interface HttpError {
  status: number;
  errorCode: ErrorCode;
}

/**
 * A failure of one of governance's contexts (policy, registry, SLA): its own code (clients see it as `reason`), the
 * shared code and HTTP status it maps to (`httpErrorOf` of the context), and details such as `problems`.
 */
export abstract class ContextException<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }

  /** The status and shared code of this exception's `code`. */
  abstract get httpError(): HttpError;

  /** The shared code clients see in `extensions.code` / `error.code`. */
  get errorCode(): ErrorCode {
    return this.httpError.errorCode;
  }
}

interface HttpResponse {
  status(code: number): HttpResponse;
  json(body: unknown): void;
}

/** REST answers of a ContextException: `{ error: { code, reason, message, …details } }` with its HTTP status. */
@Catch(ContextException)
export class ContextExceptionFilter implements ExceptionFilter {
  catch(exception: ContextException, host: ArgumentsHost): void {
    const { status, errorCode } = exception.httpError;
    host
      .switchToHttp()
      .getResponse<HttpResponse>()
      .status(status)
      .json({ error: { code: errorCode, reason: exception.code, message: exception.message, ...exception.details } });
  }
}
