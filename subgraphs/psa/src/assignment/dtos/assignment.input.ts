import { ArgsType, Field, ID, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { ISO_DATE, MAX_PAGE_SIZE } from '@concord/common';
import { PageArgs, SortDirection } from '@concord/graphql';
import { HOURS } from '../../common/input-formats';
import { RATE } from '../../common/rates';
import { AssignmentStatus } from '../assignment.entity';

const RATE_MESSAGE = 'must be a non-negative decimal string with at most 6 decimals';

@InputType()
export class CreateAssignmentInput {
  @Field(() => ID, { nullable: true, description: 'Required unless resourceRequestId is given (then the request project).' })
  @IsOptional()
  @IsUUID()
  projectId?: string;

  @Field(() => ID)
  @IsUUID()
  resourceId: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Fulfils this OPEN request in the same transaction; role, hours and dates default from it.',
  })
  @IsOptional()
  @IsUUID()
  resourceRequestId?: string;

  @Field(() => String, { nullable: true, description: 'Default: the request role, else the resource primary role.' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  role?: string;

  @Field({ description: 'Bill rate per hour in the project currency (from the ERP rate card), decimal string.' })
  @Matches(RATE, { message: `billRate ${RATE_MESSAGE}` })
  billRate: string;

  @Field(() => String, {
    nullable: true,
    description:
      'Cost rate per hour in the project currency. Default: the resource cost rate, only when the resource is costed in the project currency.',
  })
  @IsOptional()
  @Matches(RATE, { message: `costRate ${RATE_MESSAGE}` })
  costRate?: string;

  @Field(() => String, { nullable: true, description: 'Hours booked, decimal string. Default: the request hours.' })
  @IsOptional()
  @Matches(HOURS, { message: 'scheduledHours must be a non-negative decimal string with at most 2 decimals' })
  scheduledHours?: string;

  @Field(() => String, { nullable: true, description: 'ISO date. Default: the request start.' })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'startDate must be an ISO date (YYYY-MM-DD)' })
  startDate?: string;

  @Field(() => String, { nullable: true, description: 'ISO date. Default: the request end.' })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'endDate must be an ISO date (YYYY-MM-DD)' })
  endDate?: string;

  @Field(() => AssignmentStatus, { nullable: true, description: 'SOFT (default) or HARD.' })
  @IsOptional()
  @IsIn([AssignmentStatus.SOFT, AssignmentStatus.HARD], { message: 'status of a new assignment must be SOFT or HARD' })
  status?: AssignmentStatus;
}

@InputType()
export class UpdateAssignmentInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  role?: string;

  @Field(() => String, { nullable: true, description: 'New bill rate; existing time entries keep their snapshot.' })
  @IsOptional()
  @Matches(RATE, { message: `billRate ${RATE_MESSAGE}` })
  billRate?: string;

  @Field(() => String, { nullable: true, description: 'New cost rate; existing time entries keep their snapshot.' })
  @IsOptional()
  @Matches(RATE, { message: `costRate ${RATE_MESSAGE}` })
  costRate?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(HOURS, { message: 'scheduledHours must be a non-negative decimal string with at most 2 decimals' })
  scheduledHours?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'startDate must be an ISO date (YYYY-MM-DD)' })
  startDate?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'endDate must be an ISO date (YYYY-MM-DD)' })
  endDate?: string;
}

@InputType()
export class AssignmentFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  projectId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  resourceId?: string;

  @Field(() => [AssignmentStatus], { nullable: true })
  @IsOptional()
  @IsEnum(AssignmentStatus, { each: true })
  statusIn?: AssignmentStatus[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  role?: string;

  @Field(() => String, { nullable: true, description: 'Assignments whose period ends on or after this ISO date.' })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'from must be an ISO date (YYYY-MM-DD)' })
  from?: string;

  @Field(() => String, { nullable: true, description: 'Assignments whose period starts on or before this ISO date.' })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'to must be an ISO date (YYYY-MM-DD)' })
  to?: string;
}

export enum AssignmentSortField {
  START_DATE = 'startDate',
  CREATED_AT = 'createdAt',
}
registerEnumType(AssignmentSortField, { name: 'AssignmentSortField' });

@InputType()
export class AssignmentOrder {
  @Field(() => AssignmentSortField)
  @IsEnum(AssignmentSortField)
  field: AssignmentSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  @IsEnum(SortDirection)
  direction: SortDirection;
}

@ArgsType()
export class AssignmentsArgs extends PageArgs {
  @Field(() => AssignmentFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => AssignmentFilter)
  filter?: AssignmentFilter;

  @Field(() => AssignmentOrder, { nullable: true, description: 'Default: start date ascending.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => AssignmentOrder)
  orderBy?: AssignmentOrder;
}

/** Arguments of the nested lists `Project.assignments` and `Resource.assignments`. */
@ArgsType()
export class NestedAssignmentsArgs {
  @Field(() => Int, { defaultValue: 50, description: `At most this many, 0 to ${MAX_PAGE_SIZE}, by start date.` })
  @IsInt()
  @Min(0)
  @Max(MAX_PAGE_SIZE)
  first: number;

  @Field(() => [AssignmentStatus], { nullable: true })
  @IsOptional()
  @IsEnum(AssignmentStatus, { each: true })
  statusIn?: AssignmentStatus[];
}
