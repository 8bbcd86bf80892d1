import { forecastVersusActual, lastMonths, portfolioQuery } from './portfolio-figures';

describe('portfolio figures', () => {
  it('should list the last months oldest first, each with its first and last day, across a year end', () => {
    const months = lastMonths(3, new Date('2026-02-14T12:00:00Z'));

    expect(months).toEqual([
      { month: '2025-12', from: '2025-12-01', to: '2025-12-31' },
      { month: '2026-01', from: '2026-01-01', to: '2026-01-31' },
      { month: '2026-02', from: '2026-02-01', to: '2026-02-28' },
    ]);
  });

  it('should ask every month in one operation, one alias pair per month', () => {
    const query = portfolioQuery(lastMonths(2, new Date('2026-02-14T12:00:00Z')));

    expect(query).toContain('f0: financeKpis(from: $from0, to: $to0)');
    expect(query).toContain('d1: deliveryKpis(from: $from1, to: $to1)');
    expect(query).toContain('$firstMonth: String!, $lastMonth: String!');
    expect(query.match(/financeKpis/g)).toHaveLength(2);
  });

  it('should add forecast and actual per month in one currency only, exactly in cents', () => {
    const sums = forecastVersusActual(
      [
        {
          month: '2026-01',
          projects: [
            { currency: 'EUR', forecast: { amount: '0.10' }, actual: { amount: '0.20' } },
            { currency: 'EUR', forecast: { amount: '0.20' }, actual: { amount: '0.10' } },
            { currency: 'USD', forecast: { amount: '999.00' }, actual: { amount: '1.00' } },
          ],
        },
        { month: '2026-02', projects: [] },
      ],
      'EUR',
    );

    expect(sums.get('2026-01')).toEqual({ forecast: 30n, actual: 30n });
    expect(sums.get('2026-02')).toEqual({ forecast: 0n, actual: 0n });
  });
});
