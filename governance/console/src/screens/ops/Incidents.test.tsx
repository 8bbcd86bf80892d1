import { timelineOf } from './Incidents';

describe('timelineOf', () => {
  it('should merge alerts, notes and ledger changes oldest first, keeping a withheld actor withheld', () => {
    const sut = timelineOf({
      timeline: [
        {
          at: '2026-12-03T10:05:15.000Z',
          kind: 'OPENED',
          severity: 'PAGE',
          burnRate: 40,
          message: 'crm-availability: burn 40×',
          actor: 'sla-evaluator',
        },
        { at: '2026-12-03T10:20:00.000Z', kind: 'NOTE', severity: null, burnRate: null, message: 'rolled back', actor: 'op-olga' },
        { at: '2026-12-03T11:00:15.000Z', kind: 'RESOLVED', severity: 'PAGE', burnRate: 0, message: 'resolved', actor: 'sla-evaluator' },
      ],
      changes: [
        {
          at: '2026-12-03T09:58:00.000Z',
          action: 'schema.publish',
          actor: 'ci-crm',
          entity: 'SubgraphSchema',
          entityId: 'crm@7',
          reason: null,
        },
        {
          at: '2026-12-03T10:10:00.000Z',
          action: 'ownership.change',
          actor: null,
          entity: 'OwnershipRule',
          entityId: 'Client',
          reason: 'erp owns it',
        },
      ],
    });

    expect(sut.map((entry) => [entry.kind, entry.tone, entry.actor])).toEqual([
      ['Schema published', 'grey', 'ci-crm'],
      ['Alert opened', 'red', 'sla-evaluator'],
      ['Ownership rule changed', 'grey', null],
      ['Note', 'blue', 'op-olga'],
      ['Alert resolved', 'green', 'sla-evaluator'],
    ]);
    expect(sut[0].text).toBe('SubgraphSchema crm@7');
    expect(sut[2].text).toBe('OwnershipRule Client: erp owns it');
  });
});
