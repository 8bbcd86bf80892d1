import { registerEnumType } from '@nestjs/graphql';

/** How work is charged (DOMAIN.md §1): time and materials, fixed fee, fixed fee by milestones, or a retainer. */
export enum BillingModel {
  TM = 'TM',
  FIXED = 'FIXED',
  MILESTONE = 'MILESTONE',
  RETAINER = 'RETAINER',
}
registerEnumType(BillingModel, {
  name: 'BillingModel',
  description: 'TM = time and materials, FIXED = fixed fee, MILESTONE = fixed fee billed by milestone, RETAINER = prepaid hours.',
});

/** Billing models priced by hours (the others by quantity). */
export const HOURLY_BILLING_MODELS: readonly BillingModel[] = [BillingModel.TM, BillingModel.RETAINER];
