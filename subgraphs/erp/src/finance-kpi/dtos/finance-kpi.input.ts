import { ArgsType } from '@nestjs/graphql';
import { CurrencyField, IdField, IsoDateField } from '@concord/graphql';

/** The period of every finance KPI: an inclusive ISO date range (the same shape on the portfolio and on entities). */
@ArgsType()
export class KpiPeriodArgs {
  @IsoDateField({ description: 'First day of the period (ISO date, inclusive).' })
  from: string;

  @IsoDateField({ description: 'Last day of the period (ISO date, inclusive); balances (AR, ageing, backlog, WIP) are as of this day.' })
  to: string;
}

@ArgsType()
export class FinanceKpisArgs extends KpiPeriodArgs {
  @IdField({ nullable: true, description: 'Only this legal entity; its figures are then also given in its functional currency.' })
  legalEntityId?: string;

  @CurrencyField({ nullable: true, description: 'Only rows in this ISO-4217 currency.' })
  currency?: string;
}
