import { AuditException, AuditExceptionCode } from './audit.exception';
import { MAX_EVENTS_PER_REQUEST, parseIngestRequest } from './audit-event.validation';

const valid = {
  eventId: '0190A3F2-6A1B-7C3D-8E4F-5A6B7C8D9E0F',
  occurredAt: '2026-11-23T12:00:00.5+02:00',
  service: 'crm',
  actor: null,
  action: 'create',
  entity: 'Client',
  entityId: 'c-1',
  before: null,
  after: { name: 'Acme' },
  changedFields: ['name'],
  reason: null,
  correlationId: null,
  policyVersion: null,
};

function failure(body: unknown): AuditException {
  try {
    parseIngestRequest(body);
  } catch (error) {
    if (error instanceof AuditException) {
      return error;
    }
    throw error;
  }
  throw new Error('expected an AuditException');
}

describe('parseIngestRequest', () => {
  it('should normalise the event id to lower case and the instant to UTC milliseconds', () => {
    const [event] = parseIngestRequest({ events: [valid] });

    expect(event.eventId).toBe('0190a3f2-6a1b-7c3d-8e4f-5a6b7c8d9e0f');
    expect(event.occurredAt).toBe('2026-11-23T10:00:00.500Z');
  });

  it('should name every bad field of every event', () => {
    const error = failure({
      events: [
        { ...valid, eventId: 'x', action: 'rename' },
        { ...valid, extra: 1, changedFields: [1] },
      ],
    });

    expect(error.code).toBe(AuditExceptionCode.INVALID_EVENTS);
    expect(error.problems).toEqual([
      expect.stringMatching(/^events\[0\]\.eventId/),
      expect.stringMatching(/^events\[0\]\.action/),
      expect.stringMatching(/^events\[1\]\.extra: unknown field/),
      expect.stringMatching(/^events\[1\]\.changedFields/),
    ]);
  });

  it('should not accept an instant without a time zone, a missing field or U+0000 in a value', () => {
    const { reason: _reason, ...withoutReason } = valid;
    const error = failure({
      events: [{ ...valid, occurredAt: '2026-11-23T10:00:00' }, withoutReason, { ...valid, after: { name: 'a\u0000b' } }],
    });

    expect(error.problems).toEqual([
      expect.stringMatching(/^events\[0\]\.occurredAt/),
      expect.stringMatching(/^events\[1\]\.reason/),
      expect.stringMatching(/^events\[2\]\.after/),
    ]);
  });

  it(`should not accept more than ${MAX_EVENTS_PER_REQUEST} events`, () => {
    expect(failure({ events: Array.from({ length: MAX_EVENTS_PER_REQUEST + 1 }, () => valid) }).code).toBe(
      AuditExceptionCode.TOO_MANY_EVENTS,
    );
  });

  it('should not accept a body without an events array', () => {
    expect(failure({ event: [] }).code).toBe(AuditExceptionCode.INVALID_EVENTS);
  });
});
