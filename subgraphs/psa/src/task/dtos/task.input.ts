import { ArgsType, Field, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsBoolean, IsEnum, IsOptional, IsString, Length, MaxLength, ValidateNested } from 'class-validator';
import { DecimalField, IdField, PageArgs, PercentField, SortDirection } from '@concord/graphql';
import { HOURS } from '../../common/input-formats';
import { TaskStatus } from '../task.entity';

@InputType()
export class CreateTaskInput {
  @IdField()
  projectId: string;

  @IdField({ nullable: true, description: 'Parent task in the same project.' })
  parentTaskId?: string | null;

  @Field()
  @IsString()
  @Length(1, 200)
  name: string;

  @DecimalField(HOURS, { nullable: true, description: 'Decimal string, default 0.' })
  allocatedHours?: string;

  @PercentField(2, { nullable: true, description: '0 to 100, default 0.' })
  progress?: string;

  @DecimalField(HOURS, { nullable: true, description: 'Weight for WEIGHTED_PROGRESS, default 1.' })
  weight?: string;

  @IdField({ nullable: true, description: 'Milestone of the same project.' })
  milestoneId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Default true.' })
  @IsOptional()
  @IsBoolean()
  billable?: boolean;

  @IdField({ nullable: true })
  contractLineId?: string | null;
}

@InputType()
export class UpdateTaskInput {
  @IdField({ nullable: true, description: 'Parent task in the same project; null makes it a top-level task.' })
  parentTaskId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @DecimalField(HOURS, { nullable: true })
  allocatedHours?: string;

  @PercentField(2, { nullable: true })
  progress?: string;

  @DecimalField(HOURS, { nullable: true })
  weight?: string;

  @IdField({ nullable: true })
  milestoneId?: string | null;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  billable?: boolean;

  @IdField({ nullable: true })
  contractLineId?: string | null;
}

@InputType()
export class TaskFilter {
  @IdField({ nullable: true })
  projectId?: string;

  @IdField({ nullable: true })
  parentTaskId?: string;

  @Field(() => Boolean, { nullable: true, description: 'Only top-level tasks (no parent).' })
  @IsOptional()
  @IsBoolean()
  rootOnly?: boolean;

  @IdField({ nullable: true })
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
