import { validateSync } from 'class-validator';
import { CurrencyField, DecimalField, IdField, IsoDateField, PercentField } from './input-fields';

class SampleInput {
  @IdField()
  id: string;

  @IsoDateField({ nullable: true })
  date?: string | null;

  @IsoDateField({ nullable: true, check: 'shape' })
  shapeOnly?: string | null;

  @CurrencyField()
  currency: string;

  @DecimalField({ integerDigits: 3, places: 2 }, { nullable: true })
  amount?: string | null;

  @DecimalField({ integerDigits: 3, places: 2, signed: true }, { nullable: true })
  delta?: string | null;

  @PercentField(2, { nullable: true })
  pct?: string | null;
}

function problems(values: Partial<SampleInput>): string[] {
  const input = Object.assign(new SampleInput(), { id: '01939fb1-79a4-7d4d-8c4e-0b1a2b3c4d5e', currency: 'EUR' }, values);
  return validateSync(input).flatMap((error) => Object.values(error.constraints ?? {}));
}

describe('input fields', () => {
  it('should accept a valid input and skip absent optional fields', () => {
    expect(problems({})).toEqual([]);
    expect(problems({ date: '2024-02-29', shapeOnly: '2025-02-30', amount: '999.99', delta: '-1.5', pct: '100.00' })).toEqual([]);
  });

  it('should name each refused field in its message', () => {
    expect(
      problems({ id: 'x', date: '2025-02-30', shapeOnly: '2025-13-01', currency: 'eur', amount: '-1', delta: '1.234', pct: '100.5' }),
    ).toEqual([
      'id must be a UUID',
      'date must be an ISO date (YYYY-MM-DD)',
      'shapeOnly must be an ISO date (YYYY-MM-DD)',
      'currency must be an ISO-4217 code such as EUR',
      'amount must be a non-negative decimal string with at most 2 decimals',
      'delta must be a decimal string with at most 2 decimals',
      'pct must be a percentage from 0 to 100 with at most 2 decimals',
    ]);
  });

  it('should refuse null for a required field', () => {
    expect(problems({ currency: null as unknown as string })).toEqual(['currency must be an ISO-4217 code such as EUR']);
  });
});
