import { ArgsType, Field, ID, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEnum, IsOptional, IsString, IsUUID, Length, Matches, ValidateNested } from 'class-validator';
import { IsIsoDate, PageArgs, SortDirection } from '@concord/graphql';
import { AMOUNT, PERCENT_2DP } from '../../common/validators';
import { BillingScheduleLineStatus } from '../billing-schedule-line.entity';
import { BillingScheduleType } from '../billing-schedule.entity';

/** One planned billing event: give either amount or pct (of the contract line amount). */
@InputType()
export class BillingScheduleLineInput {
  @Field({ description: 'ISO date (YYYY-MM-DD) the amount becomes billable.' })
  @IsIsoDate()
  plannedDate: string;

  @Field(() => String, { nullable: true, description: 'Amount in the contract currency; exclusive with pct.' })
  @IsOptional()
  @Matches(AMOUNT, { message: 'amount must be a non-negative decimal string with at most 2 decimals' })
  amount?: string | null;

  @Field(() => String, { nullable: true, description: 'Percent of the contract line amount (0-100]; exclusive with amount.' })
  @IsOptional()
  @Matches(PERCENT_2DP, { message: 'pct must be a percentage 0-100 with at most 2 decimals' })
  pct?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  description?: string | null;

  @Field(() => ID, { nullable: true, description: 'The PSA Milestone whose acceptance makes the line READY.' })
  @IsOptional()
  @IsUUID()
  milestoneId?: string | null;
}

@InputType()
export class CreateBillingScheduleLineInput extends BillingScheduleLineInput {
  @Field(() => ID)
  @IsUUID()
  billingScheduleId: string;
}

/** Only PLANNED or READY lines can be changed; give amount or pct to switch between them. */
@InputType()
export class UpdateBillingScheduleLineInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsIsoDate()
  plannedDate?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(AMOUNT, { message: 'amount must be a non-negative decimal string with at most 2 decimals' })
  amount?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(PERCENT_2DP, { message: 'pct must be a percentage 0-100 with at most 2 decimals' })
  pct?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  description?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  milestoneId?: string | null;
}

@InputType()
export class CreateBillingScheduleInput {
  @Field(() => ID)
  @IsUUID()
  contractLineId: string;

  @Field(() => BillingScheduleType)
  @IsEnum(BillingScheduleType)
  type: BillingScheduleType;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  description?: string | null;

  @Field(() => [BillingScheduleLineInput], { nullable: true, description: 'Lines created with the schedule, in the same transaction.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => BillingScheduleLineInput)
  lines?: BillingScheduleLineInput[];
}

@InputType()
export class UpdateBillingScheduleInput {
  @Field(() => BillingScheduleType, { nullable: true })
  @IsOptional()
  @IsEnum(BillingScheduleType)
  type?: BillingScheduleType;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  description?: string | null;
}

@InputType()
export class BillingScheduleFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  contractId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  contractLineId?: string;

  @Field(() => [BillingScheduleType], { nullable: true })
  @IsOptional()
  @IsEnum(BillingScheduleType, { each: true })
  typeIn?: BillingScheduleType[];
}

export enum BillingScheduleSortField {
  CREATED_AT = 'createdAt',
}
registerEnumType(BillingScheduleSortField, { name: 'BillingScheduleSortField' });

@InputType()
export class BillingScheduleOrder {
  @Field(() => BillingScheduleSortField)
  @IsEnum(BillingScheduleSortField)
  field: BillingScheduleSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  @IsEnum(SortDirection)
  direction: SortDirection;
}

@ArgsType()
export class BillingSchedulesArgs extends PageArgs {
  @Field(() => BillingScheduleFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => BillingScheduleFilter)
  filter?: BillingScheduleFilter;

  @Field(() => BillingScheduleOrder, { nullable: true, description: 'Default: creation ascending.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => BillingScheduleOrder)
  orderBy?: BillingScheduleOrder;
}

@InputType()
export class BillingScheduleLineFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  billingScheduleId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  contractId?: string;

  @Field(() => [BillingScheduleLineStatus], { nullable: true })
  @IsOptional()
  @IsEnum(BillingScheduleLineStatus, { each: true })
  statusIn?: BillingScheduleLineStatus[];

  @Field(() => String, { nullable: true, description: 'Planned on or after this ISO date.' })
  @IsOptional()
  @IsIsoDate()
  plannedDateFrom?: string;

  @Field(() => String, { nullable: true, description: 'Planned on or before this ISO date.' })
  @IsOptional()
  @IsIsoDate()
  plannedDateTo?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  milestoneId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  invoiceId?: string;
}

export enum BillingScheduleLineSortField {
  PLANNED_DATE = 'plannedDate',
}
registerEnumType(BillingScheduleLineSortField, { name: 'BillingScheduleLineSortField' });

@InputType()
export class BillingScheduleLineOrder {
  @Field(() => BillingScheduleLineSortField)
  @IsEnum(BillingScheduleLineSortField)
  field: BillingScheduleLineSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  @IsEnum(SortDirection)
  direction: SortDirection;
}

@ArgsType()
export class BillingScheduleLinesArgs extends PageArgs {
  @Field(() => BillingScheduleLineFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => BillingScheduleLineFilter)
  filter?: BillingScheduleLineFilter;

  @Field(() => BillingScheduleLineOrder, { nullable: true, description: 'Default: planned date ascending.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => BillingScheduleLineOrder)
  orderBy?: BillingScheduleLineOrder;
}

@ArgsType()
export class TransitionBillingScheduleLineArgs {
  @Field(() => ID)
  @IsUUID()
  id: string;

  @Field(() => BillingScheduleLineStatus)
  @IsEnum(BillingScheduleLineStatus)
  to: BillingScheduleLineStatus;

  @Field(() => ID, { nullable: true, description: 'The invoice that billed the line: required for INVOICED, refused otherwise.' })
  @IsOptional()
  @IsUUID()
  invoiceId?: string | null;
}
