import { decimalPattern, percentPattern } from './formats';

describe('formats', () => {
  it('should accept decimal strings that fit the column and nothing else', () => {
    const amount = decimalPattern({ integerDigits: 3, places: 2 });

    expect(['0', '999', '12.5', '12.50'].map((value) => amount.test(value))).toEqual([true, true, true, true]);
    expect(['1000', '1.234', '-1', '1.', '.5', '1e3', ' 1'].map((value) => amount.test(value))).toEqual(Array(7).fill(false));
  });

  it('should accept a minus only when signed', () => {
    expect([
      decimalPattern({ integerDigits: 3, places: 2, signed: true }).test('-1.5'),
      decimalPattern({ integerDigits: 3, places: 2 }).test('-1.5'),
    ]).toEqual([true, false]);
  });

  it('should accept percentages from 0 to 100 only', () => {
    const percent = percentPattern(2);

    expect(['0', '99.99', '100', '100.00'].map((value) => percent.test(value))).toEqual([true, true, true, true]);
    expect(['100.01', '101', '099', '1.234', '-1'].map((value) => percent.test(value))).toEqual(Array(5).fill(false));
  });
});
