import { safelistClientKey, type Logger, type OperationSafelist } from '@concord/common';

export interface SafelistStoreOptions {
  /** governance's `GET /registry/safelist` */
  url: string;
  /** how often to ask for a new list (If-None-Match: an unchanged list costs a 304), default 5000 ms */
  pollMs?: number;
  /** time allowed for one request (the next poll waits for it), default 5000 ms */
  requestTimeoutMs?: number;
  /** e.g. the GOVERNANCE_TOKEN bearer */
  headers?: Record<string, string>;
  logger: Logger;
}

export interface SafelistStatus {
  /** a list was loaded at least once: until then nothing can be decided */
  loaded: boolean;
  /** the last poll failed: the last good list stays in force */
  degraded: boolean;
  clientVersions: number;
  operations: number;
  etag: string | null;
  /** why the last poll failed */
  lastError?: string;
}

export type SafelistListener = (status: SafelistStatus) => void;

const OPERATION_ID = /^[0-9a-f]{64}$/;

class SafelistFetchFailure extends Error {}

function messageOf(error: unknown): string {
  const failure = error as { name?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } } | null;
  if (failure?.name === 'TimeoutError') {
    return 'timed out';
  }
  const cause = failure?.cause?.code ?? failure?.cause?.message;
  const message = typeof failure?.message === 'string' ? failure.message : String(error);
  return typeof cause === 'string' ? `${message} (${cause})` : message;
}

/** The list as sets of operation ids per client version; throws on a body that is not an OperationSafelist. */
function indexOf(body: unknown): Map<string, ReadonlySet<string>> {
  const clients = (body as Partial<OperationSafelist> | null)?.clients;
  if (!Array.isArray(clients)) {
    throw new SafelistFetchFailure('governance sent a safelist without a clients array');
  }
  const index = new Map<string, Set<string>>();
  for (const client of clients as unknown[]) {
    const entry = client as Partial<OperationSafelist['clients'][number]> | null;
    if (
      typeof entry?.clientName !== 'string' ||
      typeof entry.clientVersion !== 'string' ||
      !Array.isArray(entry.operationIds) ||
      !entry.operationIds.every((id) => typeof id === 'string' && OPERATION_ID.test(id))
    ) {
      throw new SafelistFetchFailure('governance sent a safelist entry that is not { clientName, clientVersion, operationIds }');
    }
    const key = safelistClientKey(entry.clientName, entry.clientVersion);
    const ids = index.get(key) ?? new Set<string>();
    entry.operationIds.forEach((id) => ids.add(id));
    index.set(key, ids);
  }
  return index;
}

/**
 * The operation safelist a gateway enforces (issue 5): governance's `GET /registry/safelist`, asked at start and every
 * `pollMs` with `If-None-Match`, so an unchanged list costs governance a count and the gateway a 304. The last good
 * list stays in force while governance is unreachable or answers nonsense (`degraded`); before the first list the
 * store is not `loaded` and decides nothing. Kept in memory only: a gateway that starts while governance is down has
 * no list (with SAFELIST=on it refuses operations until governance answers). State changes are logged once.
 */
export class SafelistStore {
  private index: Map<string, ReadonlySet<string>> | undefined;
  private etag: string | undefined;
  private lastError: string | undefined;
  private operations = 0;
  private readonly listeners = new Set<SafelistListener>();
  private readonly pollMs: number;
  private readonly requestTimeoutMs: number;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private abort: AbortController | undefined;
  private stopped = false;
  /** the failure last logged (undefined: healthy) */
  private reported: string | undefined;

  constructor(private readonly options: SafelistStoreOptions) {
    this.pollMs = options.pollMs ?? 5_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 5_000;
  }

  /** true when the client version registered the operation; undefined while no list was ever loaded. */
  allows(clientName: string, clientVersion: string, operationId: string): boolean | undefined {
    return this.index ? (this.index.get(safelistClientKey(clientName, clientVersion))?.has(operationId) ?? false) : undefined;
  }

  status(): SafelistStatus {
    return {
      loaded: this.index !== undefined,
      degraded: this.lastError !== undefined,
      clientVersions: this.index?.size ?? 0,
      operations: this.operations,
      etag: this.etag ?? null,
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
    };
  }

  /** Called with each list that comes into force (the first one included); returns an unsubscribe function. */
  onChange(listener: SafelistListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Asks for the first list (never rejects: see status()) and starts polling. */
  async start(): Promise<SafelistStatus> {
    this.stopped = false;
    await this.refresh();
    this.schedule();
    return this.status();
  }

  /** Asks governance now (or waits for the request already under way); never rejects. */
  refresh(): Promise<void> {
    this.inFlight ??= this.poll().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.abort?.abort();
    await this.inFlight;
  }

  private schedule(): void {
    if (this.stopped) {
      return;
    }
    this.timer = setTimeout(() => {
      void this.refresh().finally(() => this.schedule());
    }, this.pollMs);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    try {
      const headers: Record<string, string> = { accept: 'application/json', ...this.options.headers };
      if (this.etag && this.index) {
        headers['if-none-match'] = this.etag;
      }
      this.abort = new AbortController();
      let response: Response;
      try {
        response = await fetch(this.options.url, {
          headers,
          signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.requestTimeoutMs)]),
        });
      } catch (error) {
        throw new SafelistFetchFailure(`governance unreachable: ${messageOf(error)}`);
      }
      if (response.status === 304) {
        await response.body?.cancel();
        this.recover();
        return;
      }
      const text = await response.text();
      if (response.status !== 200) {
        throw new SafelistFetchFailure(`governance answered HTTP ${response.status}`);
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new SafelistFetchFailure('governance sent a safelist that is not JSON');
      }
      this.accept(indexOf(body), response.headers.get('etag') ?? undefined);
      this.recover();
    } catch (error) {
      if (!this.stopped) {
        this.fail(messageOf(error));
      }
    }
  }

  private accept(index: Map<string, ReadonlySet<string>>, etag: string | undefined): void {
    const first = this.index === undefined;
    this.index = index;
    this.etag = etag;
    this.operations = [...index.values()].reduce((sum, ids) => sum + ids.size, 0);
    const status = this.status();
    this.options.logger.info(
      { clientVersions: status.clientVersions, operations: status.operations, etag: status.etag },
      first ? 'operation safelist loaded' : 'operation safelist changed',
    );
    for (const listener of this.listeners) {
      try {
        listener(status);
      } catch (error) {
        this.options.logger.warn({ error: messageOf(error) }, 'a safelist change listener failed');
      }
    }
  }

  /** Logged when the failure changes, not at every failed poll; the latest reason is always in status(). */
  private fail(reason: string): void {
    this.lastError = reason;
    if (reason !== this.reported) {
      this.reported = reason;
      this.options.logger.warn(
        { reason, operations: this.operations },
        this.index ? 'operation safelist source failing: keeping the last good list' : 'no operation safelist loaded yet',
      );
    }
  }

  private recover(): void {
    if (this.reported !== undefined) {
      this.options.logger.info({ operations: this.operations }, 'operation safelist source healthy again');
    }
    this.reported = undefined;
    this.lastError = undefined;
  }
}
