import { BadInputError } from '@concord/common';
import { assertKpiRange, daysBetween, percentOf, weekdaysBetween } from './kpi-math';

describe('kpi-math', () => {
  it('should count the weekdays of a range, both ends included', () => {
    // 2025-03-03 is a Monday
    expect(weekdaysBetween('2025-03-03', '2025-03-09')).toBe(5);
    expect(weekdaysBetween('2025-03-01', '2025-03-31')).toBe(21);
    expect(weekdaysBetween('2025-03-08', '2025-03-09')).toBe(0);
    expect(weekdaysBetween('2025-03-07', '2025-03-10')).toBe(2);
    expect(weekdaysBetween('2025-03-05', '2025-03-05')).toBe(1);
  });

  it('should count days between dates across a month end', () => {
    expect(daysBetween('2025-02-27', '2025-03-02')).toBe(3);
  });

  it('should give null for a percentage of nothing and round to 2 decimals otherwise', () => {
    expect(percentOf('1', '0')).toBeNull();
    expect(percentOf('2', '3')).toBe('66.67');
  });

  it('should refuse a range that ends first or spans more than a year', () => {
    expect(() => assertKpiRange('2025-03-02', '2025-03-01')).toThrow(BadInputError);
    expect(() => assertKpiRange('2025-01-01', '2026-01-02')).toThrow(BadInputError);
    expect(() => assertKpiRange('2024-01-01', '2024-12-31')).not.toThrow();
  });
});
