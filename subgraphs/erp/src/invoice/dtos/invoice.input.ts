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
  Min,
  ValidateNested,
} from 'class-validator';
import { IsIsoDate, PageArgs, SortDirection } from '@concord/graphql';
import { CURRENCY } from '@concord/common';
import { PERCENT, QUANTITY, SIGNED_AMOUNT } from '../../common/validators';
import { InvoiceLineSourceType, InvoicePaymentStatus, InvoiceStatus } from '../invoice.states';

@InputType({ description: 'A line to bill: amount = qty × rate. Negative rates only on ADJUSTMENT lines.' })
export class InvoiceLineInput {
  @Field(() => InvoiceLineSourceType)
  @IsEnum(InvoiceLineSourceType)
  sourceType: InvoiceLineSourceType;

  @Field(() => [ID], { nullable: true, description: 'Ids of the PSA time entries, expenses or milestone billed.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  sourceIds?: string[];

  @Field()
  @IsString()
  @Length(1, 500)
  description: string;

  @Field({ description: 'Quantity (hours or units), decimal string with at most 2 decimals.' })
  @Matches(QUANTITY, { message: 'qty must be a non-negative decimal string with at most 2 decimals' })
  qty: string;

  @Field({ description: 'Unit price in the invoice currency, decimal string with at most 2 decimals.' })
  @Matches(SIGNED_AMOUNT, { message: 'rate must be a decimal string with at most 2 decimals' })
  rate: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  contractLineId?: string | null;

  @Field(() => ID, { nullable: true, description: 'A READY billing schedule line of the contract; it becomes INVOICED on POST.' })
  @IsOptional()
  @IsUUID()
  billingScheduleLineId?: string | null;
}

@InputType()
export class CreateInvoiceLineInput extends InvoiceLineInput {
  @Field(() => ID, { description: 'A DRAFT invoice.' })
  @IsUUID()
  invoiceId: string;
}

@InputType()
export class UpdateInvoiceLineInput {
  @Field(() => InvoiceLineSourceType, { nullable: true })
  @IsOptional()
  @IsEnum(InvoiceLineSourceType)
  sourceType?: InvoiceLineSourceType;

  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  sourceIds?: string[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  description?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(QUANTITY, { message: 'qty must be a non-negative decimal string with at most 2 decimals' })
  qty?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(SIGNED_AMOUNT, { message: 'rate must be a decimal string with at most 2 decimals' })
  rate?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  contractLineId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  billingScheduleLineId?: string | null;
}

@InputType()
export class CreateInvoiceInput {
  @Field(() => ID, { description: 'The LegalCustomer billed.' })
  @IsUUID()
  customerId: string;

  @Field(() => ID, { description: 'The issuing legal entity.' })
  @IsUUID()
  legalEntityId: string;

  @Field(() => ID, {
    nullable: true,
    description: 'A contract of the same customer and legal entity; its currency becomes the invoice currency.',
  })
  @IsOptional()
  @IsUUID()
  contractId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The PSA Project billed.' })
  @IsOptional()
  @IsUUID()
  projectId?: string | null;

  @Field(() => String, { nullable: true, description: 'ISO date; default today.' })
  @IsOptional()
  @IsIsoDate()
  issueDate?: string;

  @Field(() => String, {
    nullable: true,
    description: 'ISO date on or after issueDate; default on POST: issueDate + customer payment terms.',
  })
  @IsOptional()
  @IsIsoDate()
  dueDate?: string | null;

  @Field(() => String, { nullable: true, description: 'ISO-4217; default the contract currency, else the customer default currency.' })
  @IsOptional()
  @Matches(CURRENCY, { message: 'currency must be an ISO-4217 code such as EUR' })
  currency?: string;

  @Field(() => String, { nullable: true, description: 'Tax rate in percent (0-100), default 0.' })
  @IsOptional()
  @Matches(PERCENT, { message: 'taxRate must be a percentage between 0 and 100 with at most 4 decimals' })
  taxRate?: string;

  @Field(() => [InvoiceLineInput], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => InvoiceLineInput)
  lines?: InvoiceLineInput[];
}

@InputType({ description: 'Changes to a DRAFT invoice; posted and cancelled invoices are immutable.' })
export class UpdateInvoiceInput {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  contractId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  projectId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsIsoDate()
  issueDate?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsIsoDate()
  dueDate?: string | null;

  @Field(() => String, { nullable: true, description: 'Only while the invoice has no lines.' })
  @IsOptional()
  @Matches(CURRENCY, { message: 'currency must be an ISO-4217 code such as EUR' })
  currency?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(PERCENT, { message: 'taxRate must be a percentage between 0 and 100 with at most 4 decimals' })
  taxRate?: string;
}

@InputType()
export class InvoiceFilter {
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
  contractId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  projectId?: string;

  @Field(() => [InvoiceStatus], { nullable: true })
  @IsOptional()
  @IsEnum(InvoiceStatus, { each: true })
  statusIn?: InvoiceStatus[];

  @Field(() => [InvoicePaymentStatus], { nullable: true, description: 'Only POSTED invoices have a payment status.' })
  @IsOptional()
  @IsEnum(InvoicePaymentStatus, { each: true })
  paymentStatusIn?: InvoicePaymentStatus[];

  @Field(() => String, { nullable: true, description: 'The day OVERDUE is judged on (ISO date), default today.' })
  @IsOptional()
  @IsIsoDate()
  asOf?: string;

  @Field(() => String, { nullable: true, description: 'issueDate on or after (ISO date).' })
  @IsOptional()
  @IsIsoDate()
  issueDateFrom?: string;

  @Field(() => String, { nullable: true, description: 'issueDate on or before (ISO date).' })
  @IsOptional()
  @IsIsoDate()
  issueDateTo?: string;

  @Field(() => String, { nullable: true, description: 'dueDate on or after (ISO date).' })
  @IsOptional()
  @IsIsoDate()
  dueDateFrom?: string;

  @Field(() => String, { nullable: true, description: 'dueDate on or before (ISO date).' })
  @IsOptional()
  @IsIsoDate()
  dueDateTo?: string;
}

export enum InvoiceSortField {
  ISSUE_DATE = 'issueDate',
  CREATED_AT = 'createdAt',
  TOTAL = 'totalAmount',
}
registerEnumType(InvoiceSortField, { name: 'InvoiceSortField' });

@InputType()
export class InvoiceOrder {
  @Field(() => InvoiceSortField)
  @IsEnum(InvoiceSortField)
  field: InvoiceSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  @IsEnum(SortDirection)
  direction: SortDirection;
}

@ArgsType()
export class InvoicesArgs extends PageArgs {
  @Field(() => InvoiceFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => InvoiceFilter)
  filter?: InvoiceFilter;

  @Field(() => InvoiceOrder, { nullable: true, description: 'Default: issueDate descending.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => InvoiceOrder)
  orderBy?: InvoiceOrder;
}

@InputType()
export class InvoiceLineFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  invoiceId?: string;

  @Field(() => [InvoiceLineSourceType], { nullable: true })
  @IsOptional()
  @IsEnum(InvoiceLineSourceType, { each: true })
  sourceTypeIn?: InvoiceLineSourceType[];

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  contractLineId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  billingScheduleLineId?: string;

  @Field(() => ID, { nullable: true, description: 'Lines billing this PSA source id (time entry, expense, milestone).' })
  @IsOptional()
  @IsUUID()
  sourceId?: string;
}

export enum InvoiceLineSortField {
  CREATED_AT = 'createdAt',
  AMOUNT = 'amountAmount',
}
registerEnumType(InvoiceLineSortField, { name: 'InvoiceLineSortField' });

@InputType()
export class InvoiceLineOrder {
  @Field(() => InvoiceLineSortField)
  @IsEnum(InvoiceLineSortField)
  field: InvoiceLineSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  @IsEnum(SortDirection)
  direction: SortDirection;
}

@ArgsType()
export class InvoiceLinesArgs extends PageArgs {
  @Field(() => InvoiceLineFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => InvoiceLineFilter)
  filter?: InvoiceLineFilter;

  @Field(() => InvoiceLineOrder, { nullable: true, description: 'Default: creation order.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => InvoiceLineOrder)
  orderBy?: InvoiceLineOrder;
}

/** Arguments of a batched child list (`Client.invoices`, `Project.invoices`). */
@ArgsType()
export class InvoiceListArgs {
  @Field(() => Int, { defaultValue: 20, description: 'At most this many invoices, newest issue date first (max 100).' })
  @IsInt()
  @Min(0)
  @Max(100)
  first: number;

  @Field(() => [InvoiceStatus], { nullable: true })
  @IsOptional()
  @IsEnum(InvoiceStatus, { each: true })
  statusIn?: InvoiceStatus[];
}

@ArgsType()
export class PaymentStatusArgs {
  @Field(() => String, { nullable: true, description: 'The day OVERDUE is judged on (ISO date), default today.' })
  @IsOptional()
  @IsIsoDate()
  asOf?: string;
}
