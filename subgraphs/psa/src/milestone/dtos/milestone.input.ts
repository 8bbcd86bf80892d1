import { ArgsType, Field, ID, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsBoolean, IsEnum, IsOptional, IsString, IsUUID, Length, Matches, ValidateNested } from 'class-validator';
import { PageArgs, SortDirection } from '@concord/graphql';
import { ISO_DATE } from '@concord/common';
import { AMOUNT, PERCENT } from '../../common/input-formats';
import { MilestoneStatus } from '../milestone.entity';

@InputType()
export class CreateMilestoneInput {
  @Field(() => ID)
  @IsUUID()
  projectId: string;

  @Field()
  @IsString()
  @Length(1, 200)
  name: string;

  @Field({ description: 'ISO date (YYYY-MM-DD).' })
  @Matches(ISO_DATE, { message: 'targetDate must be an ISO date (YYYY-MM-DD)' })
  targetDate: string;

  @Field(() => Boolean, { nullable: true, description: 'Default true; when false, reaching the milestone accepts it at once.' })
  @IsOptional()
  @IsBoolean()
  requiresSignOff?: boolean;

  @Field(() => String, { nullable: true, description: 'Fixed amount in the project currency, decimal string (or give percentage).' })
  @IsOptional()
  @Matches(AMOUNT, { message: 'amount must be a non-negative decimal string with at most 2 decimals' })
  amount?: string | null;

  @Field(() => String, { nullable: true, description: 'Share of the contract line, above 0 and up to 100 (or give amount).' })
  @IsOptional()
  @Matches(PERCENT, { message: 'percentage must be a decimal string from 0 to 100' })
  percentage?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  contractLineId?: string | null;
}

@InputType()
export class UpdateMilestoneInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'targetDate must be an ISO date (YYYY-MM-DD)' })
  targetDate?: string;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  requiresSignOff?: boolean;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(AMOUNT, { message: 'amount must be a non-negative decimal string with at most 2 decimals' })
  amount?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(PERCENT, { message: 'percentage must be a decimal string from 0 to 100' })
  percentage?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  contractLineId?: string | null;
}

@InputType()
export class MilestoneFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  projectId?: string;

  @Field(() => [MilestoneStatus], { nullable: true })
  @IsOptional()
  @IsEnum(MilestoneStatus, { each: true })
  statusIn?: MilestoneStatus[];

  @Field(() => String, { nullable: true, description: 'targetDate on or after this ISO date.' })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'targetDateFrom must be an ISO date (YYYY-MM-DD)' })
  targetDateFrom?: string;

  @Field(() => String, { nullable: true, description: 'targetDate on or before this ISO date.' })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'targetDateTo must be an ISO date (YYYY-MM-DD)' })
  targetDateTo?: string;
}

export enum MilestoneSortField {
  TARGET_DATE = 'targetDate',
  NAME = 'name',
  CREATED_AT = 'createdAt',
}
registerEnumType(MilestoneSortField, { name: 'MilestoneSortField' });

@InputType()
export class MilestoneOrder {
  @Field(() => MilestoneSortField)
  @IsEnum(MilestoneSortField)
  field: MilestoneSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  @IsEnum(SortDirection)
  direction: SortDirection;
}

@ArgsType()
export class MilestonesArgs extends PageArgs {
  @Field(() => MilestoneFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => MilestoneFilter)
  filter?: MilestoneFilter;

  @Field(() => MilestoneOrder, { nullable: true, description: 'Default: targetDate ascending.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => MilestoneOrder)
  orderBy?: MilestoneOrder;
}
