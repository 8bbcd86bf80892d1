import type { Logger } from '@concord/common';
import type { SubgraphEndpoint } from '../config';

/** The supergraph governance's schema registry serves (GET /registry/supergraph). */
export interface RegistrySupergraph {
  version: number;
  supergraphSdl: string;
  sha256: string;
  subgraphs: { name: string; version: number; routingUrl: string | null }[];
}

export interface RegistrySourceOptions {
  /** governance's origin, e.g. http://127.0.0.1:4010 */
  governanceUrl: string;
  /** e.g. the GOVERNANCE_TOKEN bearer */
  headers?: Record<string, string>;
  /** how often the registry is asked for a newer version (ETag: an unchanged supergraph costs a 304) */
  pollMs: number;
  /** the first supergraph must contain these subgraphs (their names): until then the gateway waits */
  requiredSubgraphs: readonly string[];
  logger: Logger;
}

/** Why the registry gave no usable supergraph yet, for the wait loop's log lines and the final error. */
class NotReady extends Error {}

/**
 * Gateways follow governance's schema registry (ARCHITECTURE.md §7): the first supergraph is the registry's latest
 * once it has every required subgraph, then a poll every few seconds (`If-None-Match`, so an unchanged supergraph is a
 * 304) hands each new version to `onUpdate`. A version the gateway cannot load is logged and skipped until a newer
 * one is published; a registry outage keeps the supergraph in service.
 */
export class RegistrySupergraphSource {
  private etag: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private rejectedVersion: number | undefined;
  private lastError: string | undefined;
  private lastPollAt: Date | undefined;
  private readonly url: string;

  constructor(private readonly options: RegistrySourceOptions) {
    this.url = `${options.governanceUrl.replace(/\/$/, '')}/registry/supergraph`;
  }

  /** Waits (retrying every second) until the registry serves a supergraph with every required subgraph. */
  async first(timeoutMs: number): Promise<RegistrySupergraph> {
    const deadline = Date.now() + timeoutMs;
    let attempt = 0;
    for (;;) {
      attempt++;
      try {
        const supergraph = await this.fetchLatest(false);
        if (!supergraph) {
          throw new NotReady('the registry answered 304 without a cached supergraph');
        }
        const missing = this.options.requiredSubgraphs.filter((name) => !supergraph.subgraphs.some((subgraph) => subgraph.name === name));
        if (missing.length) {
          throw new NotReady(`supergraph version ${supergraph.version} lacks ${missing.join(', ')} (not published yet)`);
        }
        return supergraph;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        this.etag = undefined;
        if (Date.now() + 1_000 > deadline) {
          throw new Error(`No supergraph from the schema registry at ${this.url} within ${Math.round(timeoutMs / 1000)} s: ${reason}`);
        }
        if (attempt === 1 || attempt % 10 === 0) {
          this.options.logger.info({ url: this.url, attempt, reason }, 'waiting for the schema registry');
        }
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  }

  /** Polls for newer versions; `onUpdate` loads one (throwing when it cannot, which skips that version). */
  start(onUpdate: (supergraph: RegistrySupergraph) => Promise<void>): void {
    this.timer = setInterval(() => {
      this.polling ??= this.poll(onUpdate).finally(() => (this.polling = undefined));
    }, this.options.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.polling;
  }

  /** For /health: where the supergraph comes from and how the last poll went. */
  status(): Record<string, unknown> {
    return {
      registry: this.url,
      lastPollAt: this.lastPollAt?.toISOString() ?? null,
      ...(this.lastError ? { lastError: this.lastError } : {}),
      ...(this.rejectedVersion !== undefined ? { skippedVersion: this.rejectedVersion } : {}),
    };
  }

  private async poll(onUpdate: (supergraph: RegistrySupergraph) => Promise<void>): Promise<void> {
    let supergraph: RegistrySupergraph | undefined;
    try {
      supergraph = await this.fetchLatest(true);
      this.lastError = undefined;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (this.lastError !== reason) {
        this.options.logger.warn({ url: this.url, reason }, 'schema registry unreachable: serving the current supergraph');
      }
      this.lastError = reason;
      return;
    }
    if (!supergraph || supergraph.version === this.rejectedVersion) {
      return;
    }
    try {
      await onUpdate(supergraph);
      this.rejectedVersion = undefined;
    } catch (error) {
      this.rejectedVersion = supergraph.version;
      this.options.logger.error(
        { version: supergraph.version, err: error },
        'could not load the registry supergraph: serving the current one until a newer version is published',
      );
    }
  }

  /** The latest supergraph, or undefined when it is the one we have (304). */
  private async fetchLatest(conditional: boolean): Promise<RegistrySupergraph | undefined> {
    this.lastPollAt = new Date();
    const response = await fetch(this.url, {
      headers: { accept: 'application/json', ...this.options.headers, ...(conditional && this.etag ? { 'if-none-match': this.etag } : {}) },
      signal: AbortSignal.timeout(10_000),
    });
    if (response.status === 304) {
      return undefined;
    }
    if (!response.ok) {
      const body = (await response.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
      throw new NotReady(`the registry answered ${response.status}${body?.error?.message ? `: ${body.error.message}` : ''}`);
    }
    const supergraph = (await response.json()) as RegistrySupergraph;
    this.etag = response.headers.get('etag') ?? undefined;
    return supergraph;
  }
}

/** The routing URL a gateway uses: the registry's, unless the subgraph was published without one (`.invalid`). */
export function routeSubgraphs(subgraphs: readonly SubgraphEndpoint[], fallbacks: readonly SubgraphEndpoint[]): SubgraphEndpoint[] {
  return subgraphs.map((subgraph) => {
    if (!isUnrouted(subgraph.url)) {
      return subgraph;
    }
    const fallback = fallbacks.find((candidate) => candidate.name === subgraph.name);
    return fallback ? { name: subgraph.name, url: fallback.url } : subgraph;
  });
}

/** Registry supergraphs name `http://<subgraph>.subgraph.invalid/graphql` for subgraphs published without a URL. */
export function isUnrouted(url: string): boolean {
  try {
    return new URL(url).hostname.endsWith('.subgraph.invalid');
  } catch {
    return false;
  }
}
