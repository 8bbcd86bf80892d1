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
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { MAX_PAGE_SIZE } from '@concord/common';
import { DecimalField, IdField, IsoDateField, PageArgs, SortDirection } from '@concord/graphql';
import { HOURS } from '../../common/input-formats';
import { RATE } from '../../common/rates';
import { TimeEntryStatus } from '../time-entry.entity';

/** Most entries one billing call may mark (one invoice). */
export const MAX_INVOICE_ENTRIES = 1000;

@InputType()
export class CreateTimeEntryInput {
  @IdField({ description: 'The assignment the hours are logged on; its project, resource and rates apply.' })
  assignmentId: string;

  @IdField({ nullable: true, description: 'Default: the assignment resource; must be it.' })
  resourceId?: string;

  @IdField({ nullable: true, description: 'Default: the assignment project; must be it.' })
  projectId?: string;

  @IdField({ nullable: true, description: 'A task of the same project.' })
  taskId?: string | null;

  @IsoDateField({ description: 'ISO date, inside the assignment period.', check: 'shape' })
  date: string;

  @DecimalField(HOURS, { description: 'Hours worked, decimal string, > 0 and ≤ 24; a resource logs at most 24 hours per date.' })
  hours: string;

  @Field(() => Boolean, { nullable: true, description: 'Default: the task billable flag, else true.' })
  @IsOptional()
  @IsBoolean()
  billable?: boolean;

  @DecimalField(HOURS, { nullable: true, description: 'Default: hours when billable; must be 0 when not billable.' })
  billableHours?: string;

  @DecimalField(RATE, { nullable: true, description: 'Default: the assignment bill rate; must be 0 when not billable.' })
  billRate?: string;

  @DecimalField(RATE, { nullable: true, description: 'Default: the assignment cost rate.' })
  costRate?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;
}

@InputType({ description: 'Refused once the entry is INVOICED or CANCELLED. Rates re-default from the assignment when it changes.' })
export class UpdateTimeEntryInput {
  @IdField({ nullable: true, description: 'Another assignment of the same resource and project.' })
  assignmentId?: string;

  @IdField({ nullable: true })
  taskId?: string | null;

  @IsoDateField({ nullable: true, check: 'shape' })
  date?: string;

  @DecimalField(HOURS, { nullable: true })
  hours?: string;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  billable?: boolean;

  @DecimalField(HOURS, { nullable: true })
  billableHours?: string;

  @DecimalField(RATE, { nullable: true })
  billRate?: string;

  @DecimalField(RATE, { nullable: true })
  costRate?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;
}

@InputType()
export class TimeEntryFilter {
  @IdField({ nullable: true })
  projectId?: string;

  @IdField({ nullable: true })
  resourceId?: string;

  @IdField({ nullable: true })
  assignmentId?: string;

  @IdField({ nullable: true })
  taskId?: string;

  @Field(() => [TimeEntryStatus], { nullable: true })
  @IsOptional()
  @IsEnum(TimeEntryStatus, { each: true })
  statusIn?: TimeEntryStatus[];

  @IsoDateField({ nullable: true, description: 'Entries on or after this ISO date.', check: 'shape' })
  dateFrom?: string;

  @IsoDateField({ nullable: true, description: 'Entries on or before this ISO date.', check: 'shape' })
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

  @IsoDateField({ nullable: true, description: 'Entries on or after this ISO date.', check: 'shape' })
  from?: string;

  @IsoDateField({ nullable: true, description: 'Entries on or before this ISO date.', check: 'shape' })
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

  @IdField()
  invoiceId: string;

  @IdField({ nullable: true })
  invoiceLineId?: string | null;
}
