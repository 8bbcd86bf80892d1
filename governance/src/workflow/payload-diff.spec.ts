import { changedValues, payloadPatch } from './payload-diff';

describe(payloadPatch.name, () => {
  it('should describe added, removed and replaced keys, nested objects key by key', () => {
    const before = { opportunityId: 'o1', customer: { taxId: 'X', name: 'Acme' }, lines: [1, 2], stale: true };
    const after = { opportunityId: 'o1', customer: { taxId: 'Y', name: 'Acme' }, lines: [1], legalEntityId: 'le-1' };

    expect(payloadPatch(before, after)).toEqual([
      { op: 'replace', path: '/customer/taxId', value: 'Y' },
      { op: 'add', path: '/legalEntityId', value: 'le-1' },
      { op: 'replace', path: '/lines', value: [1] },
      { op: 'remove', path: '/stale' },
    ]);
  });

  it('should escape keys as JSON pointers and answer nothing for an unchanged payload', () => {
    expect(payloadPatch({ 'a/b~c': 1 }, { 'a/b~c': 2 })).toEqual([{ op: 'replace', path: '/a~1b~0c', value: 2 }]);
    expect(payloadPatch({ a: { b: 1 } }, { a: { b: 1 } })).toEqual([]);
  });
});

describe(changedValues.name, () => {
  it('should keep only the changed keys on each side', () => {
    expect(changedValues({ a: 1, b: 2 }, { a: 1, b: 3, c: 4 }, ['b', 'c'])).toEqual({ before: { b: 2 }, after: { b: 3, c: 4 } });
  });
});
