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
import { ISO_DATE, MAX_PAGE_SIZE } from '@concord/common';
import { PageArgs, SortDirection } from '@concord/graphql';
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
  @Field(() => ID)
  @IsUUID()
  resourceId: string;

  @Field(() => ID)
  @IsUUID()
  projectId: string;

  @Field({ description: 'ISO date the cost was incurred.' })
  @Matches(ISO_DATE, { message: 'date must be an ISO date (YYYY-MM-DD)' })
  date: string;

  @Field(() => ExpenseCategory)
  @IsEnum(ExpenseCategory)
  category: ExpenseCategory;

  @Field({ description: 'Amount in the project currency, decimal string, > 0.' })
  @Matches(AMOUNT, { message: 'amount must be a positive decimal string with at most 2 decimals' })
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
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'date must be an ISO date (YYYY-MM-DD)' })
  date?: string;

  @Field(() => ExpenseCategory, { nullable: true })
  @IsOptional()
  @IsEnum(ExpenseCategory)
  category?: ExpenseCategory;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(AMOUNT, { message: 'amount must be a positive decimal string with at most 2 decimals' })
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
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  projectId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  resourceId?: string;

  @Field(() => [ExpenseStatus], { nullable: true })
  @IsOptional()
  @IsEnum(ExpenseStatus, { each: true })
  statusIn?: ExpenseStatus[];

  @Field(() => [ExpenseCategory], { nullable: true })
  @IsOptional()
  @IsEnum(ExpenseCategory, { each: true })
  categoryIn?: ExpenseCategory[];

  @Field(() => String, { nullable: true, description: 'Expenses on or after this ISO date.' })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'dateFrom must be an ISO date (YYYY-MM-DD)' })
  dateFrom?: string;

  @Field(() => String, { nullable: true, description: 'Expenses on or before this ISO date.' })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'dateTo must be an ISO date (YYYY-MM-DD)' })
  dateTo?: string;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  billable?: boolean;

  @Field(() => Boolean, { nullable: true, description: 'true: on an invoice; false: not invoiced.' })
  @IsOptional()
  @IsBoolean()
  invoiced?: boolean;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
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

  @Field(() => ID)
  @IsUUID()
  invoiceId: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  invoiceLineId?: string | null;
}
