import { ArgsType, Field, ID, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsOptional, IsString, IsUUID, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { IsIsoDate, PageArgs, SortDirection } from '@concord/graphql';
import { CURRENCY } from '@concord/common';
import { RATE } from '../../common/validators';

@InputType()
export class CreateRateCardInput {
  @Field()
  @IsString()
  @Length(1, 200)
  name: string;

  @Field({ description: 'ISO-4217 currency of every rate on the card.' })
  @Matches(CURRENCY, { message: 'currency must be an ISO-4217 code such as EUR' })
  currency: string;

  @Field({ description: 'ISO date (YYYY-MM-DD), inclusive.' })
  @IsIsoDate()
  effectiveFrom: string;

  @Field(() => String, { nullable: true, description: 'ISO date (YYYY-MM-DD), inclusive; null = open-ended.' })
  @IsOptional()
  @IsIsoDate()
  effectiveTo?: string | null;
}

@InputType()
export class UpdateRateCardInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @Field(() => String, { nullable: true, description: 'Changing it re-labels every line of the card.' })
  @IsOptional()
  @Matches(CURRENCY, { message: 'currency must be an ISO-4217 code such as EUR' })
  currency?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsIsoDate()
  effectiveFrom?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsIsoDate()
  effectiveTo?: string | null;
}

@InputType()
export class CreateRateCardLineInput {
  @Field(() => ID)
  @IsUUID()
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

  @Field({ description: 'Hourly bill rate in the card currency, decimal string, at most 6 decimals.' })
  @Matches(RATE, { message: 'billRate must be a non-negative decimal string with at most 6 decimals' })
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

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(RATE, { message: 'billRate must be a non-negative decimal string with at most 6 decimals' })
  billRate?: string;
}

@InputType()
export class RateCardFilter {
  @Field(() => String, { nullable: true, description: 'Case-insensitive substring of the name.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  nameContains?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(CURRENCY, { message: 'currency must be an ISO-4217 code such as EUR' })
  currency?: string;

  @Field(() => String, { nullable: true, description: 'Only cards effective on this ISO date.' })
  @IsOptional()
  @IsIsoDate()
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
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
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
  @Field(() => ID)
  @IsUUID()
  rateCardId: string;

  @Field()
  @IsString()
  @Length(1, 100)
  role: string;

  @Field({ description: 'ISO date the rate is needed for; the card must be effective on it.' })
  @IsIsoDate()
  date: string;

  @Field(() => String, { nullable: true, description: "Prefer the role's rate for this activity, else its general rate." })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  activity?: string;
}
