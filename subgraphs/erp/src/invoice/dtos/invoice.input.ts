import { ArgsType, Field, ID, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEnum, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateNested } from 'class-validator';
import { CurrencyField, DecimalField, IdField, IsoDateField, PageArgs, PercentField, SortDirection } from '@concord/graphql';
import { AMOUNT, QUANTITY, SIGNED_AMOUNT } from '../../common/validators';
import { InvoiceLineSourceType, InvoicePaymentStatus, InvoiceStatus } from '../invoice.states';

/** Sources one line may list: an invoice run groups a month of a project's time at one bill rate on one line. */
export const MAX_LINE_SOURCES = 100_000;

@InputType({
  description:
    'A line to bill: amount = qty × rate, or the given amount on TIME/EXPENSE lines with sources. Negative rates only on ADJUSTMENT lines.',
})
export class InvoiceLineInput {
  @Field(() => InvoiceLineSourceType)
  @IsEnum(InvoiceLineSourceType)
  sourceType: InvoiceLineSourceType;

  @Field(() => [ID], {
    nullable: true,
    description: 'Ids of the PSA time entries, expenses or milestone billed; a time entry or expense may be on one live invoice only.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_LINE_SOURCES)
  @IsUUID('all', { each: true })
  sourceIds?: string[];

  @Field()
  @IsString()
  @Length(1, 500)
  description: string;

  @DecimalField(QUANTITY, { description: 'Quantity (hours or units), decimal string with at most 2 decimals.' })
  qty: string;

  @DecimalField(SIGNED_AMOUNT, { description: 'Unit price in the invoice currency, decimal string with at most 2 decimals.' })
  rate: string;

  @DecimalField(AMOUNT, {
    nullable: true,
    description:
      "TIME/EXPENSE lines with sources only: the sum of the sources' own rounded amounts, billed as is; it may differ from qty × rate by at most half a cent per source and per unit of qty (rounding of each source and of the rate).",
  })
  amount?: string | null;

  @IdField({ nullable: true })
  contractLineId?: string | null;

  @IdField({ nullable: true, description: 'A READY billing schedule line of the contract; it becomes INVOICED on POST.' })
  billingScheduleLineId?: string | null;
}

@InputType()
export class CreateInvoiceLineInput extends InvoiceLineInput {
  @IdField({ description: 'A DRAFT invoice.' })
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
  @ArrayMaxSize(MAX_LINE_SOURCES)
  @IsUUID('all', { each: true })
  sourceIds?: string[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  description?: string;

  @DecimalField(QUANTITY, { nullable: true })
  qty?: string;

  @DecimalField(SIGNED_AMOUNT, { nullable: true })
  rate?: string;

  @IdField({ nullable: true })
  contractLineId?: string | null;

  @IdField({ nullable: true })
  billingScheduleLineId?: string | null;
}

@InputType()
export class CreateInvoiceInput {
  @IdField({ description: 'The LegalCustomer billed.' })
  customerId: string;

  @IdField({ description: 'The issuing legal entity.' })
  legalEntityId: string;

  @IdField({ nullable: true, description: 'A contract of the same customer and legal entity; its currency becomes the invoice currency.' })
  contractId?: string | null;

  @IdField({ nullable: true, description: 'The PSA Project billed.' })
  projectId?: string | null;

  @IsoDateField({ nullable: true, description: 'ISO date; default today.' })
  issueDate?: string;

  @IsoDateField({ nullable: true, description: 'ISO date on or after issueDate; default on POST: issueDate + customer payment terms.' })
  dueDate?: string | null;

  @CurrencyField({ nullable: true, description: 'ISO-4217; default the contract currency, else the customer default currency.' })
  currency?: string;

  @PercentField(4, { nullable: true, description: 'Tax rate in percent (0-100), default 0.' })
  taxRate?: string;

  @IsoDateField({ nullable: true, description: 'Last day of the period billed (ISO date); invoice cycle time runs from it to posting.' })
  billingPeriodEnd?: string | null;

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
  @IdField({ nullable: true })
  contractId?: string | null;

  @IdField({ nullable: true })
  projectId?: string | null;

  @IsoDateField({ nullable: true })
  issueDate?: string;

  @IsoDateField({ nullable: true })
  dueDate?: string | null;

  @CurrencyField({ nullable: true, description: 'Only while the invoice has no lines.' })
  currency?: string;

  @PercentField(4, { nullable: true })
  taxRate?: string;

  @IsoDateField({ nullable: true })
  billingPeriodEnd?: string | null;
}

@InputType()
export class InvoiceFilter {
  @IdField({ nullable: true })
  customerId?: string;

  @IdField({ nullable: true })
  clientId?: string;

  @IdField({ nullable: true })
  legalEntityId?: string;

  @IdField({ nullable: true })
  contractId?: string;

  @IdField({ nullable: true })
  projectId?: string;

  @Field(() => [InvoiceStatus], { nullable: true })
  @IsOptional()
  @IsEnum(InvoiceStatus, { each: true })
  statusIn?: InvoiceStatus[];

  @Field(() => [InvoicePaymentStatus], { nullable: true, description: 'Only POSTED invoices have a payment status.' })
  @IsOptional()
  @IsEnum(InvoicePaymentStatus, { each: true })
  paymentStatusIn?: InvoicePaymentStatus[];

  @IsoDateField({ nullable: true, description: 'The day OVERDUE is judged on (ISO date), default today.' })
  asOf?: string;

  @IsoDateField({ nullable: true, description: 'issueDate on or after (ISO date).' })
  issueDateFrom?: string;

  @IsoDateField({ nullable: true, description: 'issueDate on or before (ISO date).' })
  issueDateTo?: string;

  @IsoDateField({ nullable: true, description: 'dueDate on or after (ISO date).' })
  dueDateFrom?: string;

  @IsoDateField({ nullable: true, description: 'dueDate on or before (ISO date).' })
  dueDateTo?: string;

  @IsoDateField({ nullable: true, description: 'The last day of the period billed (an invoice run finds its draft by contract and this).' })
  billingPeriodEnd?: string;
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
  @IdField({ nullable: true })
  invoiceId?: string;

  @Field(() => [InvoiceLineSourceType], { nullable: true })
  @IsOptional()
  @IsEnum(InvoiceLineSourceType, { each: true })
  sourceTypeIn?: InvoiceLineSourceType[];

  @IdField({ nullable: true })
  contractLineId?: string;

  @IdField({ nullable: true })
  billingScheduleLineId?: string;

  @IdField({ nullable: true, description: 'Lines billing this PSA source id (time entry, expense, milestone).' })
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
  @IsoDateField({ nullable: true, description: 'The day OVERDUE is judged on (ISO date), default today.' })
  asOf?: string;
}

@ArgsType()
export class BilledInvoiceSourcesArgs {
  @Field(() => InvoiceLineSourceType, { description: 'TIME or EXPENSE.' })
  @IsEnum(InvoiceLineSourceType)
  sourceType: InvoiceLineSourceType;

  @Field(() => [ID])
  @IsArray()
  @ArrayMaxSize(MAX_LINE_SOURCES * 5)
  @IsUUID('all', { each: true })
  sourceIds: string[];
}
