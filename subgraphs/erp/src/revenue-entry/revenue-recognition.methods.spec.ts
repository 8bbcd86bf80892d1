import { decimal, toAmount } from '@concord/common';
import { asDelivered, daysIncluded, milestones, percentComplete, straightLine } from './revenue-recognition.methods';

describe('revenue recognition methods', () => {
  it('should count calendar days with both ends included, across a leap day', () => {
    expect([
      daysIncluded('2024-02-01', '2024-02-29'),
      daysIncluded('2025-01-01', '2025-12-31'),
      daysIncluded('2025-03-02', '2025-03-01'),
    ]).toEqual([29, 365, 0]);
  });

  it('should spread a straight-line amount per day, half-even, with the last period taking the remainder', () => {
    // 1000.00 over 2025-01-01..2025-03-31 (90 days): January is 31 days = 344.444… → 344.44
    const january = straightLine('1000', '2025-01-01', '2025-03-31', '2025-01-31');
    const february = straightLine('1000', '2025-01-01', '2025-03-31', '2025-02-28');
    const march = straightLine('1000', '2025-01-01', '2025-03-31', '2025-03-31');
    const later = straightLine('1000', '2025-01-01', '2025-03-31', '2025-06-30');

    expect([january, february, march, later].map((value) => toAmount(value))).toEqual(['344.44', '655.56', '1000.00', '1000.00']);
  });

  it('should round a straight-line half cent to even', () => {
    // 0.05 over 2 days: one day is 0.025 → 0.02 (half-even), not 0.03
    expect(toAmount(straightLine('0.05', '2025-01-31', '2025-02-01', '2025-01-31'))).toBe('0.02');
  });

  it('should take percent complete of the amount, half-even, never below the previous nor above the amount', () => {
    expect(toAmount(percentComplete(decimal(0), '1000.01', '33.5'))).toBe('335.00'); // 335.00335
    expect(toAmount(percentComplete(decimal(0), '0.10', '25'))).toBe('0.02'); // 0.025 → 0.02
    expect(toAmount(percentComplete(decimal('500'), '1000', '40'))).toBe('500.00');
    expect(toAmount(percentComplete(decimal('500'), '1000', '100'))).toBe('1000.00');
  });

  it('should add delivered work up to the cap, and never take back revenue above a cap lowered later', () => {
    expect(toAmount(asDelivered(decimal('100'), decimal('50.55'), null))).toBe('150.55');
    expect(toAmount(asDelivered(decimal('900'), decimal('250'), '1000'))).toBe('1000.00');
    expect(toAmount(asDelivered(decimal('1200'), decimal('10'), '1000'))).toBe('1200.00');
  });

  it('should cap accepted milestones at the line amount', () => {
    expect(
      [milestones(decimal('600'), '1000'), milestones(decimal('1200'), '1000'), milestones(decimal('50'), null)].map((value) =>
        toAmount(value),
      ),
    ).toEqual(['600.00', '1000.00', '50.00']);
  });
});
