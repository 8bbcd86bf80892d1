/**
 * Why a token was refused. The reason is for logs and metrics; callers of the gateway only ever see 401
 * `UNAUTHENTICATED`, so a client learns nothing about which check failed.
 */
export type TokenRefusal =
  | 'missing'
  | 'malformed'
  | 'alg_not_allowed'
  | 'unknown_kid'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'invalid_claims'
  | 'keys_unavailable';

export class TokenError extends Error {
  constructor(
    readonly reason: TokenRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'TokenError';
  }
}

export function isTokenError(error: unknown): error is TokenError {
  return error instanceof TokenError;
}
