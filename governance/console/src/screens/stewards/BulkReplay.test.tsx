import { bulkReplayFilterOf, bulkSearchOf } from './BulkReplay';

describe('bulkSearchOf', () => {
  it('should put the typed filters in the URL, leaving out empty ones', () => {
    expect(bulkSearchOf({ kind: 'OPPORTUNITY_TO_PROJECT', errorCode: ' GATE_FAILED ', minAgeHours: '1.5' })).toEqual({
      bulkKind: 'OPPORTUNITY_TO_PROJECT',
      bulkErrorCode: 'GATE_FAILED',
      bulkMinAgeHours: 1.5,
    });
    expect(bulkSearchOf({ kind: '', errorCode: '  ', minAgeHours: '' })).toEqual({
      bulkKind: undefined,
      bulkErrorCode: undefined,
      bulkMinAgeHours: undefined,
    });
  });

  it('should refuse an age that is not a number of hours', () => {
    expect(bulkSearchOf({ kind: '', errorCode: '', minAgeHours: 'a day' })).toEqual(
      new Error('Parked ≥ hours must be a number of hours, like 24 or 1.5'),
    );
    expect(bulkSearchOf({ kind: '', errorCode: '', minAgeHours: '-3' })).toBeInstanceOf(Error);
  });
});

describe('bulkReplayFilterOf', () => {
  it('should give the review the URL’s filters, null where none', () => {
    expect(bulkReplayFilterOf({ bulk: 'review', bulkErrorCode: 'GATE_FAILED', bulkMinAgeHours: 0 })).toEqual({
      kind: null,
      errorCode: 'GATE_FAILED',
      minAgeHours: 0,
    });
  });
});
