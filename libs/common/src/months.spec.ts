import { assertMonthRange, monthsBetween } from './months';

describe('monthsBetween', () => {
  it('should count both ends, across a year', () => {
    expect(monthsBetween('2030-11', '2031-02')).toBe(4);
    expect(monthsBetween('2031-03', '2031-03')).toBe(1);
    expect(monthsBetween('2031-04', '2031-03')).toBe(0);
  });
});

describe('assertMonthRange', () => {
  it('should accept up to the maximum length and refuse one month more', () => {
    expect(() => assertMonthRange('2031-01', '2033-12')).not.toThrow();
    expect(() => assertMonthRange('2031-01', '2034-01')).toThrow('a range covers at most 36 months');
  });

  it('should refuse a backwards range and a month not written YYYY-MM', () => {
    expect(() => assertMonthRange('2031-05', '2031-04')).toThrow('from must be on or before to');
    expect(() => assertMonthRange('2031-13', '2031-12')).toThrow('from must be a month written YYYY-MM');
    expect(() => assertMonthRange('2031-01', '31-02')).toThrow('to must be a month written YYYY-MM');
  });
});
