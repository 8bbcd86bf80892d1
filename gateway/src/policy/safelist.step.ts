import type { DocumentNode } from 'graphql';
import { ErrorCode, operationId, type Logger } from '@concord/common';
import { CLIENT_NAME_HEADER, CLIENT_VERSION_HEADER } from '../http/client-headers';
import { GatewayErrorCode, GatewayRequestError } from '../http/request-error';
import type { GatewayRequestContext, OperationStep, OperationStepInput } from '../pipeline/pipeline.types';
import type { SafelistStore } from './safelist-store';

/**
 * SAFELIST: `off` runs any operation; `on` runs only operations the request's client version registered
 * (`npm run operations:register`) and refuses the rest with 403 OPERATION_NOT_REGISTERED; `report` lets everything
 * through and logs and counts what `on` would refuse (to roll the safelist out without breaking clients).
 */
export type SafelistMode = 'off' | 'on' | 'report';
export const SAFELIST_MODES: readonly SafelistMode[] = ['off', 'on', 'report'];

export const SAFELIST_STEP = 'safelist';

/**
 * Callers with this role bypass the safelist: Concord's own service identity (the gateway's schema and health
 * fetches, tools introspecting the graph), whose policy role reads no data at all.
 */
export const SAFELIST_BYPASS_ROLE = 'system';

/** Distinct refused (client version, operation) pairs logged in report mode; past it, only counted. */
const MAX_REPORTED = 10_000;

export interface SafelistStepOptions {
  mode: Exclude<SafelistMode, 'off'>;
  store: Pick<SafelistStore, 'allows'>;
  logger: Logger;
}

export interface SafelistCounts {
  /** operations refused (mode on) */
  refused: number;
  /** operations that mode on would have refused (mode report) */
  wouldRefuse: number;
  /** operations let through unchecked because no list was loaded yet (mode report) */
  unchecked: number;
}

export interface SafelistStep extends OperationStep {
  counts(): SafelistCounts;
}

/** A client identification header, trimmed; undefined when absent or blank (never cut: a cut name must not match). */
function clientHeader(value: string | string[] | undefined): string | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  return text || undefined;
}

function registerCommand(clientName: string, clientVersion: string): string {
  return `npm run operations:register -- --client ${clientName} --client-version ${clientVersion} <file.graphql>`;
}

/**
 * Why the operation is refused: which client version, which operation, and how to register it. undefined when it
 * is registered, or when no list was loaded yet (`loaded: false`).
 */
function refusalOf(
  store: SafelistStepOptions['store'],
  context: GatewayRequestContext,
  id: string,
): { loaded: boolean; refusal?: { message: string; extensions: Record<string, unknown> } } {
  const clientName = clientHeader(context.headers[CLIENT_NAME_HEADER]);
  const clientVersion = clientHeader(context.headers[CLIENT_VERSION_HEADER]);
  const operation = context.operationName ?? 'anonymous';
  const extensions = { clientName: clientName ?? null, clientVersion: clientVersion ?? null, operationId: id };
  if (!clientName) {
    return {
      loaded: true,
      refusal: {
        message:
          `This gateway runs only registered operations: send the ${CLIENT_NAME_HEADER} and ${CLIENT_VERSION_HEADER} headers ` +
          `of a client version that registered operation ${operation} (npm run operations:register)`,
        extensions,
      },
    };
  }
  if (!clientVersion) {
    return {
      loaded: true,
      refusal: {
        message:
          `This gateway runs only registered operations, registered per client version: client "${clientName}" sent no ` +
          `${CLIENT_VERSION_HEADER} header`,
        extensions,
      },
    };
  }
  const allowed = store.allows(clientName, clientVersion, id);
  if (allowed === undefined) {
    return { loaded: false };
  }
  if (allowed) {
    return { loaded: true };
  }
  return {
    loaded: true,
    refusal: {
      message:
        `Operation ${operation} (id ${id}) is not registered for client ${clientName}@${clientVersion}: ` +
        `register it with ${registerCommand(clientName, clientVersion)}`,
      extensions,
    },
  };
}

/**
 * The safelist enforcement point (issue 5, "Clients and usage"). It must run before any step that rewrites the
 * document: the id is that of the document the client sent (`operationId` of @concord/common, the same function
 * governance registers with), computed once per parsed document — the pipeline shares one DocumentNode per query
 * text, so a WeakMap on it makes the check a map lookup after the first request. Clients are identified by
 * `apollographql-client-name` / `-version`; a request without them is refused when the mode is on. Callers with the
 * `system` role bypass it.
 */
export function createSafelistStep(options: SafelistStepOptions): SafelistStep {
  const ids = new WeakMap<DocumentNode, string>();
  const counts: SafelistCounts = { refused: 0, wouldRefuse: 0, unchecked: 0 };
  const reported = new Set<string>();

  const idOf = (document: DocumentNode): string => {
    let id = ids.get(document);
    if (id === undefined) {
      id = operationId(document);
      ids.set(document, id);
    }
    return id;
  };

  return {
    name: SAFELIST_STEP,
    counts: () => ({ ...counts }),
    run({ document, context }: OperationStepInput): void {
      if (context.caller?.roles.includes(SAFELIST_BYPASS_ROLE)) {
        return;
      }
      const id = idOf(document);
      const { loaded, refusal } = refusalOf(options.store, context, id);
      if (!loaded) {
        if (options.mode === 'on') {
          throw GatewayRequestError.refused(
            ErrorCode.SERVICE_UNAVAILABLE,
            'The operation safelist has not been loaded from governance yet: operations are refused until it is',
            {},
            503,
          );
        }
        counts.unchecked++;
        return;
      }
      if (!refusal) {
        return;
      }
      if (options.mode === 'report') {
        counts.wouldRefuse++;
        const key = `${String(refusal.extensions.clientName)}\u0000${String(refusal.extensions.clientVersion)}\u0000${id}`;
        if (!reported.has(key) && reported.size < MAX_REPORTED) {
          reported.add(key);
          options.logger.warn(
            { correlationId: context.correlationId, operationName: context.operationName, ...refusal.extensions },
            `safelist (report): would refuse: ${refusal.message}`,
          );
        }
        return;
      }
      counts.refused++;
      throw new GatewayRequestError('refused', 403, GatewayErrorCode.OPERATION_NOT_REGISTERED, refusal.message, [
        { message: refusal.message, extensions: { code: GatewayErrorCode.OPERATION_NOT_REGISTERED, ...refusal.extensions } },
      ]);
    },
  };
}
