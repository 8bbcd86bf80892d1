import { ArgsType, Field, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { CurrencyField, PageArgs, SortDirection } from '@concord/graphql';
import { CURRENCY } from '@concord/common';

@InputType()
export class CreateCurrencyInput {
  @CurrencyField({ description: 'ISO-4217 code, e.g. "EUR".' })
  code: string;

  @Field()
  @IsString()
  @Length(1, 100)
  name: string;

  @Field(() => Int, { nullable: true, description: 'Minor-unit decimals, 0 to 6 (default 2).' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(6)
  decimals?: number;
}

/** The code is not editable: FX rates reference it. */
@InputType()
export class UpdateCurrencyInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  name?: string;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(6)
  decimals?: number;
}

@InputType()
export class CurrencyFilter {
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @Matches(CURRENCY, { each: true, message: 'codeIn must hold ISO-4217 codes such as EUR' })
  codeIn?: string[];
}

export enum CurrencySortField {
  CODE = 'code',
}
registerEnumType(CurrencySortField, { name: 'CurrencySortField' });

@InputType()
export class CurrencyOrder {
  @Field(() => CurrencySortField)
  @IsEnum(CurrencySortField)
  field: CurrencySortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  @IsEnum(SortDirection)
  direction: SortDirection;
}

@ArgsType()
export class CurrenciesArgs extends PageArgs {
  @Field(() => CurrencyFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => CurrencyFilter)
  filter?: CurrencyFilter;

  @Field(() => CurrencyOrder, { nullable: true, description: 'Default: code ascending.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CurrencyOrder)
  orderBy?: CurrencyOrder;
}
