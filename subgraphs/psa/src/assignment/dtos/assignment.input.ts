import { ArgsType, Field, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsIn, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { MAX_PAGE_SIZE } from '@concord/common';
import { DecimalField, IdField, IsoDateField, PageArgs, SortDirection } from '@concord/graphql';
import { HOURS } from '../../common/input-formats';
import { RATE } from '../../common/rates';
import { AssignmentStatus } from '../assignment.entity';

@InputType()
export class CreateAssignmentInput {
  @IdField({ nullable: true, description: 'Required unless resourceRequestId is given (then the request project).' })
  projectId?: string;

  @IdField()
  resourceId: string;

  @IdField({ nullable: true, description: 'Fulfils this OPEN request in the same transaction; role, hours and dates default from it.' })
  resourceRequestId?: string;

  @Field(() => String, { nullable: true, description: 'Default: the request role, else the resource primary role.' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  role?: string;

  @DecimalField(RATE, { description: 'Bill rate per hour in the project currency (from the ERP rate card), decimal string.' })
  billRate: string;

  @DecimalField(RATE, {
    nullable: true,
    description:
      'Cost rate per hour in the project currency. Default: the resource cost rate, only when the resource is costed in the project currency.',
  })
  costRate?: string;

  @DecimalField(HOURS, { nullable: true, description: 'Hours booked, decimal string. Default: the request hours.' })
  scheduledHours?: string;

  @IsoDateField({ nullable: true, description: 'ISO date. Default: the request start.', check: 'shape' })
  startDate?: string;

  @IsoDateField({ nullable: true, description: 'ISO date. Default: the request end.', check: 'shape' })
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

  @DecimalField(RATE, { nullable: true, description: 'New bill rate; existing time entries keep their snapshot.' })
  billRate?: string;

  @DecimalField(RATE, { nullable: true, description: 'New cost rate; existing time entries keep their snapshot.' })
  costRate?: string;

  @DecimalField(HOURS, { nullable: true })
  scheduledHours?: string;

  @IsoDateField({ nullable: true, check: 'shape' })
  startDate?: string;

  @IsoDateField({ nullable: true, check: 'shape' })
  endDate?: string;
}

@InputType()
export class AssignmentFilter {
  @IdField({ nullable: true })
  projectId?: string;

  @IdField({ nullable: true })
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

  @IsoDateField({ nullable: true, description: 'Assignments whose period ends on or after this ISO date.', check: 'shape' })
  from?: string;

  @IsoDateField({ nullable: true, description: 'Assignments whose period starts on or before this ISO date.', check: 'shape' })
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
