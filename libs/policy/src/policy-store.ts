import { randomBytes } from 'node:crypto';
import { watchFile, unwatchFile, type Stats } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parsePolicyBundle, type PolicyBundle } from './bundle';

/** Where the bundle in force came from; `none` while no bundle was ever loaded. */
export type PolicySource = 'governance' | 'cache' | 'file' | 'none';

export interface PolicyStoreStatus {
  /** a bundle is loaded: without one the services refuse data requests (503, fail closed) */
  ready: boolean;
  /** enforcing a bundle that may be stale: governance unreachable or answering nonsense, or the file unreadable */
  degraded: boolean;
  version: number | null;
  source: PolicySource;
  /** why the store is degraded or not ready */
  lastError?: string;
}

/** The subset of a pino logger the store uses. */
export interface PolicyStoreLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export type PolicyChangeListener = (bundle: PolicyBundle, previous: PolicyBundle | undefined) => void;

export interface PolicyStoreOptions {
  /** governance's base URL; the store polls `GET {governanceUrl}/policy/bundle` */
  governanceUrl?: string;
  /** a static bundle (JSON) instead of governance: the gateway started alone (POLICY_PATH); reloaded when it changes */
  policyPath?: string;
  /** the last good bundle from governance, written after each change and read when governance is down at start */
  cacheFile?: string;
  /** how often to ask governance (or look at the file) for a new version, default 2000 ms */
  pollMs?: number;
  /** time allowed for one request to governance, default 5000 ms (the next poll waits for it) */
  requestTimeoutMs?: number;
  /** headers for governance (e.g. a service token); a function is called for each request */
  fetchHeaders?: Record<string, string> | (() => Record<string, string> | Promise<Record<string, string>>);
  logger?: PolicyStoreLogger;
}

const SILENT: PolicyStoreLogger = { info: () => undefined, warn: () => undefined };

class FetchFailure extends Error {}

function messageOf(error: unknown): string {
  const failure = error as { name?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } } | null;
  if (failure?.name === 'TimeoutError') {
    return 'timed out';
  }
  const cause = failure?.cause?.code ?? failure?.cause?.message;
  const message = typeof failure?.message === 'string' ? failure.message : String(error);
  return typeof cause === 'string' ? `${message} (${cause})` : message;
}

/**
 * The policy bundle a gateway or subgraph enforces (ARCHITECTURE.md §10). From governance: asked at start and
 * every `pollMs` with `If-None-Match`, each good bundle kept in memory and written atomically to `cacheFile`; when
 * governance cannot be reached at start the cache is used (degraded), and with neither the store is not ready so
 * the service fails closed. Later failures keep the last good bundle and set `degraded` until governance answers
 * again. From a file (`policyPath`): read at start and again whenever it changes. Nothing here throws after
 * `start()`; state changes are logged once, not at every poll.
 */
export class PolicyStore {
  private bundle: PolicyBundle | undefined;
  private etag: string | undefined;
  private source: PolicySource = 'none';
  private degraded = false;
  private lastError: string | undefined;
  private readonly listeners = new Set<PolicyChangeListener>();
  private readonly logger: PolicyStoreLogger;
  private readonly pollMs: number;
  private readonly requestTimeoutMs: number;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private abort: AbortController | undefined;
  private watching = false;
  private stopped = false;
  /** the failure state last logged (undefined: healthy) */
  private reported: 'degraded' | 'not-ready' | undefined;
  /** during start() the outcome is logged once at the end */
  private starting = false;

  constructor(private readonly options: PolicyStoreOptions) {
    this.logger = options.logger ?? SILENT;
    this.pollMs = options.pollMs ?? 2_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 5_000;
  }

  /** The bundle in force, or undefined while none was ever loaded (fail closed). */
  current(): PolicyBundle | undefined {
    return this.bundle;
  }

  status(): PolicyStoreStatus {
    return {
      ready: this.bundle !== undefined,
      degraded: this.degraded,
      version: this.bundle?.version ?? null,
      source: this.source,
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
    };
  }

  /** Called with each bundle that comes into force (the first one included); returns an unsubscribe function. */
  onChange(listener: PolicyChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Loads the first bundle (never rejects: see status()) and starts following changes. */
  async start(): Promise<PolicyStoreStatus> {
    this.stopped = false;
    this.starting = true;
    try {
      if (this.options.policyPath) {
        await this.loadFile(this.options.policyPath);
        this.watchPolicyFile(this.options.policyPath);
      } else {
        if (this.options.governanceUrl) {
          await this.track(this.poll());
        } else {
          this.fail('no governance URL and no policy file configured');
        }
        if (!this.bundle) {
          await this.loadCache();
        }
        if (this.options.governanceUrl) {
          this.schedule();
        }
      }
    } finally {
      this.starting = false;
    }
    if (this.lastError !== undefined) {
      // log the state reached, once
      const reason = this.lastError;
      this.reported = undefined;
      this.fail(reason);
    }
    return this.status();
  }

  /** Stops polling and watching; waits for a request in flight to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.abort?.abort();
    if (this.watching && this.options.policyPath) {
      unwatchFile(this.options.policyPath);
      this.watching = false;
    }
    await this.inFlight;
  }

  private schedule(): void {
    if (this.stopped) {
      return;
    }
    this.timer = setTimeout(() => {
      void this.track(this.poll()).finally(() => this.schedule());
    }, this.pollMs);
    this.timer.unref();
  }

  private async track(work: Promise<void>): Promise<void> {
    this.inFlight = work;
    try {
      await work;
    } finally {
      this.inFlight = undefined;
    }
  }

  /** One request to governance; every outcome ends in the store's state, nothing is thrown. */
  private async poll(): Promise<void> {
    try {
      const fetched = await this.fetchBundle();
      if (fetched) {
        const changed = this.accept(fetched.bundle, 'governance');
        this.etag = fetched.etag;
        this.recover();
        if (changed) {
          await this.writeCache(fetched.bundle);
        }
      } else {
        // 304: governance confirms the version in force
        this.source = 'governance';
        this.recover();
      }
    } catch (error) {
      if (!this.stopped) {
        this.fail(messageOf(error));
      }
    }
  }

  /** The new bundle, or undefined when governance answers 304 Not Modified. */
  private async fetchBundle(): Promise<{ bundle: PolicyBundle; etag: string } | undefined> {
    const base = (this.options.governanceUrl ?? '').replace(/\/+$/, '');
    const headers: Record<string, string> = { accept: 'application/json', ...(await this.headers()) };
    if (this.etag && this.bundle) {
      headers['if-none-match'] = this.etag;
    }
    this.abort = new AbortController();
    let response: Response;
    try {
      response = await fetch(`${base}/policy/bundle`, {
        headers,
        signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.requestTimeoutMs)]),
      });
    } catch (error) {
      throw new FetchFailure(`governance unreachable: ${messageOf(error)}`);
    }
    if (response.status === 304) {
      await response.body?.cancel();
      return undefined;
    }
    const text = await response.text();
    if (response.status !== 200) {
      throw new FetchFailure(`governance answered HTTP ${response.status}`);
    }
    let bundle: PolicyBundle;
    try {
      bundle = parsePolicyBundle(JSON.parse(text));
    } catch (error) {
      throw new FetchFailure(`governance sent a bundle that was refused: ${messageOf(error)}`);
    }
    return { bundle, etag: response.headers.get('etag') ?? `"v${bundle.version}"` };
  }

  private async headers(): Promise<Record<string, string>> {
    const headers = this.options.fetchHeaders;
    return typeof headers === 'function' ? await headers() : (headers ?? {});
  }

  /** Puts a validated bundle in force and tells the listeners; false when it is the bundle already in force. */
  private accept(bundle: PolicyBundle, source: PolicySource): boolean {
    const previous = this.bundle;
    this.source = source;
    if (previous && previous.version === bundle.version && JSON.stringify(previous) === JSON.stringify(bundle)) {
      return false;
    }
    this.bundle = bundle;
    this.logger.info(
      { version: bundle.version, previousVersion: previous?.version ?? null, source },
      `policy bundle version ${bundle.version} in force`,
    );
    for (const listener of this.listeners) {
      try {
        listener(bundle, previous);
      } catch (error) {
        this.logger.warn({ error: messageOf(error) }, 'a policy change listener failed');
      }
    }
    return true;
  }

  /** Written atomically: a reader sees the old file or the new one, never half of one. A failed write only costs the cache. */
  private async writeCache(bundle: PolicyBundle): Promise<void> {
    const file = this.options.cacheFile;
    if (!file) {
      return;
    }
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(temporary, `${JSON.stringify(bundle)}\n`, { mode: 0o600 });
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => undefined);
      this.logger.warn({ cacheFile: file, error: messageOf(error) }, 'could not persist the policy bundle');
    }
  }

  private async loadCache(): Promise<void> {
    const file = this.options.cacheFile;
    if (!file) {
      return;
    }
    const governanceProblem = this.lastError ?? 'governance not asked';
    try {
      this.accept(parsePolicyBundle(JSON.parse(await readFile(file, 'utf8'))), 'cache');
      this.fail(`${governanceProblem}; enforcing the cached bundle from ${file}`);
    } catch (error) {
      const reason =
        (error as { code?: unknown }).code === 'ENOENT' ? `no cached bundle at ${file}` : `cached bundle unusable: ${messageOf(error)}`;
      this.fail(`${governanceProblem}; ${reason}`);
    }
  }

  private async loadFile(path: string): Promise<void> {
    try {
      this.accept(parsePolicyBundle(JSON.parse(await readFile(path, 'utf8'))), 'file');
      this.recover();
    } catch (error) {
      this.fail(`policy file ${path}: ${messageOf(error)}`);
    }
  }

  private watchPolicyFile(path: string): void {
    watchFile(path, { interval: this.pollMs, persistent: false }, (current: Stats, previous: Stats) => {
      if (!this.stopped && current.mtimeMs !== previous.mtimeMs) {
        void this.track(this.loadFile(path));
      }
    });
    this.watching = true;
  }

  /**
   * A failure: not ready without a bundle, degraded with one. Logged when the store's state changes (healthy →
   * degraded → not ready and back), not at every failed poll; the latest reason is always in status().
   */
  private fail(reason: string): void {
    this.lastError = reason;
    this.degraded = this.bundle !== undefined;
    const state = this.bundle ? 'degraded' : 'not-ready';
    if (state !== this.reported && !this.starting) {
      this.reported = state;
      this.logger.warn(
        { reason, version: this.bundle?.version ?? null, source: this.source },
        this.bundle
          ? `policy source failing: keeping bundle version ${this.bundle.version}`
          : 'no policy bundle: data requests are refused',
      );
    }
  }

  private recover(): void {
    if (this.reported !== undefined) {
      this.logger.info({ version: this.bundle?.version ?? null, source: this.source }, 'policy source healthy again');
    }
    this.reported = undefined;
    this.degraded = false;
    this.lastError = undefined;
  }
}
