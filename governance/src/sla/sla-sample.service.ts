import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { SlaSample } from '@concord/common';
import type { SliCount } from './burn-rate';
import { LATENCY_BUCKET_COUNT, thresholdBucketIndex } from './latency-histogram';
import { SLA_OPTIONS, type SlaOptions } from './sla.options';
import { validSlaBatch } from './sla-sample.validation';
import { EVERY_TARGET, SlaKind, SloIndicator } from './slo.entity';

/** rows per INSERT statement: a full batch is one statement */
const INGEST_CHUNK = 5_000;
const MINUTE_MS = 60_000;
const COUNTERS = ['total', 'errors', 'timeouts', 'rejected'] as const;

/** What an SLI counts: the SLO's kind, target (`*` for all), indicator and latency threshold. */
export interface SliDefinition {
  kind: SlaKind;
  target: string;
  indicator: SloIndicator;
  latencyThresholdMs: number | null;
}

/** One UTC day of a target's samples, every source summed. */
export interface DailySamples {
  /** YYYY-MM-DD */
  day: string;
  total: number;
  errors: number;
  latency: number[];
}

function keyOf(sample: SlaSample): string {
  return JSON.stringify([sample.kind, sample.target, new Date(sample.minute).toISOString(), sample.source]);
}

/** Two samples of the same key as one: each counter, error code and latency bucket the greatest (they only grow). */
function greatestOf(kept: SlaSample, sample: SlaSample): SlaSample {
  const merged: SlaSample = { ...kept, errorCodes: { ...kept.errorCodes }, latency: [...kept.latency] };
  for (const counter of COUNTERS) {
    merged[counter] = Math.max(kept[counter], sample[counter]);
  }
  for (const [code, count] of Object.entries(sample.errorCodes)) {
    merged.errorCodes[code] = Math.max(merged.errorCodes[code] ?? 0, count);
  }
  merged.latency = merged.latency.map((count, index) => Math.max(count, sample.latency[index] ?? 0));
  return merged;
}

/** `AND target = $n` unless the SLI is about every target of its kind. */
function targetClause(target: string, parameter: string): string {
  return target === EVERY_TARGET ? '' : `AND target = ${parameter}`;
}

/**
 * The bad-event and event expressions of an SLI over one sample row: availability counts `errors` of `total`, latency
 * the events in the buckets above the threshold of all bucketed events.
 */
function sliExpressions(sli: SliDefinition): { events: string; bad: string } {
  if (sli.indicator === SloIndicator.AVAILABILITY) {
    return { events: 'total', bad: 'errors' };
  }
  const index = thresholdBucketIndex(sli.latencyThresholdMs ?? -1);
  if (index < 0) {
    throw new Error(`latency SLI without a bucket-bound threshold: ${sli.latencyThresholdMs}`);
  }
  // SQL arrays count from 1: the buckets above the threshold's start at index + 2
  return {
    events: '(SELECT coalesce(sum(v), 0) FROM unnest(latency) AS v)',
    bad: `(SELECT coalesce(sum(v), 0) FROM unnest(latency[${index + 2}:${LATENCY_BUCKET_COUNT}]) AS v)`,
  };
}

/**
 * The gateways' per-minute samples in `governance.sla_sample`: idempotent ingest (a resent or reordered sample keeps
 * the greatest of each counter), the SLI counts SLO evaluation and reports read, and retention.
 */
@Injectable()
export class SlaSampleService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SLA_OPTIONS) private readonly options: SlaOptions,
  ) {}

  /** A gateway's `POST /sla/samples` body: validated (400 listing the problems), then stored. */
  async accept(body: unknown): Promise<{ accepted: number }> {
    return { accepted: await this.ingest(validSlaBatch(body, this.options.now())) };
  }

  /**
   * Stores validated samples: per key `(kind, target, minute, source)` the greatest of each counter, error code and
   * latency bucket, what was stored before included. One INSERT … ON CONFLICT per chunk, all in one transaction, keys
   * in one order for every writer (concurrent batches on the same keys wait instead of deadlocking).
   */
  async ingest(samples: readonly SlaSample[]): Promise<number> {
    const byKey = new Map<string, SlaSample>();
    for (const sample of samples) {
      const key = keyOf(sample);
      const kept = byKey.get(key);
      byKey.set(key, kept ? greatestOf(kept, sample) : sample);
    }
    const rows = [...byKey.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, sample]) => ({
        kind: sample.kind,
        target: sample.target,
        minute: new Date(sample.minute).toISOString(),
        source: sample.source,
        total: sample.total,
        errors: sample.errors,
        timeouts: sample.timeouts,
        rejected: sample.rejected,
        error_codes: sample.errorCodes,
        latency: sample.latency,
      }));
    if (rows.length === 0) {
      return samples.length;
    }
    await this.dataSource.transaction(async (manager) => {
      for (let start = 0; start < rows.length; start += INGEST_CHUNK) {
        await manager.query(
          `INSERT INTO governance.sla_sample AS sample
             (kind, target, minute, source, total, errors, timeouts, rejected, error_codes, latency)
           SELECT kind, target, minute, source, total, errors, timeouts, rejected, error_codes, latency
           FROM jsonb_to_recordset($1::jsonb) AS row (kind text, target text, minute timestamptz, source text, total bigint,
             errors bigint, timeouts bigint, rejected bigint, error_codes jsonb, latency bigint[])
           ON CONFLICT (kind, target, minute, source) DO UPDATE SET
             total = greatest(sample.total, excluded.total),
             errors = greatest(sample.errors, excluded.errors),
             timeouts = greatest(sample.timeouts, excluded.timeouts),
             rejected = greatest(sample.rejected, excluded.rejected),
             error_codes = (
               SELECT coalesce(jsonb_object_agg(code, count), '{}'::jsonb)
               FROM (SELECT code, max(count::bigint) AS count
                     FROM (SELECT * FROM jsonb_each_text(sample.error_codes)
                           UNION ALL SELECT * FROM jsonb_each_text(excluded.error_codes)) AS codes (code, count)
                     GROUP BY code) AS greatest_codes),
             latency = ARRAY(
               SELECT greatest(kept, sent)
               FROM unnest(sample.latency, excluded.latency) WITH ORDINALITY AS buckets (kept, sent, position)
               ORDER BY position)`,
          [JSON.stringify(rows.slice(start, start + INGEST_CHUNK))],
        );
      }
    });
    return samples.length;
  }

  /**
   * The SLI's events and bad events, every source summed, over each window (minutes) ending at `end` (exclusive, a
   * minute's start): a window of w minutes holds the samples of minutes [end − w, end).
   */
  async windowCounts(sli: SliDefinition, end: Date, windows: readonly number[]): Promise<Map<number, SliCount>> {
    const longest = Math.max(...windows);
    const { events, bad } = sliExpressions(sli);
    const columns = windows.flatMap((minutes) => {
      const since = `$1::timestamptz - interval '${minutes} minutes'`;
      return [
        `coalesce(sum(events) FILTER (WHERE minute >= ${since}), 0)::text AS events_${minutes}`,
        `coalesce(sum(bad) FILTER (WHERE minute >= ${since}), 0)::text AS bad_${minutes}`,
      ];
    });
    const [row]: Record<string, string>[] = await this.dataSource.query(
      `SELECT ${columns.join(', ')}
       FROM (SELECT minute, ${events} AS events, ${bad} AS bad
             FROM governance.sla_sample
             WHERE kind = $2 ${targetClause(sli.target, '$3')}
               AND minute >= $1::timestamptz - interval '${longest} minutes' AND minute < $1::timestamptz) AS sli`,
      [end.toISOString(), sli.kind, ...(sli.target === EVERY_TARGET ? [] : [sli.target])],
    );
    return new Map(windows.map((minutes) => [minutes, { events: Number(row[`events_${minutes}`]), bad: Number(row[`bad_${minutes}`]) }]));
  }

  /** The SLI's events and bad events per UTC day in [from, to] (YYYY-MM-DD, both included); days without samples absent. */
  async dailyCounts(sli: SliDefinition, from: string, to: string): Promise<Map<string, SliCount>> {
    const { events, bad } = sliExpressions(sli);
    const rows: { day: string; events: string; bad: string }[] = await this.dataSource.query(
      `SELECT (minute AT TIME ZONE 'UTC')::date::text AS day, sum(${events})::text AS events, sum(${bad})::text AS bad
       FROM governance.sla_sample
       WHERE kind = $3 ${targetClause(sli.target, '$4')}
         AND minute >= $1::date::timestamp AT TIME ZONE 'UTC' AND minute < ($2::date + 1)::timestamp AT TIME ZONE 'UTC'
       GROUP BY 1`,
      [from, to, sli.kind, ...(sli.target === EVERY_TARGET ? [] : [sli.target])],
    );
    return new Map(rows.map((row) => [row.day, { events: Number(row.events), bad: Number(row.bad) }]));
  }

  /** Totals, errors and the latency histogram of a target (`*`: all of the kind) per UTC day in [from, to]. */
  async daily(kind: SlaKind, target: string, from: string, to: string): Promise<Map<string, DailySamples>> {
    const parameters = [from, to, kind, ...(target === EVERY_TARGET ? [] : [target])];
    const range = `kind = $3 ${targetClause(target, '$4')}
      AND minute >= $1::date::timestamp AT TIME ZONE 'UTC' AND minute < ($2::date + 1)::timestamp AT TIME ZONE 'UTC'`;
    const totals: { day: string; total: string; errors: string }[] = await this.dataSource.query(
      `SELECT (minute AT TIME ZONE 'UTC')::date::text AS day, sum(total)::text AS total, sum(errors)::text AS errors
       FROM governance.sla_sample WHERE ${range} GROUP BY 1`,
      parameters,
    );
    const buckets: { day: string; position: string; count: string }[] = await this.dataSource.query(
      `SELECT (minute AT TIME ZONE 'UTC')::date::text AS day, bucket.position::text AS position, sum(bucket.count)::text AS count
       FROM governance.sla_sample, unnest(latency) WITH ORDINALITY AS bucket (count, position)
       WHERE ${range} GROUP BY 1, 2`,
      parameters,
    );
    const days = new Map<string, DailySamples>(
      totals.map((row) => [
        row.day,
        { day: row.day, total: Number(row.total), errors: Number(row.errors), latency: new Array<number>(LATENCY_BUCKET_COUNT).fill(0) },
      ]),
    );
    for (const row of buckets) {
      const day = days.get(row.day);
      if (day) {
        day.latency[Number(row.position) - 1] = Number(row.count);
      }
    }
    return days;
  }

  /** Deletes the samples of minutes before `cutoff`; answers how many. */
  async deleteBefore(cutoff: Date): Promise<number> {
    // the kinds listed so that ix_sla_sample_kind_minute serves the range
    const [, count]: [unknown, number] = await this.dataSource.query(
      `DELETE FROM governance.sla_sample WHERE kind = ANY($1::text[]) AND minute < $2`,
      [Object.values(SlaKind), new Date(Math.floor(cutoff.getTime() / MINUTE_MS) * MINUTE_MS).toISOString()],
    );
    return count;
  }
}
