import { render, screen } from '@testing-library/react';
import { consumedPct } from '../screens/Client360';
import { cents, formatAmount, Money, MoneyList } from './Money';

describe('money display', () => {
  it.each([
    ['1234567.5', '1,234,567.50'],
    ['0', '0.00'],
    ['-98765.4321', '−98,765.4321'],
    ['100', '100.00'],
    ['999.99', '999.99'],
  ])('should group %s as %s without turning it into a float', (amount, shown) => {
    expect(formatAmount(amount)).toBe(shown);
  });

  it('should read amounts as integer cents, exactly', () => {
    expect(cents('12345678901234567.89')).toBe(1234567890123456789n);
    expect(cents('-0.5')).toBe(-50n);
    expect(cents('7')).toBe(700n);
  });

  it('should give the consumed share of a contract as a whole percent between 0 and 100', () => {
    expect(consumedPct({ amount: '404817.20', currency: 'USD' }, { amount: '549150.00', currency: 'USD' })).toBe(73);
    expect(consumedPct({ amount: '600', currency: 'EUR' }, { amount: '500', currency: 'EUR' })).toBe(100);
    expect(consumedPct({ amount: '10', currency: 'EUR' }, { amount: '0', currency: 'EUR' })).toBe(0);
  });

  it('should show a withheld figure as withheld, never as zero or a dash', () => {
    render(
      <>
        <Money value={null} withheld what="margin" />
        <Money value={null} />
        <MoneyList
          values={[
            { amount: '10', currency: 'EUR' },
            { amount: '2.5', currency: 'USD' },
          ]}
        />
      </>,
    );

    expect(screen.getByLabelText('withheld: your role may not see margin').textContent).toBe('withheld');
    expect(screen.getByText('—')).toBeTruthy();
    expect(document.body.textContent).toContain('10.00 EUR');
    expect(document.body.textContent).toContain('2.50 USD');
  });
});
