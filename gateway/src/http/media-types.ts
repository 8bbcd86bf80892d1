export const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json';
export const APPLICATION_JSON = 'application/json';

export type ResponseMediaType = typeof GRAPHQL_RESPONSE_JSON | typeof APPLICATION_JSON;

/** The Content-Type header value sent for each response media type (precomputed: sent on every response). */
export const CONTENT_TYPE_HEADER: Record<ResponseMediaType, string> = {
  [GRAPHQL_RESPONSE_JSON]: `${GRAPHQL_RESPONSE_JSON}; charset=utf-8`,
  [APPLICATION_JSON]: `${APPLICATION_JSON}; charset=utf-8`,
};

/**
 * Picks the response media type from an Accept header (GraphQL over HTTP §Accept): the acceptable type with the
 * highest q (ties: the more specific range, then the earlier one). No Accept header, `*\/*` and `application/*`
 * mean application/graphql-response+json, as the spec asks since its 2025 watershed. Returns undefined when the
 * client accepts neither type (→ 406).
 */
export function negotiateResponseType(accept: string | undefined): ResponseMediaType | undefined {
  if (accept === undefined || accept === '') {
    return GRAPHQL_RESPONSE_JSON;
  }
  // Fast path for the headers real clients send.
  if (accept === GRAPHQL_RESPONSE_JSON || accept === '*/*') {
    return GRAPHQL_RESPONSE_JSON;
  }
  if (accept === APPLICATION_JSON) {
    return APPLICATION_JSON;
  }
  let best: ResponseMediaType | undefined;
  let bestQuality = 0;
  let bestSpecificity = -1;
  for (const range of accept.split(',')) {
    const [rawType, ...parameters] = range.split(';');
    const type = rawType.trim().toLowerCase();
    let quality = 1;
    for (const parameter of parameters) {
      const [name, value] = parameter.split('=');
      if (name?.trim().toLowerCase() === 'q') {
        const parsed = Number(value?.trim());
        quality = Number.isFinite(parsed) ? Math.min(Math.max(parsed, 0), 1) : 0;
      }
    }
    if (quality <= 0) {
      continue;
    }
    let candidate: ResponseMediaType | undefined;
    let specificity = 0;
    if (type === GRAPHQL_RESPONSE_JSON) {
      candidate = GRAPHQL_RESPONSE_JSON;
      specificity = 2;
    } else if (type === APPLICATION_JSON) {
      candidate = APPLICATION_JSON;
      specificity = 2;
    } else if (type === 'application/*') {
      candidate = GRAPHQL_RESPONSE_JSON;
      specificity = 1;
    } else if (type === '*/*') {
      candidate = GRAPHQL_RESPONSE_JSON;
    }
    if (candidate && (quality > bestQuality || (quality === bestQuality && specificity > bestSpecificity))) {
      best = candidate;
      bestQuality = quality;
      bestSpecificity = specificity;
    }
  }
  return best;
}

/** True for `application/json` with no charset or utf-8 (the only request body the spec requires). */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (!contentType) {
    return false;
  }
  if (contentType === APPLICATION_JSON) {
    return true;
  }
  const [type, ...parameters] = contentType.split(';');
  if (type.trim().toLowerCase() !== APPLICATION_JSON) {
    return false;
  }
  for (const parameter of parameters) {
    const [name, value] = parameter.split('=');
    if (name?.trim().toLowerCase() === 'charset' && value?.trim().replace(/"/g, '').toLowerCase() !== 'utf-8') {
      return false;
    }
  }
  return true;
}
