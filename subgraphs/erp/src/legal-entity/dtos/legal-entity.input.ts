import { ArgsType, Field, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsOptional, IsString, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { CurrencyField, PageArgs, SortDirection } from '@concord/graphql';

const CODE = /^[A-Z0-9][A-Z0-9_-]{1,31}$/;
const COUNTRY = /^[A-Z]{2}$/;

@InputType()
export class CreateLegalEntityInput {
  @Field({ description: 'Unique code: upper-case letters, digits, "-" or "_" (2-32 characters).' })
  @Matches(CODE, { message: 'code must be 2-32 upper-case letters, digits, "-" or "_"' })
  code: string;

  @Field()
  @IsString()
  @Length(1, 200)
  name: string;

  @Field({ description: 'ISO-3166 alpha-2 country code.' })
  @Matches(COUNTRY, { message: 'country must be an ISO-3166 alpha-2 code such as FR' })
  country: string;

  @CurrencyField({ description: 'ISO-4217 functional currency.' })
  functionalCurrency: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  taxId?: string | null;
}

@InputType()
export class UpdateLegalEntityInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(CODE, { message: 'code must be 2-32 upper-case letters, digits, "-" or "_"' })
  code?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(COUNTRY, { message: 'country must be an ISO-3166 alpha-2 code such as FR' })
  country?: string;

  @CurrencyField({ nullable: true })
  functionalCurrency?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  taxId?: string | null;
}

@InputType()
export class LegalEntityFilter {
  @Field(() => String, { nullable: true, description: 'Case-insensitive substring of the name or the code.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(COUNTRY, { message: 'country must be an ISO-3166 alpha-2 code such as FR' })
  country?: string;

  @CurrencyField({ nullable: true })
  functionalCurrency?: string;
}

export enum LegalEntitySortField {
  CODE = 'code',
  NAME = 'name',
}
registerEnumType(LegalEntitySortField, { name: 'LegalEntitySortField' });

@InputType()
export class LegalEntityOrder {
  @Field(() => LegalEntitySortField)
  @IsEnum(LegalEntitySortField)
  field: LegalEntitySortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  @IsEnum(SortDirection)
  direction: SortDirection;
}

@ArgsType()
export class LegalEntitiesArgs extends PageArgs {
  @Field(() => LegalEntityFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => LegalEntityFilter)
  filter?: LegalEntityFilter;

  @Field(() => LegalEntityOrder, { nullable: true, description: 'Default: code ascending.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => LegalEntityOrder)
  orderBy?: LegalEntityOrder;
}
