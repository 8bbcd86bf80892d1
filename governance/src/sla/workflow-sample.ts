import { SLA_LATENCY_BUCKETS_MS } from '@concord/common';
import type { EntityManager } from 'typeorm';
import { LATENCY_BUCKET_COUNT } from './latency-histogram';
import { SlaKind } from './slo.entity';

const MINUTE_MS = 60_000;
/** The source of workflow samples: governance's own workers (gateways name themselves). */
export const WORKFLOW_SAMPLE_SOURCE = 'governance-workflows';

/** The latency bucket of a duration: the first bound at or above it, else the overflow bucket. */
export function latencyBucketOf(durationMs: number): number {
  const index = SLA_LATENCY_BUCKETS_MS.findIndex((bound) => durationMs <= bound);
  return index < 0 ? SLA_LATENCY_BUCKETS_MS.length : index;
}

/**
 * Counts a finished workflow run in the SLA sample store as the gateways count fetches (kind `workflow`, target the
 * workflow kind, e.g. INVOICE_RUN): one event in the minute it finished, bad when it ended in the exception queue
 * (code `WORKFLOW_EXCEPTION`), its duration from start to finish in the latency histogram. Written in the transaction
 * that finishes the run, so a run counts exactly once; the counters add up (not the greatest, as gateway samples do,
 * which resend running totals).
 */
export async function recordWorkflowSample(
  manager: EntityManager,
  run: { kind: string; startedAt: Date; finishedAt: Date; ok: boolean },
): Promise<void> {
  const latency = new Array<number>(LATENCY_BUCKET_COUNT).fill(0);
  latency[latencyBucketOf(Math.max(0, run.finishedAt.getTime() - run.startedAt.getTime()))] = 1;
  const minute = new Date(Math.floor(run.finishedAt.getTime() / MINUTE_MS) * MINUTE_MS);
  await manager.query(
    `INSERT INTO governance.sla_sample AS sample (kind, target, minute, source, total, errors, timeouts, rejected, error_codes, latency)
     VALUES ($1, $2, $3, $4, 1, $5, 0, 0, $6::jsonb, $7::bigint[])
     ON CONFLICT (kind, target, minute, source) DO UPDATE SET
       total = sample.total + 1,
       errors = sample.errors + excluded.errors,
       error_codes = CASE WHEN excluded.errors > 0
         THEN jsonb_set(sample.error_codes, '{WORKFLOW_EXCEPTION}',
                        to_jsonb(coalesce((sample.error_codes ->> 'WORKFLOW_EXCEPTION')::bigint, 0) + 1))
         ELSE sample.error_codes END,
       latency = ARRAY(SELECT kept + sent FROM unnest(sample.latency, excluded.latency) WITH ORDINALITY AS buckets (kept, sent, position)
                       ORDER BY position)`,
    [
      SlaKind.WORKFLOW,
      run.kind,
      minute.toISOString(),
      WORKFLOW_SAMPLE_SOURCE,
      run.ok ? 0 : 1,
      JSON.stringify(run.ok ? {} : { WORKFLOW_EXCEPTION: 1 }),
      latency,
    ],
  );
}
