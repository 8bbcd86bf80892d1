import { ArgsType, Field, ID, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsIsoDate, PageArgs, SortDirection } from '@concord/graphql';
import { CURRENCY } from '@concord/common';
import { AMOUNT, PERCENT_2DP, QUANTITY } from '../../common/validators';
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

  @Field(() => ID, { nullable: true, description: 'Rate card in the contract currency.' })
  @IsOptional()
  @IsUUID()
  rateCardId?: string | null;

  @Field(() => String, { nullable: true, description: 'Fixed fee (required for FIXED, MILESTONE, RETAINER) or T&M cap; decimal string.' })
  @IsOptional()
  @Matches(AMOUNT, { message: 'amount must be a non-negative decimal string with at most 2 decimals' })
  amount?: string | null;

  @Field(() => String, { nullable: true, description: 'Not-to-exceed hours, decimal string.' })
  @IsOptional()
  @Matches(QUANTITY, { message: 'hoursCap must be a non-negative decimal string with at most 2 decimals' })
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

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  sourceQuoteLineId?: string | null;
}

@InputType()
export class CreateContractLineInput extends ContractLineInput {
  @Field(() => ID)
  @IsUUID()
  contractId: string;
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

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  rateCardId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(AMOUNT, { message: 'amount must be a non-negative decimal string with at most 2 decimals' })
  amount?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(QUANTITY, { message: 'hoursCap must be a non-negative decimal string with at most 2 decimals' })
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
}

@InputType()
export class CreateContractInput {
  @Field({ description: 'Unique contract number, e.g. "C-2025-0042".' })
  @Matches(NUMBER, { message: 'number must be 1-50 letters, digits, "/", ".", "_" or "-"' })
  number: string;

  @Field(() => ID, { description: 'The ACTIVE LegalCustomer that signs; the contract takes its clientId.' })
  @IsUUID()
  customerId: string;

  @Field(() => ID)
  @IsUUID()
  legalEntityId: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  opportunityId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  sourceQuoteId?: string | null;

  @Field({ description: 'ISO date (YYYY-MM-DD).' })
  @IsIsoDate()
  startDate: string;

  @Field(() => String, { nullable: true, description: 'ISO date, on or after startDate; null = open-ended.' })
  @IsOptional()
  @IsIsoDate()
  endDate?: string | null;

  @Field(() => String, { nullable: true, description: "ISO-4217; default: the customer's default currency. Fixed after creation." })
  @IsOptional()
  @Matches(CURRENCY, { message: 'currency must be an ISO-4217 code such as EUR' })
  currency?: string;

  @Field(() => String, { nullable: true, description: 'Percent 0-100 of consumption that triggers a renewal.' })
  @IsOptional()
  @Matches(PERCENT_2DP, { message: 'renewalThresholdPct must be a percentage 0-100 with at most 2 decimals' })
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

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  legalEntityId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  opportunityId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  sourceQuoteId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsIsoDate()
  startDate?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsIsoDate()
  endDate?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(PERCENT_2DP, { message: 'renewalThresholdPct must be a percentage 0-100 with at most 2 decimals' })
  renewalThresholdPct?: string | null;
}

@InputType()
export class ContractFilter {
  @Field(() => String, { nullable: true, description: 'Case-insensitive substring of the number.' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  numberContains?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  customerId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  clientId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  legalEntityId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  opportunityId?: string;

  @Field(() => [ContractStatus], { nullable: true })
  @IsOptional()
  @IsEnum(ContractStatus, { each: true })
  statusIn?: ContractStatus[];

  @Field(() => String, { nullable: true, description: 'Contracts starting on or after this ISO date.' })
  @IsOptional()
  @IsIsoDate()
  startDateFrom?: string;

  @Field(() => String, { nullable: true, description: 'Contracts starting on or before this ISO date.' })
  @IsOptional()
  @IsIsoDate()
  startDateTo?: string;

  @Field(() => String, { nullable: true, description: 'Contracts ending on or before this ISO date (open-ended ones excluded).' })
  @IsOptional()
  @IsIsoDate()
  endDateTo?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(CURRENCY, { message: 'currency must be an ISO-4217 code such as EUR' })
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
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
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

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
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
