/**
 * Service-level samples, as gateways ship them to governance (`POST /sla/samples`, body `{ samples: SlaSample[] }`).
 *
 * A sample is one gateway's traffic to one target during one UTC minute, **cumulative within that minute**: while the
 * minute runs, the gateway sends growing totals for the same key `(source, kind, target, minute)`, and governance keeps
 * the largest — so a retried or reordered batch never counts twice (idempotent by construction). Governance sums the
 * sources (gateway instances) of a minute when it evaluates SLOs (ARCHITECTURE.md §8).
 */
export type SlaTargetKind = 'subgraph' | 'operation' | 'workflow';

/**
 * Upper bounds (milliseconds) of the latency buckets; a sample's `latency` has one more entry for slower events.
 * Latency SLO thresholds are one of these bounds, so "good" events are exact bucket sums. The minutes-long bounds
 * are for workflow freshness (the lag from a source change to the last step of its flow).
 */
export const SLA_LATENCY_BUCKETS_MS = [
  5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000, 900_000, 3_600_000,
] as const;

export interface SlaSample {
  kind: SlaTargetKind;
  /** subgraph name (`crm`), operation name (`__anonymous` / `__other` for unnamed and overflowing ones), workflow name */
  target: string;
  /** the minute's start, ISO-8601 UTC with zero seconds (e.g. `2026-12-02T18:45:00.000Z`) */
  minute: string;
  /** the reporting gateway instance (stable for its lifetime) */
  source: string;
  /** events counted by the SLI: fetches, operations (refused ones excluded) or workflow runs */
  total: number;
  /** bad events for availability: failed fetches (timeouts included), operations answering errors or partial data */
  errors: number;
  /** of `errors`, those that timed out */
  timeouts: number;
  /** operations refused for the client's fault (400s, 401, 403): not counted in `total` */
  rejected: number;
  /** bad events by code: GraphQL `extensions.code`, or `HTTP_5XX` / `TIMEOUT` / `NETWORK` for subgraph fetches */
  errorCodes: Record<string, number>;
  /** per SLA_LATENCY_BUCKETS_MS bucket, not cumulative; length SLA_LATENCY_BUCKETS_MS.length + 1 (the last: slower) */
  latency: number[];
}
