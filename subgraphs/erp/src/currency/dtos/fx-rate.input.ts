import { ArgsType, Field, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsOptional, ValidateNested } from 'class-validator';
import { CurrencyField, DecimalField, IsoDateField, PageArgs, SortDirection } from '@concord/graphql';
import { AMOUNT, RATE } from '../../common/validators';

@InputType()
export class CreateFxRateInput {
  @CurrencyField()
  fromCurrency: string;

  @CurrencyField()
  toCurrency: string;

  @IsoDateField({ description: 'ISO date (YYYY-MM-DD) the rate applies from.' })
  date: string;

  @DecimalField(RATE, { description: '1 fromCurrency = rate toCurrency; positive decimal string, at most 6 decimals.' })
  rate: string;
}

@InputType()
export class UpdateFxRateInput {
  @DecimalField(RATE, { description: 'Corrected rate; positive decimal string, at most 6 decimals.' })
  rate: string;
}

@InputType()
export class FxRateFilter {
  @CurrencyField({ nullable: true })
  fromCurrency?: string;

  @CurrencyField({ nullable: true })
  toCurrency?: string;

  @IsoDateField({ nullable: true, description: 'Rates dated on or after this ISO date.' })
  dateFrom?: string;

  @IsoDateField({ nullable: true, description: 'Rates dated on or before this ISO date.' })
  dateTo?: string;
}

export enum FxRateSortField {
  DATE = 'date',
}
registerEnumType(FxRateSortField, { name: 'FxRateSortField' });

@InputType()
export class FxRateOrder {
  @Field(() => FxRateSortField)
  @IsEnum(FxRateSortField)
  field: FxRateSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.DESC })
  @IsEnum(SortDirection)
  direction: SortDirection;
}

@ArgsType()
export class FxRatesArgs extends PageArgs {
  @Field(() => FxRateFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => FxRateFilter)
  filter?: FxRateFilter;

  @Field(() => FxRateOrder, { nullable: true, description: 'Default: date descending (latest first).' })
  @IsOptional()
  @ValidateNested()
  @Type(() => FxRateOrder)
  orderBy?: FxRateOrder;
}

/** Arguments of the `fxRate` lookup: which pair, on which day. */
@ArgsType()
export class FxRateLookupArgs {
  @CurrencyField()
  from: string;

  @CurrencyField()
  to: string;

  @IsoDateField({ description: 'ISO date (YYYY-MM-DD): the latest rate on or before it applies.' })
  date: string;
}

@ArgsType()
export class FxConvertArgs extends FxRateLookupArgs {
  @DecimalField(AMOUNT, { description: 'Non-negative decimal string, at most 2 decimals.' })
  amount: string;
}
