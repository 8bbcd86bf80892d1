import { ConcordError } from '@concord/common';
import { BillingModel } from '../common/billing-model.enum';
import { assertLineTerms, lineAmount, type LineTerms } from './quote-pricing';

const line = (overrides: Partial<LineTerms>): LineTerms => ({
  billingModel: BillingModel.FIXED,
  hours: null,
  quantity: '1',
  unitRate: '0',
  discountPct: '0',
  milestoneName: null,
  milestoneDate: null,
  ...overrides,
});

describe('lineAmount', () => {
  it('should price quantity × rate less the discount in decimals, rounded to cents', () => {
    expect(lineAmount(line({ quantity: '3', unitRate: '33.33', discountPct: '10' }))).toBe('89.99');
  });

  it('should price hourly lines by hours, not quantity', () => {
    expect(lineAmount(line({ billingModel: BillingModel.TM, hours: '7.5', quantity: null, unitRate: '120.125' }))).toBe('900.94');
    expect(lineAmount(line({ billingModel: BillingModel.RETAINER, hours: '0.1', quantity: null, unitRate: '0.2' }))).toBe('0.02');
  });

  it('should round half to even at the cent', () => {
    expect(lineAmount(line({ quantity: '1', unitRate: '0.125' }))).toBe('0.12');
    expect(lineAmount(line({ quantity: '1', unitRate: '0.135' }))).toBe('0.14');
  });

  it('should price a full discount at zero and keep large amounts exact', () => {
    expect(lineAmount(line({ quantity: '2', unitRate: '500', discountPct: '100' }))).toBe('0.00');
    expect(lineAmount(line({ quantity: '99999999.99', unitRate: '999999.999999' }))).toBe('99999999989900.00');
  });
});

describe('assertLineTerms', () => {
  const ruleOf = (terms: LineTerms) => {
    try {
      assertLineTerms(terms);
      return 'OK';
    } catch (error) {
      return (error as ConcordError).details.rule;
    }
  };

  it('should accept complete lines of every billing model', () => {
    expect(ruleOf(line({ billingModel: BillingModel.TM, hours: '1', quantity: null }))).toBe('OK');
    expect(ruleOf(line({ billingModel: BillingModel.RETAINER, hours: '1', quantity: null }))).toBe('OK');
    expect(ruleOf(line({ billingModel: BillingModel.FIXED }))).toBe('OK');
    expect(ruleOf(line({ billingModel: BillingModel.MILESTONE, milestoneName: 'Go-live', milestoneDate: '2026-05-01' }))).toBe('OK');
  });

  it('should not accept an hourly line without hours or with a quantity', () => {
    expect(ruleOf(line({ billingModel: BillingModel.TM, hours: null, quantity: null }))).toBe('HOURS_REQUIRED');
    expect(ruleOf(line({ billingModel: BillingModel.TM, hours: '1', quantity: '1' }))).toBe('HOURS_REQUIRED');
  });

  it('should not accept a fixed or milestone line priced by hours', () => {
    expect(ruleOf(line({ billingModel: BillingModel.FIXED, hours: '1', quantity: null }))).toBe('QUANTITY_REQUIRED');
    expect(ruleOf(line({ billingModel: BillingModel.MILESTONE, hours: '1', quantity: '1', milestoneName: 'x' }))).toBe('QUANTITY_REQUIRED');
  });

  it('should require a milestone name on milestone lines only', () => {
    expect(ruleOf(line({ billingModel: BillingModel.MILESTONE }))).toBe('MILESTONE_NAME_REQUIRED');
    expect(ruleOf(line({ billingModel: BillingModel.FIXED, milestoneName: 'Go-live' }))).toBe('MILESTONE_ONLY_ON_MILESTONE_LINES');
  });
});
