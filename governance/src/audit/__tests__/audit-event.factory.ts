import { newId, type AuditEvent } from '@concord/common';

let sequence = 0;

/** Complete, valid audit events as a subgraph's relay would send them. */
export const AuditEventFactory = {
  create(overrides: Partial<AuditEvent> = {}): AuditEvent {
    sequence += 1;
    return {
      eventId: newId(),
      occurredAt: new Date(Date.UTC(2026, 10, 23, 10, 0, 0, sequence % 1000)).toISOString(),
      service: 'crm',
      actor: { sub: `user-${sequence % 7}`, roles: ['sales'] },
      action: 'update',
      entity: 'Client',
      entityId: `client-${sequence}`,
      before: { name: `Client ${sequence}`, tags: ['a'], address: { city: 'Lyon', zip: '69001' } },
      after: { name: `Client ${sequence} SA`, tags: ['a', 'b'], address: { city: 'Lyon', zip: '69001' } },
      changedFields: ['name', 'tags'],
      reason: null,
      correlationId: `corr-${sequence}`,
      policyVersion: '1',
      ...overrides,
    };
  },
  many(count: number, overrides: Partial<AuditEvent> = {}): AuditEvent[] {
    return Array.from({ length: count }, () => AuditEventFactory.create(overrides));
  },
};
