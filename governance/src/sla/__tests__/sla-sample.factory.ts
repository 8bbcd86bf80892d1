import { SLA_LATENCY_BUCKETS_MS, type SlaSample } from '@concord/common';

const MINUTE_MS = 60_000;

/** A latency histogram with the given counts at bucket bounds (`slower` for the overflow bucket). */
export function latencyOf(counts: Partial<Record<(typeof SLA_LATENCY_BUCKETS_MS)[number] | 'slower', number>> = {}): number[] {
  const buckets = new Array<number>(SLA_LATENCY_BUCKETS_MS.length + 1).fill(0);
  for (const [bound, count] of Object.entries(counts)) {
    const index = bound === 'slower' ? SLA_LATENCY_BUCKETS_MS.length : (SLA_LATENCY_BUCKETS_MS as readonly number[]).indexOf(Number(bound));
    buckets[index] = count ?? 0;
  }
  return buckets;
}

/** A complete sample: crm's fetches from gateway-a in one minute, 100 events in the 100 ms bucket, none failed. */
export function slaSample(overrides: Partial<SlaSample> = {}): SlaSample {
  const total = overrides.total ?? 100;
  return {
    kind: 'subgraph',
    target: 'crm',
    minute: '2026-03-02T10:00:00.000Z',
    source: 'gateway-a',
    total,
    errors: 0,
    timeouts: 0,
    rejected: 0,
    errorCodes: {},
    latency: latencyOf({ 100: total }),
    ...overrides,
  };
}

/**
 * One sample per minute in [from, to): `perMinute` events, `errorShare` of them failed (HTTP_5XX), all in the 100 ms
 * bucket unless `slowShare` puts that share in the 2.5 s bucket.
 */
export function minutesOfTraffic(
  from: Date,
  to: Date,
  traffic: { perMinute: number; errorShare?: number; slowShare?: number; target?: string; kind?: SlaSample['kind']; source?: string },
): SlaSample[] {
  const samples: SlaSample[] = [];
  const errors = Math.round(traffic.perMinute * (traffic.errorShare ?? 0));
  const slow = Math.round(traffic.perMinute * (traffic.slowShare ?? 0));
  for (let at = from.getTime(); at < to.getTime(); at += MINUTE_MS) {
    samples.push(
      slaSample({
        kind: traffic.kind ?? 'subgraph',
        target: traffic.target ?? 'crm',
        source: traffic.source ?? 'gateway-a',
        minute: new Date(at).toISOString(),
        total: traffic.perMinute,
        errors,
        errorCodes: errors ? { HTTP_5XX: errors } : {},
        latency: latencyOf({ 100: traffic.perMinute - slow, 2_500: slow }),
      }),
    );
  }
  return samples;
}

/** `at` minus whole minutes. */
export function minutesBefore(at: Date, minutes: number): Date {
  return new Date(at.getTime() - minutes * MINUTE_MS);
}
