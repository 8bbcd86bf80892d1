import { diffRecords } from './diff';
import { formatAuditQuery, parseAuditQuery } from './query';

describe('parseAuditQuery', () => {
  it('should map every qualifier to its filter field', () => {
    const parsed = parseAuditQuery(
      'actor:ann action:update entity:Client id:c-1 field:margin system:crm role:finance outcome:DENIED correlation:k1',
    );

    expect(parsed.filter).toEqual({
      actorSub: 'ann',
      action: 'update',
      entity: 'Client',
      entityId: 'c-1',
      field: 'margin',
      service: 'crm',
      role: 'finance',
      outcome: 'denied',
      correlationId: 'k1',
    });
    expect(parsed.problems).toEqual([]);
  });

  it('should keep the rest as free text, quoted phrases and values included', () => {
    const parsed = parseAuditQuery('wrong  rate actor:"Ann Smith" "said hi"');

    expect(parsed.filter).toEqual({ actorSub: 'Ann Smith', text: 'wrong rate said hi' });
    expect(parsed.chips).toEqual([
      { key: 'actor', value: 'Ann Smith' },
      { key: 'text', value: 'wrong rate said hi' },
    ]);
  });

  it('should treat qualifier names case-insensitively and keep values as typed', () => {
    expect(parseAuditQuery('Entity:TimeEntry').filter).toEqual({ entity: 'TimeEntry' });
  });

  it('should say what it could not use', () => {
    const parsed = parseAuditQuery('outcome:maybe actor: colour:red action:read action:denied');

    expect(parsed.filter).toEqual({ action: 'denied', text: 'colour:red' });
    expect(parsed.problems).toEqual([
      'actor: needs a value',
      'unknown qualifier "colour:" (searched as text)',
      'action: given twice, the last one is used',
      'outcome: must be allowed or denied',
    ]);
  });

  it('should give an empty filter for an empty box', () => {
    expect(parseAuditQuery('   ')).toEqual({ filter: {}, chips: [], problems: [] });
  });

  it('should write chips back to the same query', () => {
    const text = 'actor:"Ann Smith" field:margin "late fee"';
    expect(parseAuditQuery(formatAuditQuery(parseAuditQuery(text).chips)).filter).toEqual(parseAuditQuery(text).filter);
  });
});

describe('diffRecords', () => {
  it('should list changed, added and removed keys before the unchanged ones', () => {
    expect(diffRecords({ name: 'Acme', tier: 'GOLD', margin: '12.50' }, { name: 'Acme SA', tier: 'GOLD', region: 'EU' })).toEqual([
      { key: 'margin', before: '12.50', after: null, kind: 'removed' },
      { key: 'name', before: 'Acme', after: 'Acme SA', kind: 'changed' },
      { key: 'region', before: null, after: 'EU', kind: 'added' },
      { key: 'tier', before: 'GOLD', after: 'GOLD', kind: 'same' },
    ]);
  });

  it('should flatten nested objects and compare arrays and numbers exactly', () => {
    expect(
      diffRecords({ address: { city: 'Lyon' }, tags: ['a'], hours: 1.1 }, { address: { city: 'Paris' }, tags: ['a'], hours: 1.1 }),
    ).toEqual([
      { key: 'address.city', before: 'Lyon', after: 'Paris', kind: 'changed' },
      { key: 'hours', before: '1.1', after: '1.1', kind: 'same' },
      { key: 'tags', before: '["a"]', after: '["a"]', kind: 'same' },
    ]);
  });

  it('should show a create as all added and a delete as all removed', () => {
    expect(diffRecords(null, { name: 'Acme' })).toEqual([{ key: 'name', before: null, after: 'Acme', kind: 'added' }]);
    expect(diffRecords({ name: 'Acme' }, null)).toEqual([{ key: 'name', before: 'Acme', after: null, kind: 'removed' }]);
  });

  it('should tell a null value from a missing key', () => {
    expect(diffRecords({ reason: null }, { reason: 'late' })).toEqual([{ key: 'reason', before: 'null', after: 'late', kind: 'changed' }]);
  });
});
