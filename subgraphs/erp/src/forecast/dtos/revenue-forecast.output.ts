import { ArgsType, Directive, Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Matches } from 'class-validator';
import { ISO_MONTH } from '@concord/common';
import { Money } from '@concord/graphql';

/** What a revenue forecast adds up: one project, one client, one legal entity, or everything. */
export enum RevenueForecastScope {
  PORTFOLIO = 'PORTFOLIO',
  PROJECT = 'PROJECT',
  CLIENT = 'CLIENT',
  LEGAL_ENTITY = 'LEGAL_ENTITY',
}
registerEnumType(RevenueForecastScope, { name: 'RevenueForecastScope' });

/** The scope id of the PORTFOLIO forecast (every scope key needs an id). */
export const PORTFOLIO_SCOPE_ID = 'portfolio';

@ArgsType()
export class RevenueForecastArgs {
  @Field({ description: 'First month, YYYY-MM (inclusive).' })
  @Matches(ISO_MONTH, { message: 'from must be a month written YYYY-MM' })
  from: string;

  @Field({ description: 'Last month, YYYY-MM (inclusive; at most 36 months after from).' })
  @Matches(ISO_MONTH, { message: 'to must be a month written YYYY-MM' })
  to: string;
}

/** One month's figure of one part of the forecast, in one currency (the same type in CRM, ERP and PSA). */
@ObjectType('RevenueForecastPart', { description: 'One part of a revenue forecast for one month in one currency.' })
@Directive('@shareable')
export class RevenueForecastPart {
  @Field({ description: 'Month, YYYY-MM.' })
  period: string;

  @Field()
  currency: string;

  @Field(() => Money, { description: 'Exact sum, rounded to the currency cents once, at the end (half-even).' })
  amount: Money;
}

/**
 * A monthly revenue forecast of one scope over a month range, computed at read time from current data (so it is
 * fresh after every change order, approved timesheet and stage change). Each system adds its part: PSA the T&M
 * part, ERP the fixed-fee part and the monthly totals, CRM the weighted pipeline.
 */
/** One month of a revenue forecast in one currency: the three parts and their total. */
@ObjectType('RevenueForecastMonth', {
  description:
    'One month of a revenue forecast in one currency: T&M + fixed fee (the weighted pipeline is the forecast’s weightedPipeline).',
})
export class RevenueForecastMonth {
  @Field({ description: 'Month, YYYY-MM.' })
  period: string;

  @Field()
  currency: string;

  @Field(() => Money, { description: "PSA's T&M part." })
  timeAndMaterials: Money;

  @Field(() => Money, { description: "ERP's fixed-fee and milestone part." })
  fixedFee: Money;

  @Field(() => Money, { description: 'timeAndMaterials + fixedFee (each already rounded to cents).' })
  total: Money;
}

/**
 * The revenue forecast as the ERP sees it (see PSA's RevenueForecast): ERP adds the fixed-fee part and the monthly
 * totals, which @require PSA's T&M part and the project's contract and CRM's weighted pipeline.
 */
@ObjectType('RevenueForecast', {
  description: 'Monthly revenue forecast of a project, client, legal entity or the portfolio, per currency, computed at read time.',
})
@Directive('@key(fields: "scope scopeId from to")')
export class RevenueForecast {
  @Field(() => RevenueForecastScope)
  scope: RevenueForecastScope;

  @Field(() => ID, { description: 'Id of the project, client or legal entity; "portfolio" for the portfolio.' })
  scopeId: string;

  @Field({ description: 'First month, YYYY-MM.' })
  from: string;

  @Field({ description: 'Last month, YYYY-MM.' })
  to: string;

  @Field(() => ID, { nullable: true })
  @Directive('@external')
  projectContractId?: string | null;

  @Field(() => [RevenueForecastPart], { nullable: true })
  @Directive('@external')
  timeAndMaterials?: RevenueForecastPart[] | null;
}
