import { ArgsType, Field, ID, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsBoolean,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { MAX_PAGE_SIZE } from '@concord/common';
import { DecimalField, IdField, IsoDateField, PageArgs, SortDirection } from '@concord/graphql';
import { AMOUNT } from '../../common/input-formats';
import { ExpenseCategory, ExpenseStatus } from '../expense.entity';

/** 0 to 999.99 percent. */
const MARKUP = /^\d{1,3}(\.\d{1,2})?$/;
const MARKUP_MESSAGE = 'markupPct must be a percentage from 0 to 999.99 with at most 2 decimals';
const URL_OPTIONS = { protocols: ['https'], require_protocol: true };
const URL_MESSAGE = 'receiptUrl must be an https URL';

export const MAX_INVOICE_EXPENSES = 1000;

@InputType()
export class CreateExpenseInput {
  @IdField()
  resourceId: string;

  @IdField()
  projectId: string;

  @IsoDateField({ description: 'ISO date the cost was incurred.', check: 'shape' })
  date: string;

  @Field(() => ExpenseCategory)
  @IsEnum(ExpenseCategory)
  category: ExpenseCategory;

  @DecimalField(AMOUNT, { description: 'Amount in the project currency, decimal string, > 0.' })
  amount: string;

  @Field(() => Boolean, { nullable: true, description: 'Default true.' })
  @IsOptional()
  @IsBoolean()
  billable?: boolean;

  @Field(() => String, { nullable: true, description: 'Default 0; must be 0 when not billable.' })
  @IsOptional()
  @Matches(MARKUP, { message: MARKUP_MESSAGE })
  markupPct?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsUrl(URL_OPTIONS, { message: URL_MESSAGE })
  @MaxLength(2000)
  receiptUrl?: string | null;
}

@InputType({ description: 'Refused once the expense is INVOICED or CANCELLED.' })
export class UpdateExpenseInput {
  @IsoDateField({ nullable: true, check: 'shape' })
  date?: string;

  @Field(() => ExpenseCategory, { nullable: true })
  @IsOptional()
  @IsEnum(ExpenseCategory)
  category?: ExpenseCategory;

  @DecimalField(AMOUNT, { nullable: true })
  amount?: string;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  billable?: boolean;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(MARKUP, { message: MARKUP_MESSAGE })
  markupPct?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsUrl(URL_OPTIONS, { message: URL_MESSAGE })
  @MaxLength(2000)
  receiptUrl?: string | null;
}

@InputType()
export class ExpenseFilter {
  @IdField({ nullable: true })
  projectId?: string;

  @IdField({ nullable: true })
  resourceId?: string;

  @Field(() => [ExpenseStatus], { nullable: true })
  @IsOptional()
  @IsEnum(ExpenseStatus, { each: true })
  statusIn?: ExpenseStatus[];

  @Field(() => [ExpenseCategory], { nullable: true })
  @IsOptional()
  @IsEnum(ExpenseCategory, { each: true })
  categoryIn?: ExpenseCategory[];

  @IsoDateField({ nullable: true, description: 'Expenses on or after this ISO date.', check: 'shape' })
  dateFrom?: string;

  @IsoDateField({ nullable: true, description: 'Expenses on or before this ISO date.', check: 'shape' })
  dateTo?: string;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  billable?: boolean;

  @Field(() => Boolean, { nullable: true, description: 'true: on an invoice; false: not invoiced.' })
  @IsOptional()
  @IsBoolean()
  invoiced?: boolean;

  @IdField({ nullable: true })
  invoiceId?: string;
}

export enum ExpenseSortField {
  DATE = 'date',
  CREATED_AT = 'createdAt',
}
registerEnumType(ExpenseSortField, { name: 'ExpenseSortField' });

@InputType()
export class ExpenseOrder {
  @Field(() => ExpenseSortField)
  @IsEnum(ExpenseSortField)
  field: ExpenseSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  @IsEnum(SortDirection)
  direction: SortDirection;
}

@ArgsType()
export class ExpensesArgs extends PageArgs {
  @Field(() => ExpenseFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ExpenseFilter)
  filter?: ExpenseFilter;

  @Field(() => ExpenseOrder, { nullable: true, description: 'Default: date ascending.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ExpenseOrder)
  orderBy?: ExpenseOrder;
}

/** `Project.expenses(first, statusIn)`: the latest expenses first. */
@ArgsType()
export class ProjectExpensesArgs {
  @Field(() => Int, { defaultValue: 50, description: `At most this many, 0 to ${MAX_PAGE_SIZE}, latest date first.` })
  @IsInt()
  @Min(0)
  @Max(MAX_PAGE_SIZE)
  first: number;

  @Field(() => [ExpenseStatus], { nullable: true })
  @IsOptional()
  @IsEnum(ExpenseStatus, { each: true })
  statusIn?: ExpenseStatus[];
}

@ArgsType()
export class MarkExpensesInvoicedArgs {
  @Field(() => [ID], { description: `APPROVED, billable expenses (1 to ${MAX_INVOICE_EXPENSES}), all in one currency.` })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_INVOICE_EXPENSES)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  ids: string[];

  @IdField()
  invoiceId: string;

  @IdField({ nullable: true })
  invoiceLineId?: string | null;
}
