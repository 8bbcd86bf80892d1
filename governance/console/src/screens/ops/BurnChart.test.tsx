import { render, screen } from '@testing-library/react';
import { BurnChart } from './BurnChart';
import type { BurnPair } from './queries';

function pair(overrides: Partial<BurnPair>): BurnPair {
  return {
    severity: 'PAGE',
    factor: 14.4,
    longWindowMinutes: 60,
    shortWindowMinutes: 5,
    longBurnRate: 0,
    shortBurnRate: 0,
    longEvents: 1_000,
    shortEvents: 100,
    firing: false,
    lowTraffic: false,
    description: '',
    ...overrides,
  };
}

describe('BurnChart', () => {
  it('should draw each pair with its windows, its threshold and both burns, marking the burns over the threshold', () => {
    const { container } = render(
      <BurnChart
        pairs={[
          pair({ longBurnRate: 20, shortBurnRate: 31.5, firing: true }),
          pair({ severity: 'PAGE', factor: 6, longWindowMinutes: 360, shortWindowMinutes: 30, longBurnRate: 3.3, shortBurnRate: 8 }),
          pair({ severity: 'TICKET', factor: 1, longWindowMinutes: 4_320, shortWindowMinutes: 360, longBurnRate: 0.2, shortBurnRate: 0.5 }),
        ]}
      />,
    );

    expect(screen.getByRole('img', { name: /burn rate of each window pair/i })).toBeTruthy();
    const first = screen.getByTestId('pair-0');
    expect(first.getAttribute('class')).toContain('firing');
    expect(first.textContent).toContain('1 h / 5 min');
    expect(first.textContent).toContain('page above 14.4×');
    expect(first.textContent).toContain('20×');
    expect(first.textContent).toContain('31.5×');
    // the 6 h pair: only its short window is over 6×
    const second = screen.getByTestId('pair-1');
    expect(second.getAttribute('class')).not.toContain('firing');
    expect([...second.querySelectorAll('rect')].map((bar) => bar.getAttribute('class'))).toEqual(['burn-bar', 'burn-bar over']);
    expect(screen.getByTestId('pair-2').textContent).toContain('ticket above 1×');
    expect(container.querySelectorAll('line.burn-threshold')).toHaveLength(3);
  });

  it('should place a larger burn further right, on one scale for every pair', () => {
    render(<BurnChart pairs={[pair({ longBurnRate: 2, shortBurnRate: 40 })]} />);
    const [long, short] = [...screen.getByTestId('pair-0').querySelectorAll('rect')].map((bar) => Number(bar.getAttribute('width')));

    expect(short).toBeGreaterThan(long);
    expect(long).toBeGreaterThan(1);
  });

  it('should say so when there are no pairs', () => {
    render(<BurnChart pairs={[]} />);

    expect(screen.getByText('No burn-rate pairs.')).toBeTruthy();
  });
});
