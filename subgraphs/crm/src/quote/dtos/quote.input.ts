import { ArgsType, Field, ID, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsEnum, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateNested } from 'class-validator';
import { IsIsoDate, PageArgs, SortDirection } from '@concord/graphql';
import { QuoteStatus } from '../quote.states';
import { QuoteLineInput } from './quote-line.input';

const CURRENCY = /^[A-Z]{3}$/;

@InputType()
export class CreateQuoteInput {
  @Field(() => ID, { description: 'An open opportunity.' })
  @IsUUID()
  opportunityId: string;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD.' })
  @IsOptional()
  @IsIsoDate()
  validUntil?: string | null;

  @Field(() => String, { nullable: true, description: "ISO-4217; default: the opportunity's currency." })
  @IsOptional()
  @Matches(CURRENCY, { message: 'currency must be an ISO-4217 code such as EUR' })
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
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD; null clears it.' })
  @IsOptional()
  @IsIsoDate()
  validUntil?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  billingTerms?: string | null;
}

@InputType()
export class QuoteFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
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
