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
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ISO_DATE, MAX_PAGE_SIZE } from '@concord/common';
import { PageArgs, SortDirection } from '@concord/graphql';
import { HOURS } from '../../common/input-formats';
import { RATE } from '../../common/rates';
import { TimeEntryStatus } from '../time-entry.entity';

const HOURS_MESSAGE = 'must be a non-negative decimal string with at most 2 decimals';
const RATE_MESSAGE = 'must be a non-negative decimal string with at most 6 decimals';

/** Most entries one billing call may mark (one invoice). */
export const MAX_INVOICE_ENTRIES = 1000;

@InputType()
export class CreateTimeEntryInput {
  @Field(() => ID, { description: 'The assignment the hours are logged on; its project, resource and rates apply.' })
  @IsUUID()
  assignmentId: string;

  @Field(() => ID, { nullable: true, description: 'Default: the assignment resource; must be it.' })
  @IsOptional()
  @IsUUID()
  resourceId?: string;

  @Field(() => ID, { nullable: true, description: 'Default: the assignment project; must be it.' })
  @IsOptional()
  @IsUUID()
  projectId?: string;

  @Field(() => ID, { nullable: true, description: 'A task of the same project.' })
  @IsOptional()
  @IsUUID()
  taskId?: string | null;

  @Field({ description: 'ISO date, inside the assignment period.' })
  @Matches(ISO_DATE, { message: 'date must be an ISO date (YYYY-MM-DD)' })
  date: string;

  @Field({ description: 'Hours worked, decimal string, > 0 and ≤ 24; a resource logs at most 24 hours per date.' })
  @Matches(HOURS, { message: `hours ${HOURS_MESSAGE}` })
  hours: string;

  @Field(() => Boolean, { nullable: true, description: 'Default: the task billable flag, else true.' })
  @IsOptional()
  @IsBoolean()
  billable?: boolean;

  @Field(() => String, { nullable: true, description: 'Default: hours when billable; must be 0 when not billable.' })
  @IsOptional()
  @Matches(HOURS, { message: `billableHours ${HOURS_MESSAGE}` })
  billableHours?: string;

  @Field(() => String, { nullable: true, description: 'Default: the assignment bill rate; must be 0 when not billable.' })
  @IsOptional()
  @Matches(RATE, { message: `billRate ${RATE_MESSAGE}` })
  billRate?: string;

  @Field(() => String, { nullable: true, description: 'Default: the assignment cost rate.' })
  @IsOptional()
  @Matches(RATE, { message: `costRate ${RATE_MESSAGE}` })
  costRate?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;
}

@InputType({ description: 'Refused once the entry is INVOICED or CANCELLED. Rates re-default from the assignment when it changes.' })
export class UpdateTimeEntryInput {
  @Field(() => ID, { nullable: true, description: 'Another assignment of the same resource and project.' })
  @IsOptional()
  @IsUUID()
  assignmentId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  taskId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'date must be an ISO date (YYYY-MM-DD)' })
  date?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(HOURS, { message: `hours ${HOURS_MESSAGE}` })
  hours?: string;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  billable?: boolean;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(HOURS, { message: `billableHours ${HOURS_MESSAGE}` })
  billableHours?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(RATE, { message: `billRate ${RATE_MESSAGE}` })
  billRate?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(RATE, { message: `costRate ${RATE_MESSAGE}` })
  costRate?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;
}

@InputType()
export class TimeEntryFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  projectId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  resourceId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  assignmentId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  taskId?: string;

  @Field(() => [TimeEntryStatus], { nullable: true })
  @IsOptional()
  @IsEnum(TimeEntryStatus, { each: true })
  statusIn?: TimeEntryStatus[];

  @Field(() => String, { nullable: true, description: 'Entries on or after this ISO date.' })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'dateFrom must be an ISO date (YYYY-MM-DD)' })
  dateFrom?: string;

  @Field(() => String, { nullable: true, description: 'Entries on or before this ISO date.' })
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

export enum TimeEntrySortField {
  DATE = 'date',
  CREATED_AT = 'createdAt',
}
registerEnumType(TimeEntrySortField, { name: 'TimeEntrySortField' });

@InputType()
export class TimeEntryOrder {
  @Field(() => TimeEntrySortField)
  @IsEnum(TimeEntrySortField)
  field: TimeEntrySortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  @IsEnum(SortDirection)
  direction: SortDirection;
}

@ArgsType()
export class TimeEntriesArgs extends PageArgs {
  @Field(() => TimeEntryFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => TimeEntryFilter)
  filter?: TimeEntryFilter;

  @Field(() => TimeEntryOrder, { nullable: true, description: 'Default: date ascending.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => TimeEntryOrder)
  orderBy?: TimeEntryOrder;
}

/** `Project.timeEntries(first, statusIn)`: the latest entries first. */
@ArgsType()
export class ProjectTimeEntriesArgs {
  @Field(() => Int, { defaultValue: 50, description: `At most this many, 0 to ${MAX_PAGE_SIZE}, latest date first.` })
  @IsInt()
  @Min(0)
  @Max(MAX_PAGE_SIZE)
  first: number;

  @Field(() => [TimeEntryStatus], { nullable: true })
  @IsOptional()
  @IsEnum(TimeEntryStatus, { each: true })
  statusIn?: TimeEntryStatus[];
}

/** `Resource.timeEntries(first, from, to)`: the latest entries first. */
@ArgsType()
export class ResourceTimeEntriesArgs {
  @Field(() => Int, { defaultValue: 50, description: `At most this many, 0 to ${MAX_PAGE_SIZE}, latest date first.` })
  @IsInt()
  @Min(0)
  @Max(MAX_PAGE_SIZE)
  first: number;

  @Field(() => String, { nullable: true, description: 'Entries on or after this ISO date.' })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'from must be an ISO date (YYYY-MM-DD)' })
  from?: string;

  @Field(() => String, { nullable: true, description: 'Entries on or before this ISO date.' })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'to must be an ISO date (YYYY-MM-DD)' })
  to?: string;
}

@ArgsType()
export class MarkTimeEntriesInvoicedArgs {
  @Field(() => [ID], { description: `APPROVED, billable entries (1 to ${MAX_INVOICE_ENTRIES}), all in one currency.` })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_INVOICE_ENTRIES)
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
