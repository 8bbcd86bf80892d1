import { canonicalJson, type AuditEvent } from '@concord/common';
import { GENESIS_HASH, chainHash, eventOfRow } from './audit-hash';

const event: AuditEvent = {
  eventId: '0190a3f2-6a1b-7c3d-8e4f-5a6b7c8d9e0f',
  occurredAt: '2026-11-23T10:00:00.123Z',
  service: 'crm',
  actor: { sub: 'user-1', roles: ['sales'] },
  action: 'update',
  entity: 'Client',
  entityId: 'c-1',
  before: { name: 'Acme', address: { city: 'Lyon', zip: '69001' } },
  after: { name: 'Acme SA', address: { city: 'Lyon', zip: '69001' } },
  changedFields: ['name'],
  reason: null,
  correlationId: 'corr-1',
  policyVersion: '7',
};

describe('chainHash', () => {
  it('should hash the same event the same way whatever its key order', () => {
    const reordered = Object.fromEntries(Object.entries(event).reverse()) as unknown as AuditEvent;
    reordered.after = { address: { zip: '69001', city: 'Lyon' }, name: 'Acme SA' };

    expect(canonicalJson(reordered)).toBe(canonicalJson(event));
    expect(chainHash(GENESIS_HASH, reordered)).toBe(chainHash(GENESIS_HASH, event));
  });

  it('should be sha256 of the previous hash followed by the canonical event', () => {
    const { createHash } = jest.requireActual<typeof import('node:crypto')>('node:crypto');
    const expected = createHash('sha256')
      .update(GENESIS_HASH + canonicalJson(event))
      .digest('hex');

    expect(chainHash(GENESIS_HASH, event)).toBe(expected);
    expect(chainHash(GENESIS_HASH, event)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('should change when a nested value or the previous hash changes', () => {
    const changed = { ...event, after: { ...event.after, name: 'Acme SAS' } };

    expect(chainHash(GENESIS_HASH, changed)).not.toBe(chainHash(GENESIS_HASH, event));
    expect(chainHash('1'.repeat(64), event)).not.toBe(chainHash(GENESIS_HASH, event));
  });

  it('should rebuild from a stored row exactly the event that was hashed', () => {
    const row = {
      position: '1',
      event_id: event.eventId,
      occurred_at: new Date(event.occurredAt),
      service: event.service,
      actor: { roles: ['sales'], sub: 'user-1' },
      action: event.action,
      entity: event.entity,
      entity_id: event.entityId,
      before: event.before,
      after: event.after,
      changed_fields: event.changedFields,
      reason: event.reason,
      correlation_id: event.correlationId,
      policy_version: event.policyVersion,
      prev_hash: GENESIS_HASH,
      hash: '',
    };

    expect(chainHash(GENESIS_HASH, eventOfRow(row))).toBe(chainHash(GENESIS_HASH, event));
  });
});
