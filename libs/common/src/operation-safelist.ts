import { createHash } from 'node:crypto';
import { parse, print, type DocumentNode } from 'graphql';

/**
 * The operation safelist (issue 5, "Clients and usage"): per client name and version, the operations registered with
 * governance (`POST /registry/operations`). Gateways with `SAFELIST=on` refuse every other operation; they poll
 * `GET /registry/safelist` for this body.
 */
export interface OperationSafelist {
  /** sorted by client name, then client version */
  clients: SafelistedClientVersion[];
}

export interface SafelistedClientVersion {
  /** `apollographql-client-name`, exactly as the client sends it (trimmed) */
  clientName: string;
  /** `apollographql-client-version`, exactly as the client sends it (trimmed) */
  clientVersion: string;
  /** operationId of every registered document, sorted */
  operationIds: string[];
}

/** Longest client name or version a gateway reads from the headers (longer ones are cut there, so never match). */
export const MAX_CLIENT_IDENTIFIER_CHARS = 128;

/**
 * The id of a GraphQL operation document in the safelist: the lower-case hex SHA-256 of the UTF-8 bytes of
 * `print(parse(document))` (graphql-js 16). Printing drops what carries no meaning — whitespace, commas, comments,
 * indentation — and writes every token in one canonical layout, so two texts of the same document share an id. Anything
 * that changes what runs gives another id: names, aliases, arguments and their order, literal values, variables,
 * directives, fragments and the order of selections and definitions. The id covers the whole document (every
 * operation and fragment in it); a request picks one of its operations with `operationName`. A text that does not
 * parse throws graphql-js's syntax error.
 */
export function operationId(document: DocumentNode | string): string {
  const ast = typeof document === 'string' ? parse(document) : document;
  return createHash('sha256').update(print(ast), 'utf8').digest('hex');
}

/** The key a safelist is looked up by: client name and version, which may hold any characters. */
export function safelistClientKey(clientName: string, clientVersion: string): string {
  return `${clientName}\u0000${clientVersion}`;
}
