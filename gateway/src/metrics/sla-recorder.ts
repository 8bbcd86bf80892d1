import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { SLA_LATENCY_BUCKETS_MS, type SlaSample, type SlaTargetKind } from '@concord/common';
import { OTHER_OPERATION } from './gateway-metrics';
import { SubgraphFailureCode } from './fault-codes';

/** The target that takes the targets of a minute beyond the cap. */
export const OTHER_TARGET = OTHER_OPERATION;

const MINUTE_MS = 60_000;
const BUCKET_COUNT = SLA_LATENCY_BUCKETS_MS.length + 1;

export interface SlaRecorderOptions {
  /** the clock (ms since the epoch); tests pass a fake one */
  now?: () => number;
  /** this gateway instance in the samples; default `hostname-pid-random` */
  source?: string;
  /** distinct targets of one kind in one minute before the rest count under `__other` (default 1,000) */
  maxTargetsPerMinute?: number;
  /** finished minutes kept until delivered; beyond it the oldest are dropped and counted (default 120) */
  maxFinishedMinutes?: number;
}

/** One target's counts in one minute. */
interface Tally {
  total: number;
  errors: number;
  timeouts: number;
  rejected: number;
  errorCodes: Map<string, number> | undefined;
  latency: number[];
}

interface MinuteTallies {
  /** the minute's start, ms since the epoch */
  start: number;
  /** `subgraph` and `operation` targets; the map of each kind is created on its first event */
  byKind: Map<SlaTargetKind, Map<string, Tally>>;
}

/** Where a sample of a finished minute came from, to forget it once governance has it. */
interface FinalSample {
  minute: MinuteTallies;
  kind: SlaTargetKind;
  target: string;
}

/** A stable id for this gateway process: several gateways report the same targets, governance sums the sources. */
export function defaultSlaSource(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/** The index of the latency bucket of `ms` (upper bounds inclusive, like Prometheus' `le`); the last is "slower". */
export function latencyBucket(ms: number): number {
  const bounds = SLA_LATENCY_BUCKETS_MS;
  let index = 0;
  while (index < bounds.length && ms > bounds[index]!) {
    index++;
  }
  return index;
}

/**
 * Aggregates what the gateway serves into SLA samples (libs/common sla-report.ts) per UTC minute and target: every
 * subgraph fetch made for a request (`subgraph`), every operation by its metrics label (`operation`). There is no
 * gateway-wide `*` sample: governance refuses that target and sums the operations itself for a `*` SLO. Recording is
 * a few map lookups and increments, on the request path; `snapshot()` builds the samples off it, for the shipper. Finished minutes stay until `acknowledge` says governance has their final counts.
 */
export class SlaRecorder {
  readonly source: string;
  private readonly now: () => number;
  private readonly maxTargets: number;
  private readonly maxFinishedMinutes: number;
  private current: MinuteTallies;
  private readonly finished = new Map<number, MinuteTallies>();
  private readonly finalSamples = new WeakMap<SlaSample, FinalSample>();
  /** finished minutes dropped undelivered because more than `maxFinishedMinutes` waited */
  droppedMinutes = 0;

  constructor(options: SlaRecorderOptions = {}) {
    this.now = options.now ?? Date.now;
    this.source = options.source ?? defaultSlaSource();
    this.maxTargets = options.maxTargetsPerMinute ?? 1_000;
    this.maxFinishedMinutes = options.maxFinishedMinutes ?? 120;
    this.current = this.minuteAt(this.now());
  }

  /**
   * One fetch that reached a subgraph for a request (not health probes; a fetch shared by identical in-flight ones
   * counts once). `errorCode` undefined: it succeeded; `TIMEOUT` also counts as a timeout.
   */
  recordSubgraphFetch(subgraph: string, durationMs: number, errorCode: string | undefined): void {
    const minute = this.currentMinute();
    this.count(this.tally(minute, 'subgraph', subgraph), durationMs, errorCode, errorCode === SubgraphFailureCode.TIMEOUT);
  }

  /**
   * One operation the gateway answered, under its label. `errorCode` undefined: it succeeded (errors that are
   * only the caller's fault, such as FORBIDDEN_FIELD, do not make it fail); `timedOut`: a subgraph timed out in it.
   */
  recordOperation(operation: string, durationMs: number, errorCode: string | undefined, timedOut: boolean): void {
    const minute = this.currentMinute();
    this.count(this.tally(minute, 'operation', operation), durationMs, errorCode, timedOut);
  }

  /** One operation refused for the client's fault (400, 401, 403, …): counted apart, not in `total`. */
  recordRejected(operation: string): void {
    const minute = this.currentMinute();
    this.tally(minute, 'operation', operation).rejected++;
  }

  /**
   * The samples to ship: the final counts of every finished minute not yet acknowledged, then the running counts of
   * the current minute (sent again, grown, next time: governance keeps the largest per key).
   */
  snapshot(): SlaSample[] {
    this.rollOver(this.now());
    const samples: SlaSample[] = [];
    for (const minute of this.finished.values()) {
      this.collect(minute, samples, true);
    }
    this.collect(this.current, samples, false);
    return samples;
  }

  /** Governance has these samples: finished minutes' ones are forgotten, a minute once all of its targets are. */
  acknowledge(samples: readonly SlaSample[]): void {
    for (const sample of samples) {
      const final = this.finalSamples.get(sample);
      if (!final) {
        continue;
      }
      const { minute, kind, target } = final;
      const targets = minute.byKind.get(kind);
      targets?.delete(target);
      if (!targets?.size) {
        minute.byKind.delete(kind);
      }
      if (!minute.byKind.size) {
        this.finished.delete(minute.start);
      }
    }
  }

  /** Finished minutes waiting for delivery. */
  get pendingMinutes(): number {
    return this.finished.size;
  }

  private currentMinute(): MinuteTallies {
    const now = this.now();
    if (now >= this.current.start + MINUTE_MS) {
      this.rollOver(now);
    }
    return this.current;
  }

  private tally(minute: MinuteTallies, kind: SlaTargetKind, target: string): Tally {
    let targets = minute.byKind.get(kind);
    if (!targets) {
      targets = new Map();
      minute.byKind.set(kind, targets);
    }
    let tally = targets.get(target);
    if (!tally) {
      if (targets.size >= this.maxTargets && target !== OTHER_TARGET) {
        return this.tally(minute, kind, OTHER_TARGET);
      }
      tally = { total: 0, errors: 0, timeouts: 0, rejected: 0, errorCodes: undefined, latency: new Array<number>(BUCKET_COUNT).fill(0) };
      targets.set(target, tally);
    }
    return tally;
  }

  private count(tally: Tally, durationMs: number, errorCode: string | undefined, timedOut: boolean): void {
    tally.total++;
    tally.latency[latencyBucket(durationMs)]++;
    if (errorCode === undefined) {
      return;
    }
    tally.errors++;
    if (timedOut) {
      tally.timeouts++;
    }
    tally.errorCodes ??= new Map();
    tally.errorCodes.set(errorCode, (tally.errorCodes.get(errorCode) ?? 0) + 1);
  }

  /** When the clock passed the current minute: it joins the finished ones (if anything happened in it). */
  private rollOver(now: number): void {
    if (now < this.current.start + MINUTE_MS) {
      return;
    }
    if (this.current.byKind.size) {
      this.finished.set(this.current.start, this.current);
      for (const start of this.finished.keys()) {
        if (this.finished.size <= this.maxFinishedMinutes) {
          break;
        }
        this.finished.delete(start);
        this.droppedMinutes++;
      }
    }
    this.current = this.minuteAt(now);
  }

  private minuteAt(now: number): MinuteTallies {
    return { start: now - (now % MINUTE_MS), byKind: new Map() };
  }

  private collect(minute: MinuteTallies, into: SlaSample[], final: boolean): void {
    const iso = new Date(minute.start).toISOString();
    for (const [kind, targets] of minute.byKind) {
      for (const [target, tally] of targets) {
        const sample: SlaSample = {
          kind,
          target,
          minute: iso,
          source: this.source,
          total: tally.total,
          errors: tally.errors,
          timeouts: tally.timeouts,
          rejected: tally.rejected,
          errorCodes: tally.errorCodes ? Object.fromEntries(tally.errorCodes) : {},
          latency: [...tally.latency],
        };
        if (final) {
          this.finalSamples.set(sample, { minute, kind, target });
        }
        into.push(sample);
      }
    }
  }
}
