import { addDays, isFirstOfMonth, isIsoDate, lastDayOfMonth, startOfIsoWeek, todayIso, yearOf } from './dates';

describe('dates', () => {
  it.each(['2025-01-31', '2024-02-29', '0001-01-01'])('should accept %s as an ISO date', (value) => {
    expect(isIsoDate(value)).toBe(true);
  });

  it.each(['2025-02-30', '2025-02-29', '2025-13-01', '2025-1-01', '31/01/2025', '', 20250131, null])(
    'should not accept %j as an ISO date',
    (value) => {
      expect(isIsoDate(value)).toBe(false);
    },
  );

  it('should add days across month and year ends', () => {
    expect([addDays('2025-01-31', 1), addDays('2024-12-31', 1), addDays('2025-03-01', -1)]).toEqual([
      '2025-02-01',
      '2025-01-01',
      '2025-02-28',
    ]);
  });

  it('should find the last day of a month and the first of a month', () => {
    expect([lastDayOfMonth('2024-02-10'), lastDayOfMonth('2025-12-01')]).toEqual(['2024-02-29', '2025-12-31']);
    expect([isFirstOfMonth('2025-03-01'), isFirstOfMonth('2025-03-02')]).toEqual([true, false]);
  });

  it('should find the Monday of an ISO week', () => {
    expect([startOfIsoWeek('2025-03-10'), startOfIsoWeek('2025-03-16'), startOfIsoWeek('2025-01-01')]).toEqual([
      '2025-03-10',
      '2025-03-10',
      '2024-12-30',
    ]);
  });

  it('should read today and the year in UTC', () => {
    expect(todayIso(new Date('2025-06-30T23:59:59Z'))).toBe('2025-06-30');
    expect(yearOf('2025-06-30')).toBe(2025);
  });
});
