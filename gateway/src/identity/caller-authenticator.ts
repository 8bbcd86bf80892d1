import type { IncomingHttpHeaders } from 'node:http';
import { ErrorCode, type Logger } from '@concord/common';
import { INTERNAL_HEADER_PREFIX, isTokenError, type JwtVerifier } from '@concord/policy';
import { GatewayRequestError } from '../http/request-error';
import type { Authenticator } from '../pipeline/pipeline.types';

const BEARER = /^Bearer\s+(\S+)\s*$/i;
const MESSAGE = 'A valid bearer token is required';

/** 401 UNAUTHENTICATED, the same for every reason (RFC 6750 says whether a token was sent, nothing more). */
function unauthenticated(tokenSent: boolean): GatewayRequestError {
  return new GatewayRequestError(
    'refused',
    401,
    ErrorCode.UNAUTHENTICATED,
    MESSAGE,
    [{ message: MESSAGE, extensions: { code: ErrorCode.UNAUTHENTICATED } }],
    {
      'www-authenticate': tokenSent ? 'Bearer realm="concord", error="invalid_token"' : 'Bearer realm="concord"',
    },
  );
}

/**
 * Headers named `x-concord-*` are the gateway's own (the context token among them): a client's copies are removed
 * before anything reads the request, so no step can mistake them for the gateway's.
 */
export function dropInternalHeaders(headers: IncomingHttpHeaders): void {
  for (const name of Object.keys(headers)) {
    if (name.startsWith(INTERNAL_HEADER_PREFIX)) {
      delete headers[name];
    }
  }
}

/**
 * The gateway's Authenticator: `Authorization: Bearer <JWT>` verified by the JwtVerifier (cached per token until it
 * expires). Every data request needs one; the refusal reason is logged with the correlation id, the client gets 401.
 */
export function createCallerAuthenticator(verifier: JwtVerifier, logger: Logger): Authenticator {
  return async (headers, context) => {
    dropInternalHeaders(headers);
    const authorization = headers.authorization;
    const token = authorization ? BEARER.exec(authorization)?.[1] : undefined;
    try {
      const caller = await verifier.verify(token);
      return { sub: caller.sub, roles: [...caller.roles], claims: caller.claims };
    } catch (error) {
      if (!isTokenError(error)) {
        throw error;
      }
      const entry = { correlationId: context.correlationId, reason: error.reason, detail: error.message };
      if (error.reason === 'keys_unavailable') {
        logger.warn(entry, 'caller refused: the identity provider keys are unavailable');
      } else {
        logger.info(entry, 'caller refused');
      }
      throw unauthenticated(authorization !== undefined);
    }
  };
}
