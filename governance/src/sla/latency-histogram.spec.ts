import { SLA_LATENCY_BUCKETS_MS } from '@concord/common';
import { LATENCY_BUCKET_COUNT, addHistograms, histogramQuantile, latencySli, thresholdBucketIndex } from './latency-histogram';

/** A histogram with the given counts at the given bucket bounds (`Infinity` for the overflow bucket). */
function histogram(counts: Record<string, number>): number[] {
  const buckets = new Array<number>(LATENCY_BUCKET_COUNT).fill(0);
  for (const [bound, count] of Object.entries(counts)) {
    const index = bound === 'Infinity' ? SLA_LATENCY_BUCKETS_MS.length : thresholdBucketIndex(Number(bound));
    buckets[index] = count;
  }
  return buckets;
}

describe('latency histograms', () => {
  it('should find a threshold bucket only for a bucket bound', () => {
    expect(thresholdBucketIndex(1_000)).toBe(7);
    expect(thresholdBucketIndex(5)).toBe(0);
    expect(thresholdBucketIndex(999)).toBe(-1);
  });

  it('should count as bad the events in the buckets above the threshold', () => {
    const buckets = histogram({ 100: 50, 1_000: 40, 2_500: 7, Infinity: 3 });

    expect(latencySli(buckets, 1_000)).toEqual({ events: 100, bad: 10 });
    expect(latencySli(buckets, 100)).toEqual({ events: 100, bad: 50 });
    expect(() => latencySli(buckets, 999)).toThrow(/not a latency bucket bound/);
  });

  it('should add histograms bucket by bucket', () => {
    expect(addHistograms([histogram({ 5: 1, 50: 2 }), histogram({ 50: 3, Infinity: 1 })])).toEqual(histogram({ 5: 1, 50: 5, Infinity: 1 }));
  });

  describe(histogramQuantile.name, () => {
    it('should interpolate within the bucket that holds the quantile', () => {
      // 100 events: 50 in (50, 100], 40 in (100, 250], 10 in (250, 500]
      const buckets = histogram({ 100: 50, 250: 40, 500: 10 });

      expect(histogramQuantile(buckets, 0.5)).toBe(100);
      expect(histogramQuantile(buckets, 0.25)).toBe(75);
      expect(histogramQuantile(buckets, 0.7)).toBe(175);
      expect(histogramQuantile(buckets, 0.95)).toBe(375);
      expect(histogramQuantile(buckets, 0.99)).toBeCloseTo(475, 9);
      expect(histogramQuantile(buckets, 1)).toBe(500);
    });

    it('should start the first bucket at 0 ms', () => {
      expect(histogramQuantile(histogram({ 5: 10 }), 0.5)).toBe(2.5);
    });

    it('should answer the largest bound for a quantile among the slower-than-every-bound events', () => {
      expect(histogramQuantile(histogram({ 100: 90, Infinity: 10 }), 0.99)).toBe(3_600_000);
    });

    it('should have no quantile without events, and refuse a quantile outside (0, 1]', () => {
      expect(histogramQuantile(histogram({}), 0.5)).toBeNull();
      expect(() => histogramQuantile(histogram({ 5: 1 }), 0)).toThrow(/\(0, 1\]/);
    });
  });
});
