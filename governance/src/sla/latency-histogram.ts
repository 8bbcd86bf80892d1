import { SLA_LATENCY_BUCKETS_MS } from '@concord/common';

/** Number of buckets of a latency histogram: one per bound and one for slower events. */
export const LATENCY_BUCKET_COUNT = SLA_LATENCY_BUCKETS_MS.length + 1;

/** Index of the bucket whose upper bound is the threshold, or -1 when the threshold is not a bound. */
export function thresholdBucketIndex(thresholdMs: number): number {
  return (SLA_LATENCY_BUCKETS_MS as readonly number[]).indexOf(thresholdMs);
}

/** Latency SLI of one histogram: every event counted, bad the ones slower than the threshold (a bucket bound). */
export function latencySli(buckets: readonly number[], thresholdMs: number): { events: number; bad: number } {
  const index = thresholdBucketIndex(thresholdMs);
  if (index < 0) {
    throw new Error(`${thresholdMs} ms is not a latency bucket bound`);
  }
  const events = buckets.reduce((sum, count) => sum + count, 0);
  const bad = buckets.slice(index + 1).reduce((sum, count) => sum + count, 0);
  return { events, bad };
}

/** Element-wise sum of histograms (missing entries count 0). */
export function addHistograms(histograms: readonly (readonly number[])[]): number[] {
  const sum = new Array<number>(LATENCY_BUCKET_COUNT).fill(0);
  for (const histogram of histograms) {
    histogram.forEach((count, index) => {
      sum[index] += count;
    });
  }
  return sum;
}

/**
 * The q-quantile (0 < q ≤ 1) of a bucket histogram in milliseconds, interpolated linearly within the bucket that holds
 * it (as Prometheus' histogram_quantile does): bucket i spans (bound[i−1], bound[i]], the first from 0. A quantile in
 * the overflow bucket has no upper bound and answers the largest bound. null without events.
 */
export function histogramQuantile(buckets: readonly number[], q: number): number | null {
  if (!(q > 0 && q <= 1)) {
    throw new Error(`a quantile is in (0, 1], got ${q}`);
  }
  const total = buckets.reduce((sum, count) => sum + count, 0);
  if (total <= 0) {
    return null;
  }
  const rank = Math.min(q * total, total);
  let below = 0;
  for (let index = 0; index < buckets.length; index += 1) {
    const count = buckets[index];
    if (count > 0 && below + count >= rank) {
      if (index >= SLA_LATENCY_BUCKETS_MS.length) {
        return SLA_LATENCY_BUCKETS_MS[SLA_LATENCY_BUCKETS_MS.length - 1];
      }
      const lower = index === 0 ? 0 : SLA_LATENCY_BUCKETS_MS[index - 1];
      const upper = SLA_LATENCY_BUCKETS_MS[index];
      return lower + ((upper - lower) * (rank - below)) / count;
    }
    below += count;
  }
  // not reached: the rank is at most the total, which the last non-empty bucket reaches
  return null;
}
