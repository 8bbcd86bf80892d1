import { ArgsType, Field, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEnum, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { DecimalField, IdField, IsoDateField, PageArgs, PercentField, SortDirection } from '@concord/graphql';
import { AMOUNT } from '../../common/validators';
import { BillingScheduleLineStatus } from '../billing-schedule-line.entity';
import { BillingScheduleType } from '../billing-schedule.entity';

/** One planned billing event: give either amount or pct (of the contract line amount). */
@InputType()
export class BillingScheduleLineInput {
  @IsoDateField({ description: 'ISO date (YYYY-MM-DD) the amount becomes billable.' })
  plannedDate: string;

  @DecimalField(AMOUNT, { nullable: true, description: 'Amount in the contract currency; exclusive with pct.' })
  amount?: string | null;

  @PercentField(2, { nullable: true, description: 'Percent of the contract line amount (0-100]; exclusive with amount.' })
  pct?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  description?: string | null;

  @IdField({ nullable: true, description: 'The PSA Milestone whose acceptance makes the line READY.' })
  milestoneId?: string | null;
}

@InputType()
export class CreateBillingScheduleLineInput extends BillingScheduleLineInput {
  @IdField()
  billingScheduleId: string;
}

/** Only PLANNED or READY lines can be changed; give amount or pct to switch between them. */
@InputType()
export class UpdateBillingScheduleLineInput {
  @IsoDateField({ nullable: true })
  plannedDate?: string;

  @DecimalField(AMOUNT, { nullable: true })
  amount?: string | null;

  @PercentField(2, { nullable: true })
  pct?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  description?: string | null;

  @IdField({ nullable: true })
  milestoneId?: string | null;
}

@InputType()
export class CreateBillingScheduleInput {
  @IdField()
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
  @IdField({ nullable: true })
  contractId?: string;

  @IdField({ nullable: true })
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
  @IdField({ nullable: true })
  billingScheduleId?: string;

  @IdField({ nullable: true })
  contractId?: string;

  @Field(() => [BillingScheduleLineStatus], { nullable: true })
  @IsOptional()
  @IsEnum(BillingScheduleLineStatus, { each: true })
  statusIn?: BillingScheduleLineStatus[];

  @IsoDateField({ nullable: true, description: 'Planned on or after this ISO date.' })
  plannedDateFrom?: string;

  @IsoDateField({ nullable: true, description: 'Planned on or before this ISO date.' })
  plannedDateTo?: string;

  @IdField({ nullable: true })
  milestoneId?: string;

  @IdField({ nullable: true })
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
  @IdField()
  id: string;

  @Field(() => BillingScheduleLineStatus)
  @IsEnum(BillingScheduleLineStatus)
  to: BillingScheduleLineStatus;

  @IdField({ nullable: true, description: 'The invoice that billed the line: required for INVOICED, refused otherwise.' })
  invoiceId?: string | null;
}

@ArgsType()
export class ReadyBillingScheduleLinesArgs {
  @IsoDateField({ nullable: true, description: 'Date-based lines (no milestone) planned on or before this day become READY.' })
  asOf?: string | null;

  @IdField({ nullable: true, description: 'The lines of this PSA milestone (accepted) become READY, whatever their date.' })
  milestoneId?: string | null;

  @IdField({ nullable: true, description: 'Only the lines of this contract.' })
  contractId?: string | null;
}
