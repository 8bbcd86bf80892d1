import { ArgsType, Field, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsEnum, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { CurrencyField, IdField, IsoDateField, PageArgs, SortDirection } from '@concord/graphql';
import { QuoteStatus } from '../quote.states';
import { QuoteLineInput } from './quote-line.input';

@InputType()
export class CreateQuoteInput {
  @IdField({ description: 'An open opportunity.' })
  opportunityId: string;

  @IsoDateField({ nullable: true, description: 'YYYY-MM-DD.' })
  validUntil?: string | null;

  @CurrencyField({ nullable: true, description: "ISO-4217; default: the opportunity's currency." })
  currency?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  billingTerms?: string | null;

  @Field(() => [QuoteLineInput], { nullable: true, description: 'Initial lines, in order.' })
  @IsOptional()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => QuoteLineInput)
  lines?: QuoteLineInput[];
}

/** Draft quotes only; the currency is fixed at creation. */
@InputType()
export class UpdateQuoteInput {
  @IsoDateField({ nullable: true, description: 'YYYY-MM-DD; null clears it.' })
  validUntil?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  billingTerms?: string | null;
}

@InputType()
export class QuoteFilter {
  @IdField({ nullable: true })
  opportunityId?: string;

  @Field(() => [QuoteStatus], { nullable: true })
  @IsOptional()
  @IsEnum(QuoteStatus, { each: true })
  statusIn?: QuoteStatus[];
}

export enum QuoteSortField {
  NUMBER = 'number',
  CREATED_AT = 'createdAt',
  TOTAL = 'totalAmount',
}
registerEnumType(QuoteSortField, { name: 'QuoteSortField' });

@InputType()
export class QuoteOrder {
  @Field(() => QuoteSortField)
  @IsEnum(QuoteSortField)
  field: QuoteSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  @IsEnum(SortDirection)
  direction: SortDirection;
}

@ArgsType()
export class QuotesArgs extends PageArgs {
  @Field(() => QuoteFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => QuoteFilter)
  filter?: QuoteFilter;

  @Field(() => QuoteOrder, { nullable: true, description: 'Default: number ascending.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => QuoteOrder)
  orderBy?: QuoteOrder;
}
