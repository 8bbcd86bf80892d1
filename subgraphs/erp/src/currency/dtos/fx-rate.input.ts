import { ArgsType, Field, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsOptional, Matches, ValidateNested } from 'class-validator';
import { IsIsoDate, PageArgs, SortDirection } from '@concord/graphql';
import { CURRENCY } from '@concord/common';
import { AMOUNT, RATE } from '../../common/validators';

@InputType()
export class CreateFxRateInput {
  @Field()
  @Matches(CURRENCY, { message: 'fromCurrency must be an ISO-4217 code such as EUR' })
  fromCurrency: string;

  @Field()
  @Matches(CURRENCY, { message: 'toCurrency must be an ISO-4217 code such as EUR' })
  toCurrency: string;

  @Field({ description: 'ISO date (YYYY-MM-DD) the rate applies from.' })
  @IsIsoDate()
  date: string;

  @Field({ description: '1 fromCurrency = rate toCurrency; positive decimal string, at most 6 decimals.' })
  @Matches(RATE, { message: 'rate must be a positive decimal string with at most 6 decimals' })
  rate: string;
}

@InputType()
export class UpdateFxRateInput {
  @Field({ description: 'Corrected rate; positive decimal string, at most 6 decimals.' })
  @Matches(RATE, { message: 'rate must be a positive decimal string with at most 6 decimals' })
  rate: string;
}

@InputType()
export class FxRateFilter {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(CURRENCY, { message: 'fromCurrency must be an ISO-4217 code such as EUR' })
  fromCurrency?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(CURRENCY, { message: 'toCurrency must be an ISO-4217 code such as EUR' })
  toCurrency?: string;

  @Field(() => String, { nullable: true, description: 'Rates dated on or after this ISO date.' })
  @IsOptional()
  @IsIsoDate()
  dateFrom?: string;

  @Field(() => String, { nullable: true, description: 'Rates dated on or before this ISO date.' })
  @IsOptional()
  @IsIsoDate()
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
  @Field()
  @Matches(CURRENCY, { message: 'from must be an ISO-4217 code such as EUR' })
  from: string;

  @Field()
  @Matches(CURRENCY, { message: 'to must be an ISO-4217 code such as EUR' })
  to: string;

  @Field({ description: 'ISO date (YYYY-MM-DD): the latest rate on or before it applies.' })
  @IsIsoDate()
  date: string;
}

@ArgsType()
export class FxConvertArgs extends FxRateLookupArgs {
  @Field({ description: 'Non-negative decimal string, at most 2 decimals.' })
  @Matches(AMOUNT, { message: 'amount must be a non-negative decimal string with at most 2 decimals' })
  amount: string;
}
