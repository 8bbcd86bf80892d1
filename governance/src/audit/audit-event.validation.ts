import { isUuid, type AuditAction, type AuditEvent } from '@concord/common';
import { AuditException, AuditExceptionCode } from './audit.exception';

/** Largest batch one `POST /audit/events` may carry. */
export const MAX_EVENTS_PER_REQUEST = 5_000;

// governance's own actions (policy.publish, ownership.change, schema.publish, slo.*, incident.*) are written by governance, never accepted from a relay
const ACTIONS: readonly AuditAction[] = ['create', 'update', 'delete', 'transition', 'denied', 'read'];
/** Every field of an AuditEvent, in the ledger's order (what a relay sends and an export line carries). */
export const AUDIT_EVENT_KEYS = [
  'eventId',
  'occurredAt',
  'service',
  'actor',
  'action',
  'entity',
  'entityId',
  'before',
  'after',
  'changedFields',
  'reason',
  'correlationId',
  'policyVersion',
] as const satisfies readonly (keyof AuditEvent)[];
const EVENT_FIELDS = new Set<string>(AUDIT_EVENT_KEYS);
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/;
const MAX_PROBLEMS = 50;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** PostgreSQL text and jsonb cannot hold U+0000; refuse it here rather than fail the whole batch in SQL. */
function hasNul(value: unknown): boolean {
  return JSON.stringify(value).includes('\\u0000');
}

/**
 * Checks a `POST /audit/events` body field by field and returns the events normalised as the ledger stores and
 * hashes them (eventId lower case, occurredAt as UTC with milliseconds). Throws AuditException with every problem.
 */
export function parseIngestRequest(body: unknown): AuditEvent[] {
  if (!isObject(body) || !Array.isArray(body.events)) {
    throw new AuditException(AuditExceptionCode.INVALID_EVENTS, 'the body must be { events: AuditEvent[] }', ['events: expected an array']);
  }
  const events: unknown[] = body.events;
  if (events.length > MAX_EVENTS_PER_REQUEST) {
    throw new AuditException(
      AuditExceptionCode.TOO_MANY_EVENTS,
      `at most ${MAX_EVENTS_PER_REQUEST} events per request, got ${events.length}`,
    );
  }
  const problems: string[] = [];
  const parsed = events.map((event, index) => parseEvent(event, `events[${index}]`, problems));
  if (problems.length > 0) {
    throw new AuditException(
      AuditExceptionCode.INVALID_EVENTS,
      `${problems.length} problem(s) in the events; none was recorded`,
      problems.slice(0, MAX_PROBLEMS),
    );
  }
  return parsed as AuditEvent[];
}

function parseEvent(value: unknown, path: string, problems: string[]): AuditEvent | null {
  if (!isObject(value)) {
    problems.push(`${path}: expected an object`);
    return null;
  }
  const before = problems.length;
  const problem = (field: string, message: string) => problems.push(`${path}.${field}: ${message}`);
  for (const field of Object.keys(value)) {
    if (!EVENT_FIELDS.has(field)) {
      problem(field, 'unknown field');
    }
  }
  const text = (field: string, nullable: boolean): void => {
    const item = value[field];
    if (item === null && nullable) {
      return;
    }
    if (typeof item !== 'string' || item.length === 0 || item.length > 4_000 || item.includes('\u0000')) {
      problem(field, `expected a non-empty string of at most 4000 characters${nullable ? ' or null' : ''}`);
    }
  };
  if (typeof value.eventId !== 'string' || !isUuid(value.eventId)) {
    problem('eventId', 'expected a UUID');
  }
  if (typeof value.occurredAt !== 'string' || !ISO_INSTANT.test(value.occurredAt) || Number.isNaN(Date.parse(value.occurredAt))) {
    problem('occurredAt', 'expected an ISO-8601 instant with a time zone, at most millisecond precision');
  }
  text('service', false);
  text('entity', false);
  text('entityId', false);
  text('reason', true);
  text('correlationId', true);
  text('policyVersion', true);
  if (!ACTIONS.includes(value.action as AuditAction)) {
    problem('action', `expected one of ${ACTIONS.join(', ')}`);
  }
  const actor = value.actor;
  if (actor !== null) {
    const valid =
      isObject(actor) &&
      Object.keys(actor).every((key) => key === 'sub' || key === 'roles') &&
      typeof actor.sub === 'string' &&
      actor.sub.length > 0 &&
      Array.isArray(actor.roles) &&
      actor.roles.every((role) => typeof role === 'string') &&
      !hasNul(actor);
    if (!valid) {
      problem('actor', 'expected { sub: string, roles: string[] } or null');
    }
  }
  for (const field of ['before', 'after']) {
    const item = value[field];
    if (item !== null && (!isObject(item) || hasNul(item))) {
      problem(field, 'expected a JSON object without U+0000, or null');
    }
  }
  const changedFields = value.changedFields;
  if (!Array.isArray(changedFields) || !changedFields.every((field) => typeof field === 'string' && !field.includes('\u0000'))) {
    problem('changedFields', 'expected an array of strings');
  }
  if (problems.length > before) {
    return null;
  }
  const event = value as unknown as AuditEvent;
  return {
    eventId: event.eventId.toLowerCase(),
    occurredAt: new Date(event.occurredAt).toISOString(),
    service: event.service,
    actor: event.actor === null ? null : { sub: event.actor.sub, roles: event.actor.roles },
    action: event.action,
    entity: event.entity,
    entityId: event.entityId,
    before: event.before,
    after: event.after,
    changedFields: event.changedFields,
    reason: event.reason,
    correlationId: event.correlationId,
    policyVersion: event.policyVersion,
  };
}
