import { SLA_LATENCY_BUCKETS_MS, type SlaSample } from '@concord/common';
import { invalidInput } from './sla.exception';
import { EVERY_TARGET, SlaKind } from './slo.entity';

/** The most samples one `POST /sla/samples` may carry (the gateways' contract). */
export const MAX_SLA_SAMPLES = 5_000;
const MAX_NAME_CHARS = 256;
const MAX_ERROR_CODES = 64;
const ERROR_CODE = /^[A-Za-z0-9_.:-]{1,64}$/;
const MINUTE_MS = 60_000;
/** a gateway's clock may run this far ahead of governance's */
const MAX_CLOCK_SKEW_MS = 2 * MINUTE_MS;
/** problems listed in a 400 before "… and N more" */
const MAX_PROBLEMS = 20;
const KINDS = new Set<string>(Object.values(SlaKind));
const BUCKET_COUNT = SLA_LATENCY_BUCKETS_MS.length + 1;

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isName(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0 && value.length <= MAX_NAME_CHARS;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The problems of one sample, each prefixed with where it is (`samples[3].errors …`). */
function sampleProblems(sample: unknown, at: string, now: Date): string[] {
  if (!isPlainObject(sample)) {
    return [`${at} is an object`];
  }
  const problems: string[] = [];
  if (typeof sample.kind !== 'string' || !KINDS.has(sample.kind)) {
    problems.push(`${at}.kind is one of ${[...KINDS].join(', ')}`);
  }
  if (!isName(sample.target) || sample.target === EVERY_TARGET) {
    problems.push(`${at}.target is a non-empty name of at most ${MAX_NAME_CHARS} characters (not "${EVERY_TARGET}")`);
  }
  if (!isName(sample.source)) {
    problems.push(`${at}.source is a non-empty name of at most ${MAX_NAME_CHARS} characters`);
  }
  const minute = typeof sample.minute === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(sample.minute) ? new Date(sample.minute) : null;
  if (!minute || Number.isNaN(minute.getTime()) || minute.getTime() % MINUTE_MS !== 0) {
    problems.push(`${at}.minute is the start of a minute, ISO 8601 UTC with zero seconds (e.g. 2026-12-02T18:45:00.000Z)`);
  } else if (minute.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS) {
    problems.push(`${at}.minute ${sample.minute} is in the future (governance's clock: ${now.toISOString()})`);
  }
  const counts = ['total', 'errors', 'timeouts', 'rejected'] as const;
  for (const name of counts) {
    if (!isCount(sample[name])) {
      problems.push(`${at}.${name} is a non-negative integer`);
    }
  }
  if (isCount(sample.errors) && isCount(sample.total) && sample.errors > sample.total) {
    problems.push(`${at}.errors (${sample.errors}) is at most total (${sample.total})`);
  }
  if (isCount(sample.timeouts) && isCount(sample.errors) && sample.timeouts > sample.errors) {
    problems.push(`${at}.timeouts (${sample.timeouts}) is at most errors (${sample.errors})`);
  }
  const codes = sample.errorCodes;
  if (
    !isPlainObject(codes) ||
    Object.keys(codes).length > MAX_ERROR_CODES ||
    !Object.entries(codes).every(([code, count]) => ERROR_CODE.test(code) && isCount(count))
  ) {
    problems.push(`${at}.errorCodes is an object of at most ${MAX_ERROR_CODES} codes (letters, digits, _ . : -) to non-negative integers`);
  }
  if (!Array.isArray(sample.latency) || sample.latency.length !== BUCKET_COUNT || !sample.latency.every(isCount)) {
    problems.push(
      `${at}.latency is an array of ${BUCKET_COUNT} non-negative integers (one per SLA_LATENCY_BUCKETS_MS bucket and one slower)`,
    );
  }
  return problems;
}

/** The batch of `POST /sla/samples`, validated; INVALID_INPUT (400) lists every problem. */
export function validSlaBatch(body: unknown, now: Date): SlaSample[] {
  const samples = isPlainObject(body) ? body.samples : undefined;
  if (!Array.isArray(samples)) {
    throw invalidInput(['samples is an array of SLA samples'], 'invalid SLA samples');
  }
  if (samples.length > MAX_SLA_SAMPLES) {
    throw invalidInput(
      [`samples holds at most ${MAX_SLA_SAMPLES} samples (got ${samples.length}): send several batches`],
      'invalid SLA samples',
    );
  }
  const problems = samples.flatMap((sample, index) => sampleProblems(sample, `samples[${index}]`, now));
  if (problems.length) {
    const listed =
      problems.length > MAX_PROBLEMS ? [...problems.slice(0, MAX_PROBLEMS), `… and ${problems.length - MAX_PROBLEMS} more`] : problems;
    throw invalidInput(listed, 'invalid SLA samples');
  }
  return samples as SlaSample[];
}
