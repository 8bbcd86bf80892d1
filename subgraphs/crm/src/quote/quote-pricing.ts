import { BadInputError, decimal, toAmount } from '@concord/common';
import { BillingModel, HOURLY_BILLING_MODELS } from '../common/billing-model.enum';

/** The priced terms of a quote line, as decimal strings. */
export interface LineTerms {
  billingModel: BillingModel;
  hours: string | null;
  quantity: string | null;
  unitRate: string;
  discountPct: string;
  milestoneName: string | null;
  milestoneDate: string | null;
}

/** The rule a refused quote line broke, in `extensions.rule` next to BAD_USER_INPUT. */
export enum QuoteLineRule {
  HOURS_REQUIRED = 'HOURS_REQUIRED',
  QUANTITY_REQUIRED = 'QUANTITY_REQUIRED',
  MILESTONE_NAME_REQUIRED = 'MILESTONE_NAME_REQUIRED',
  MILESTONE_ONLY_ON_MILESTONE_LINES = 'MILESTONE_ONLY_ON_MILESTONE_LINES',
}

/** TM and RETAINER lines are priced by hours, FIXED and MILESTONE lines by quantity; milestone fields only on MILESTONE lines. */
export function assertLineTerms(terms: LineTerms): void {
  const hourly = HOURLY_BILLING_MODELS.includes(terms.billingModel);
  if (hourly && (terms.hours === null || terms.quantity !== null)) {
    throw new BadInputError(`a ${terms.billingModel} line is priced by hours: give hours and no quantity`, {
      rule: QuoteLineRule.HOURS_REQUIRED,
      field: 'hours',
    });
  }
  if (!hourly && (terms.quantity === null || terms.hours !== null)) {
    throw new BadInputError(`a ${terms.billingModel} line is priced by quantity: give quantity and no hours`, {
      rule: QuoteLineRule.QUANTITY_REQUIRED,
      field: 'quantity',
    });
  }
  if (terms.billingModel === BillingModel.MILESTONE && !terms.milestoneName) {
    throw new BadInputError('a MILESTONE line needs the milestoneName it bills on', {
      rule: QuoteLineRule.MILESTONE_NAME_REQUIRED,
      field: 'milestoneName',
    });
  }
  if (terms.billingModel !== BillingModel.MILESTONE && (terms.milestoneName !== null || terms.milestoneDate !== null)) {
    throw new BadInputError('milestoneName and milestoneDate are only for MILESTONE lines', {
      rule: QuoteLineRule.MILESTONE_ONLY_ON_MILESTONE_LINES,
      field: 'milestoneName',
    });
  }
}

/** (hours or quantity) × unitRate × (1 − discountPct / 100), in decimals, rounded to cents (half-even). */
export function lineAmount(terms: LineTerms): string {
  const measure = HOURLY_BILLING_MODELS.includes(terms.billingModel) ? terms.hours : terms.quantity;
  const factor = decimal(1).minus(decimal(terms.discountPct).div(100));
  return toAmount(
    decimal(measure ?? 0)
      .times(terms.unitRate)
      .times(factor),
    2,
  );
}
