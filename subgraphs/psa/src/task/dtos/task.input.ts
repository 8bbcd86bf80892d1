import { ArgsType, Field, ID, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsBoolean, IsEnum, IsOptional, IsString, IsUUID, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { PageArgs, SortDirection } from '@concord/graphql';
import { HOURS, PERCENT } from '../../common/input-formats';
import { TaskStatus } from '../task.entity';

@InputType()
export class CreateTaskInput {
  @Field(() => ID)
  @IsUUID()
  projectId: string;

  @Field(() => ID, { nullable: true, description: 'Parent task in the same project.' })
  @IsOptional()
  @IsUUID()
  parentTaskId?: string | null;

  @Field()
  @IsString()
  @Length(1, 200)
  name: string;

  @Field(() => String, { nullable: true, description: 'Decimal string, default 0.' })
  @IsOptional()
  @Matches(HOURS, { message: 'allocatedHours must be a non-negative decimal string with at most 2 decimals' })
  allocatedHours?: string;

  @Field(() => String, { nullable: true, description: '0 to 100, default 0.' })
  @IsOptional()
  @Matches(PERCENT, { message: 'progress must be a decimal string from 0 to 100' })
  progress?: string;

  @Field(() => String, { nullable: true, description: 'Weight for WEIGHTED_PROGRESS, default 1.' })
  @IsOptional()
  @Matches(HOURS, { message: 'weight must be a non-negative decimal string with at most 2 decimals' })
  weight?: string;

  @Field(() => ID, { nullable: true, description: 'Milestone of the same project.' })
  @IsOptional()
  @IsUUID()
  milestoneId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Default true.' })
  @IsOptional()
  @IsBoolean()
  billable?: boolean;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  contractLineId?: string | null;
}

@InputType()
export class UpdateTaskInput {
  @Field(() => ID, { nullable: true, description: 'Parent task in the same project; null makes it a top-level task.' })
  @IsOptional()
  @IsUUID()
  parentTaskId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(HOURS, { message: 'allocatedHours must be a non-negative decimal string with at most 2 decimals' })
  allocatedHours?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(PERCENT, { message: 'progress must be a decimal string from 0 to 100' })
  progress?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(HOURS, { message: 'weight must be a non-negative decimal string with at most 2 decimals' })
  weight?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  milestoneId?: string | null;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  billable?: boolean;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  contractLineId?: string | null;
}

@InputType()
export class TaskFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  projectId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  parentTaskId?: string;

  @Field(() => Boolean, { nullable: true, description: 'Only top-level tasks (no parent).' })
  @IsOptional()
  @IsBoolean()
  rootOnly?: boolean;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  milestoneId?: string;

  @Field(() => [TaskStatus], { nullable: true })
  @IsOptional()
  @IsEnum(TaskStatus, { each: true })
  statusIn?: TaskStatus[];

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  billable?: boolean;

  @Field(() => String, { nullable: true, description: 'Case-insensitive substring of the name.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  nameContains?: string;
}

export enum TaskSortField {
  NAME = 'name',
  CREATED_AT = 'createdAt',
}
registerEnumType(TaskSortField, { name: 'TaskSortField' });

@InputType()
export class TaskOrder {
  @Field(() => TaskSortField)
  @IsEnum(TaskSortField)
  field: TaskSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  @IsEnum(SortDirection)
  direction: SortDirection;
}

@ArgsType()
export class TasksArgs extends PageArgs {
  @Field(() => TaskFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => TaskFilter)
  filter?: TaskFilter;

  @Field(() => TaskOrder, { nullable: true, description: 'Default: creation time ascending.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => TaskOrder)
  orderBy?: TaskOrder;
}
