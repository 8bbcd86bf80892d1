import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { noFloatMoneyRules } from '../../no-float-money.mjs';

/** The lines the services' no-float-money lint flags in `code`. */
function flaggedLines(code: string): number[] {
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(
    code,
    [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser as Linter.Parser }, rules: noFloatMoneyRules }],
    'sut.service.ts',
  );
  return messages.map((message) => message.line);
}

describe('no-float-money lint (eslint.config.mjs, subgraphs/*/src)', () => {
  it('should flag parseFloat, Number() and unary + of amounts, and Decimal#toNumber', () => {
    const code = [
      'const a = parseFloat(invoice.totalAmount);', // 1
      'const b = Number.parseFloat(row.amount);', // 2
      'const c = Number(line.amountAmount);', // 3
      'const d = Number(billRate);', // 4
      'const e = +entry.costAmount;', // 5
      'const f = decimal(x).toNumber();', // 6
      'const g = Number(project.marginPct);', // 7
    ].join('\n');

    expect(flaggedLines(code)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('should leave counts, versions and decimal arithmetic alone', () => {
    const code = [
      'const a = Number(row.count);',
      'const b = Number(version);',
      'const c = Number.parseInt(limit, 10);',
      'const d = decimal(invoice.totalAmount).plus(tax).toFixed(2);',
      'const e = +row.hours > 0;',
    ].join('\n');

    expect(flaggedLines(code)).toEqual([]);
  });
});
