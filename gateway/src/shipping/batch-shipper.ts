import type { Logger } from '@concord/common';

export interface BatchShipperOptions<T = unknown> {
  /** where batches are POSTed as `{ [field]: items }` */
  url: string;
  field: string;
  /** e.g. the GOVERNANCE_TOKEN bearer */
  headers?: Record<string, string>;
  /** how often pending items are shipped */
  flushIntervalMs: number;
  /** items kept while the receiver is unreachable; beyond it the oldest are dropped and counted (queue mode only) */
  maxBuffered: number;
  batchSize?: number;
  /**
   * Snapshot mode: `drain` hands every item still to deliver each round (e.g. cumulative samples, which a newer copy
   * supersedes) and the source keeps them until `onDelivered` acknowledges them; the shipper keeps nothing between
   * rounds, so `maxBuffered` does not apply (bounding memory is the source's job). Default: queue mode, where drained
   * items are the shipper's to keep until delivered.
   */
  snapshots?: boolean;
  /** called with each batch the receiver accepted */
  onDelivered?: (batch: readonly T[]) => void;
  /** what the shipper ships, for its log lines */
  what: string;
  logger: Logger;
}

/**
 * Ships what the gateway observes (access events, client usage, SLA samples) to governance in the background: a timer
 * turns the pending aggregates into items (`drain`) and POSTs them in batches, keeping what failed for the next round,
 * so no request ever waits for governance. Memory is bounded: an outage longer than `maxBuffered` items drops the
 * oldest, logged and counted in `dropped`.
 */
export class BatchShipper<T> {
  private unsent: T[] = [];
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> | undefined;
  dropped = 0;

  constructor(
    private readonly options: BatchShipperOptions<T>,
    private readonly drain: () => T[],
  ) {
    this.timer = setInterval(() => void this.flush(), options.flushIntervalMs);
    this.timer.unref();
  }

  /** Drains the pending aggregates and sends everything unsent; safe to call concurrently. */
  flush(): Promise<void> {
    this.flushing ??= this.send().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private async send(): Promise<void> {
    if (this.options.snapshots) {
      this.unsent = this.drain();
    } else {
      this.unsent.push(...this.drain());
      this.dropBeyondBuffer();
    }
    const batchSize = this.options.batchSize ?? 1_000;
    while (this.unsent.length) {
      const batch = this.unsent.slice(0, batchSize);
      try {
        const response = await fetch(this.options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...this.options.headers },
          body: JSON.stringify({ [this.options.field]: batch }),
          signal: AbortSignal.timeout(5_000),
        });
        if (!response.ok) {
          throw new Error(`governance answered ${response.status}`);
        }
      } catch (error) {
        this.options.logger.warn({ err: error, buffered: this.unsent.length }, `${this.options.what} not delivered yet: will retry`);
        return;
      }
      this.unsent.splice(0, batch.length);
      this.options.onDelivered?.(batch);
    }
  }

  private dropBeyondBuffer(): void {
    if (this.unsent.length <= this.options.maxBuffered) {
      return;
    }
    const excess = this.unsent.length - this.options.maxBuffered;
    this.unsent.splice(0, excess);
    this.dropped += excess;
    this.options.logger.error(
      { dropped: excess, total: this.dropped },
      `${this.options.what} dropped: governance unreachable for too long`,
    );
  }
}
