import { ArgsType, Field, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsOptional, IsString, Length, MaxLength, ValidateNested } from 'class-validator';
import { CurrencyField, DecimalField, IdField, IsoDateField, PageArgs, SortDirection } from '@concord/graphql';
import { RATE } from '../../common/validators';

@InputType()
export class CreateRateCardInput {
  @Field()
  @IsString()
  @Length(1, 200)
  name: string;

  @CurrencyField({ description: 'ISO-4217 currency of every rate on the card.' })
  currency: string;

  @IsoDateField({ description: 'ISO date (YYYY-MM-DD), inclusive.' })
  effectiveFrom: string;

  @IsoDateField({ nullable: true, description: 'ISO date (YYYY-MM-DD), inclusive; null = open-ended.' })
  effectiveTo?: string | null;
}

@InputType()
export class UpdateRateCardInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @CurrencyField({ nullable: true, description: 'Changing it re-labels every line of the card.' })
  currency?: string;

  @IsoDateField({ nullable: true })
  effectiveFrom?: string;

  @IsoDateField({ nullable: true })
  effectiveTo?: string | null;
}

@InputType()
export class CreateRateCardLineInput {
  @IdField()
  rateCardId: string;

  @Field()
  @IsString()
  @Length(1, 100)
  role: string;

  @Field(() => String, { nullable: true, description: 'Narrows the rate to one activity; null = any activity of the role.' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  activity?: string | null;

  @DecimalField(RATE, { description: 'Hourly bill rate in the card currency, decimal string, at most 6 decimals.' })
  billRate: string;
}

@InputType()
export class UpdateRateCardLineInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  role?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  activity?: string | null;

  @DecimalField(RATE, { nullable: true })
  billRate?: string;
}

@InputType()
export class RateCardFilter {
  @Field(() => String, { nullable: true, description: 'Case-insensitive substring of the name.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  nameContains?: string;

  @CurrencyField({ nullable: true })
  currency?: string;

  @IsoDateField({ nullable: true, description: 'Only cards effective on this ISO date.' })
  effectiveOn?: string;
}

export enum RateCardSortField {
  NAME = 'name',
  EFFECTIVE_FROM = 'effectiveFrom',
}
registerEnumType(RateCardSortField, { name: 'RateCardSortField' });

@InputType()
export class RateCardOrder {
  @Field(() => RateCardSortField)
  @IsEnum(RateCardSortField)
  field: RateCardSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  @IsEnum(SortDirection)
  direction: SortDirection;
}

@ArgsType()
export class RateCardsArgs extends PageArgs {
  @Field(() => RateCardFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => RateCardFilter)
  filter?: RateCardFilter;

  @Field(() => RateCardOrder, { nullable: true, description: 'Default: name ascending.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => RateCardOrder)
  orderBy?: RateCardOrder;
}

@InputType()
export class RateCardLineFilter {
  @IdField({ nullable: true })
  rateCardId?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  role?: string;
}

export enum RateCardLineSortField {
  CREATED_AT = 'createdAt',
}
registerEnumType(RateCardLineSortField, { name: 'RateCardLineSortField' });

@InputType()
export class RateCardLineOrder {
  @Field(() => RateCardLineSortField)
  @IsEnum(RateCardLineSortField)
  field: RateCardLineSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  @IsEnum(SortDirection)
  direction: SortDirection;
}

@ArgsType()
export class RateCardLinesArgs extends PageArgs {
  @Field(() => RateCardLineFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => RateCardLineFilter)
  filter?: RateCardLineFilter;

  @Field(() => RateCardLineOrder, { nullable: true, description: 'Default: creation ascending.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => RateCardLineOrder)
  orderBy?: RateCardLineOrder;
}

/** Arguments of the `billRate` lookup. */
@ArgsType()
export class BillRateArgs {
  @IdField()
  rateCardId: string;

  @Field()
  @IsString()
  @Length(1, 100)
  role: string;

  @IsoDateField({ description: 'ISO date the rate is needed for; the card must be effective on it.' })
  date: string;

  @Field(() => String, { nullable: true, description: "Prefer the role's rate for this activity, else its general rate." })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  activity?: string;
}
