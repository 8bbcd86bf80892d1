import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { BURN_RATE_WINDOWS, assessPairs, type PairAssessment } from './burn-rate';
import type { Incident } from './incident.service';
import { LATENCY_BUCKET_COUNT, histogramQuantile } from './latency-histogram';
import { SLA_OPTIONS, type SlaOptions } from './sla.options';
import { invalidInput } from './sla.exception';
import { SlaSampleService } from './sla-sample.service';
import { SlaKind } from './slo.entity';
import { minuteOf } from './slo-evaluator';
import { SloService, type Slo } from './slo.service';
import { sloStatusOf, type SloStatusFigures } from './slo-status';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** the longest range of a target-health query */
const MAX_RANGE_HOURS = 24 * 35;
/** how long before an incident opened its changes count as context */
const CONTEXT_LEAD_MS = HOUR_MS;
/** the most ledger changes shown on one incident */
const MAX_CHANGES = 200;
/** ledger actions that change what is served or enforced: the usual suspects of an incident */
export const CHANGE_ACTIONS = [
  'schema.publish',
  'schema.approve',
  'schema.rollback',
  'ownership.change',
  'policy.publish',
  'slo.create',
  'slo.update',
] as const;

export interface SloStatus extends SloStatusFigures {
  slo: Slo;
  /** the end (exclusive) of every window: the start of the current minute */
  windowEnd: Date;
  pairs: PairAssessment[];
}

export interface ErrorCodeCount {
  code: string;
  count: number;
}

/** One target's traffic over a range, every source summed. */
export interface TargetHealth {
  kind: SlaKind;
  target: string;
  events: number;
  errors: number;
  timeouts: number;
  availability: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  errorCodes: ErrorCodeCount[];
  /** per hour of the range with traffic, oldest first */
  hours: { hour: Date; events: number; errors: number; p95: number | null }[];
}

/** A change recorded in the ledger around an incident: a schema publish, an ownership-rule change, an SLO edit … */
export interface IncidentChange {
  at: Date;
  action: string;
  actor: string;
  entity: string;
  entityId: string;
  reason: string | null;
}

interface SampleRow {
  target: string;
  hour: Date;
  events: string;
  errors: string;
  timeouts: string;
  error_codes: Record<string, string> | null;
  latency: string[];
}

/**
 * What operators' screens read beyond SLOs, reports and incidents: each SLO's status now (burn per window pair, budget
 * left, time to exhaustion), traffic per target with latency percentiles and errors by code, and the changes recorded
 * in the ledger around an incident.
 */
@Injectable()
export class SlaInsightsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly slos: SloService,
    private readonly samples: SlaSampleService,
    @Inject(SLA_OPTIONS) private readonly options: SlaOptions,
  ) {}

  /** Every enabled SLO's status (or one SLO's, enabled or not), evaluated as the evaluator would, without acting on it. */
  async statuses(id?: string | null): Promise<SloStatus[]> {
    const now = this.options.now();
    const windowEnd = minuteOf(now);
    const slos = id ? [await this.slos.byId(id)] : await this.slos.list({ enabled: true });
    const statuses: SloStatus[] = [];
    for (const slo of slos) {
      const windowMinutes = slo.windowDays * 1_440;
      const counts = await this.samples.windowCounts(slo, windowEnd, [...BURN_RATE_WINDOWS, windowMinutes]);
      const pairs = assessPairs(counts, slo.objective, this.options.minEvents);
      const window = counts.get(windowMinutes) ?? { events: 0, bad: 0 };
      statuses.push({ slo, windowEnd, pairs, ...sloStatusOf(pairs, window, slo.objective, slo.windowDays, now) });
    }
    return statuses;
  }

  /** Per target of a kind, the traffic in [from, to): events, errors by code, latency percentiles, and per hour. */
  async targetHealth(kind: SlaKind, from: Date, to: Date): Promise<TargetHealth[]> {
    const problems: string[] = [];
    if (!Object.values(SlaKind).includes(kind)) {
      problems.push(`kind is one of ${Object.values(SlaKind).join(', ')}`);
    }
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from >= to) {
      problems.push('from is an instant before to');
    } else if (to.getTime() - from.getTime() > MAX_RANGE_HOURS * HOUR_MS) {
      problems.push(`the range is at most ${MAX_RANGE_HOURS / 24} days`);
    }
    if (problems.length) {
      throw invalidInput(problems, 'invalid range');
    }
    const rows: SampleRow[] = await this.dataSource.query(
      `WITH sample AS (
         SELECT target, date_trunc('hour', minute) AS hour, total, errors, timeouts, error_codes, latency
         FROM governance.sla_sample WHERE kind = $1 AND minute >= $2 AND minute < $3),
       totals AS (
         SELECT target, hour, sum(total)::text AS events, sum(errors)::text AS errors, sum(timeouts)::text AS timeouts
         FROM sample GROUP BY target, hour),
       codes AS (
         SELECT target, hour, jsonb_object_agg(code, count) AS error_codes
         FROM (SELECT target, hour, entry.key AS code, sum(entry.value::bigint)::text AS count
               FROM sample, jsonb_each_text(sample.error_codes) AS entry GROUP BY target, hour, entry.key) AS per_code
         GROUP BY target, hour),
       buckets AS (
         SELECT target, hour, array_agg(count ORDER BY position) AS latency
         FROM (SELECT target, hour, bucket.position, sum(bucket.count)::text AS count
               FROM sample, unnest(sample.latency) WITH ORDINALITY AS bucket (count, position)
               GROUP BY target, hour, bucket.position) AS per_bucket
         GROUP BY target, hour)
       SELECT totals.*, codes.error_codes, coalesce(buckets.latency, '{}') AS latency
       FROM totals LEFT JOIN codes USING (target, hour) LEFT JOIN buckets USING (target, hour)
       ORDER BY target, hour`,
      [kind, minuteOf(from).toISOString(), to.toISOString()],
    );
    const byTarget = new Map<string, SampleRow[]>();
    for (const row of rows) {
      byTarget.set(row.target, [...(byTarget.get(row.target) ?? []), row]);
    }
    return [...byTarget.entries()].map(([target, hours]) => {
      const histogram = new Array<number>(LATENCY_BUCKET_COUNT).fill(0);
      const codes = new Map<string, number>();
      let events = 0;
      let errors = 0;
      let timeouts = 0;
      const perHour = hours.map((row) => {
        const latency = row.latency.map(Number);
        latency.forEach((count, index) => (histogram[index] += count));
        for (const [code, count] of Object.entries(row.error_codes ?? {})) {
          codes.set(code, (codes.get(code) ?? 0) + Number(count));
        }
        events += Number(row.events);
        errors += Number(row.errors);
        timeouts += Number(row.timeouts);
        return { hour: new Date(row.hour), events: Number(row.events), errors: Number(row.errors), p95: histogramQuantile(latency, 0.95) };
      });
      return {
        kind,
        target,
        events,
        errors,
        timeouts,
        availability: events > 0 ? (events - errors) / events : null,
        p50: histogramQuantile(histogram, 0.5),
        p95: histogramQuantile(histogram, 0.95),
        p99: histogramQuantile(histogram, 0.99),
        errorCodes: [...codes.entries()].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1)),
        hours: perHour,
      };
    });
  }

  /** One ledger query for the incidents a page resolves together (batched within a tick, no cache across requests). */
  private readonly changesLoader = new DataLoader<{ from: Date; to: Date }, IncidentChange[], string>(
    async (windows) => {
      // per window its own changes (at most MAX_CHANGES), all windows in one statement
      const rows: {
        window: string;
        occurred_at: Date;
        action: string;
        actor: { sub?: string } | null;
        entity: string;
        entity_id: string;
        reason: string | null;
      }[] = await this.dataSource.query(
        `SELECT incident_window.position::text AS window, change.occurred_at, change.action, change.actor, change.entity,
                change.entity_id, change.reason
         FROM unnest($2::timestamptz[], $3::timestamptz[]) WITH ORDINALITY AS incident_window (since, until, position)
         CROSS JOIN LATERAL (
           SELECT occurred_at, action, actor, entity, entity_id, reason, position FROM governance.audit_event
           WHERE action = ANY($1::text[]) AND occurred_at >= incident_window.since AND occurred_at <= incident_window.until
           ORDER BY occurred_at, position LIMIT ${MAX_CHANGES}) AS change
         ORDER BY incident_window.position, change.occurred_at, change.position`,
        [[...CHANGE_ACTIONS], windows.map((window) => window.from.toISOString()), windows.map((window) => window.to.toISOString())],
      );
      return windows.map((_, index) =>
        rows
          .filter((row) => Number(row.window) === index + 1)
          .map((row) => ({
            at: row.occurred_at,
            action: row.action,
            actor: row.actor?.sub ?? 'unknown',
            entity: row.entity,
            entityId: row.entity_id,
            reason: row.reason,
          })),
      );
    },
    { cache: false, cacheKeyFn: (window) => `${window.from.toISOString()}/${window.to.toISOString()}` },
  );

  /**
   * The changes the ledger recorded from an hour before the incident opened until a minute after it resolved (now,
   * while open): schema publishes, approvals and rollbacks, ownership-rule and policy changes, SLO edits. Oldest first.
   */
  changesAround(incident: Pick<Incident, 'openedAt' | 'resolvedAt'>): Promise<IncidentChange[]> {
    const from = new Date(incident.openedAt.getTime() - CONTEXT_LEAD_MS);
    const to = new Date((incident.resolvedAt ?? this.options.now()).getTime() + MINUTE_MS);
    return this.changesLoader.load({ from, to });
  }
}
