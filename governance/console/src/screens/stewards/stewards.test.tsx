import { ageLabel } from './ExceptionQueue';
import { matrixRows } from './OwnershipMatrix';

describe('matrixRows', () => {
  it('should give one row per entity and per field exception, with the last applied change of that rule', () => {
    const change = {
      id: 'c1',
      entity: 'TimeEntry',
      field: 'hours',
      ownerBefore: 'psa',
      ownerAfter: 'erp',
      requestedBy: 'steward-ann',
      approvedBy: 'steward-bob',
      decidedAt: '2026-12-01T10:00:00.000Z',
      bundleVersion: 4,
      reason: 'timesheets',
    };

    const rows = matrixRows(
      [{ entity: 'TimeEntry', owner: 'psa', approvalRequired: false, fields: [{ field: 'hours', owner: 'erp' }] }],
      [change],
    );

    expect(rows).toEqual([
      { entity: 'TimeEntry', field: null, owner: 'psa', approvalRequired: false, last: null },
      { entity: 'TimeEntry', field: 'hours', owner: 'erp', approvalRequired: false, last: change },
    ]);
  });
});

describe('ageLabel', () => {
  it('should read minutes, hours, then days', () => {
    expect(ageLabel(59)).toBe('0 min');
    expect(ageLabel(3 * 3600 + 5)).toBe('3 h');
    expect(ageLabel(3 * 86_400)).toBe('3 d');
  });
});
