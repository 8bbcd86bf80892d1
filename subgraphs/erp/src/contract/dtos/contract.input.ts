import { ArgsType, Field, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { CurrencyField, DecimalField, IdField, IsoDateField, PageArgs, PercentField, SortDirection } from '@concord/graphql';
import { AMOUNT, QUANTITY } from '../../common/validators';
import { BillingModel, InvoicePolicy, RevRecMethod } from '../contract-line.entity';
import { ContractStatus } from '../contract.entity';

const NUMBER = /^[A-Za-z0-9][A-Za-z0-9/._-]{0,49}$/;

/** The fields of a contract line; used inline in createContract and, with contractId, in createContractLine. */
@InputType()
export class ContractLineInput {
  @Field()
  @IsString()
  @Length(1, 500)
  description: string;

  @Field(() => BillingModel)
  @IsEnum(BillingModel)
  billingModel: BillingModel;

  @IdField({ nullable: true, description: 'Rate card in the contract currency.' })
  rateCardId?: string | null;

  @DecimalField(AMOUNT, { nullable: true, description: 'Fixed fee (required for FIXED, MILESTONE, RETAINER) or T&M cap; decimal string.' })
  amount?: string | null;

  @DecimalField(QUANTITY, { nullable: true, description: 'Not-to-exceed hours, decimal string.' })
  hoursCap?: string | null;

  @Field(() => InvoicePolicy, { nullable: true, description: 'Default: DELIVERED for TM, ORDERED otherwise.' })
  @IsOptional()
  @IsEnum(InvoicePolicy)
  invoicePolicy?: InvoicePolicy;

  @Field(() => RevRecMethod, {
    nullable: true,
    description: 'Default: TM_AS_DELIVERED, PCT_COMPLETE, MILESTONE, STRAIGHT_LINE for TM, FIXED, MILESTONE, RETAINER.',
  })
  @IsOptional()
  @IsEnum(RevRecMethod)
  revRecMethod?: RevRecMethod;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  changeOrderNumber?: string | null;

  @IdField({ nullable: true })
  sourceQuoteLineId?: string | null;
}

const AMENDMENT_REASON =
  'Why the signed contract changes: required after DRAFT unless the line carries a changeOrderNumber (the change order is the reason).';

@InputType()
export class CreateContractLineInput extends ContractLineInput {
  @IdField()
  contractId: string;

  @Field(() => String, { nullable: true, description: AMENDMENT_REASON })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  amendmentReason?: string | null;
}

@InputType()
export class UpdateContractLineInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  description?: string;

  @Field(() => BillingModel, { nullable: true })
  @IsOptional()
  @IsEnum(BillingModel)
  billingModel?: BillingModel;

  @IdField({ nullable: true })
  rateCardId?: string | null;

  @DecimalField(AMOUNT, { nullable: true })
  amount?: string | null;

  @DecimalField(QUANTITY, { nullable: true })
  hoursCap?: string | null;

  @Field(() => InvoicePolicy, { nullable: true })
  @IsOptional()
  @IsEnum(InvoicePolicy)
  invoicePolicy?: InvoicePolicy;

  @Field(() => RevRecMethod, { nullable: true })
  @IsOptional()
  @IsEnum(RevRecMethod)
  revRecMethod?: RevRecMethod;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  changeOrderNumber?: string | null;

  @Field(() => String, { nullable: true, description: AMENDMENT_REASON })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  amendmentReason?: string | null;
}

@InputType()
export class CreateContractInput {
  @Field({ description: 'Unique contract number, e.g. "C-2025-0042".' })
  @Matches(NUMBER, { message: 'number must be 1-50 letters, digits, "/", ".", "_" or "-"' })
  number: string;

  @IdField({ description: 'The ACTIVE LegalCustomer that signs; the contract takes its clientId.' })
  customerId: string;

  @IdField()
  legalEntityId: string;

  @IdField({ nullable: true })
  opportunityId?: string | null;

  @IdField({ nullable: true })
  sourceQuoteId?: string | null;

  @IsoDateField({ description: 'ISO date (YYYY-MM-DD).' })
  startDate: string;

  @IsoDateField({ nullable: true, description: 'ISO date, on or after startDate; null = open-ended.' })
  endDate?: string | null;

  @CurrencyField({ nullable: true, description: "ISO-4217; default: the customer's default currency. Fixed after creation." })
  currency?: string;

  @PercentField(2, { nullable: true, description: 'Percent 0-100 of consumption that triggers a renewal.' })
  renewalThresholdPct?: string | null;

  @Field(() => [ContractLineInput], { nullable: true, description: 'Lines created with the contract, in the same transaction.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ContractLineInput)
  lines?: ContractLineInput[];
}

/** Customer and currency are fixed at creation; the status moves only through transitionContract. */
@InputType()
export class UpdateContractInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(NUMBER, { message: 'number must be 1-50 letters, digits, "/", ".", "_" or "-"' })
  number?: string;

  @IdField({ nullable: true })
  legalEntityId?: string;

  @IdField({ nullable: true })
  opportunityId?: string | null;

  @IdField({ nullable: true })
  sourceQuoteId?: string | null;

  @IsoDateField({ nullable: true })
  startDate?: string;

  @IsoDateField({ nullable: true })
  endDate?: string | null;

  @PercentField(2, { nullable: true })
  renewalThresholdPct?: string | null;
}

@InputType()
export class ContractFilter {
  @Field(() => String, { nullable: true, description: 'Case-insensitive substring of the number.' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  numberContains?: string;

  @IdField({ nullable: true })
  customerId?: string;

  @IdField({ nullable: true })
  clientId?: string;

  @IdField({ nullable: true })
  legalEntityId?: string;

  @IdField({ nullable: true })
  opportunityId?: string;

  @Field(() => [ContractStatus], { nullable: true })
  @IsOptional()
  @IsEnum(ContractStatus, { each: true })
  statusIn?: ContractStatus[];

  @IsoDateField({ nullable: true, description: 'Contracts starting on or after this ISO date.' })
  startDateFrom?: string;

  @IsoDateField({ nullable: true, description: 'Contracts starting on or before this ISO date.' })
  startDateTo?: string;

  @IsoDateField({ nullable: true, description: 'Contracts ending on or before this ISO date (open-ended ones excluded).' })
  endDateTo?: string;

  @CurrencyField({ nullable: true })
  currency?: string;
}

export enum ContractSortField {
  NUMBER = 'number',
  START_DATE = 'startDate',
  CREATED_AT = 'createdAt',
}
registerEnumType(ContractSortField, { name: 'ContractSortField' });

@InputType()
export class ContractOrder {
  @Field(() => ContractSortField)
  @IsEnum(ContractSortField)
  field: ContractSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  @IsEnum(SortDirection)
  direction: SortDirection;
}

@ArgsType()
export class ContractsArgs extends PageArgs {
  @Field(() => ContractFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ContractFilter)
  filter?: ContractFilter;

  @Field(() => ContractOrder, { nullable: true, description: 'Default: number ascending.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ContractOrder)
  orderBy?: ContractOrder;
}

@InputType()
export class ContractLineFilter {
  @IdField({ nullable: true })
  contractId?: string;

  @Field(() => [BillingModel], { nullable: true })
  @IsOptional()
  @IsEnum(BillingModel, { each: true })
  billingModelIn?: BillingModel[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  changeOrderNumber?: string;

  @IdField({ nullable: true })
  sourceQuoteLineId?: string;
}

export enum ContractLineSortField {
  CREATED_AT = 'createdAt',
}
registerEnumType(ContractLineSortField, { name: 'ContractLineSortField' });

@InputType()
export class ContractLineOrder {
  @Field(() => ContractLineSortField)
  @IsEnum(ContractLineSortField)
  field: ContractLineSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  @IsEnum(SortDirection)
  direction: SortDirection;
}

@ArgsType()
export class ContractLinesArgs extends PageArgs {
  @Field(() => ContractLineFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ContractLineFilter)
  filter?: ContractLineFilter;

  @Field(() => ContractLineOrder, { nullable: true, description: 'Default: creation ascending.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ContractLineOrder)
  orderBy?: ContractLineOrder;
}

/** Arguments of Client.contracts. */
@ArgsType()
export class ClientContractsArgs {
  @Field(() => Int, { defaultValue: 20, description: 'At most this many contracts, newest first (0 to 100).' })
  @IsInt()
  @Min(0)
  @Max(100)
  first: number = 20;

  @Field(() => [ContractStatus], { nullable: true })
  @IsOptional()
  @IsEnum(ContractStatus, { each: true })
  statusIn?: ContractStatus[];
}
