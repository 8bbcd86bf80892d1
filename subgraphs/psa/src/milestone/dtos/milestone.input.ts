import { ArgsType, Field, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsBoolean, IsEnum, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { DecimalField, IdField, IsoDateField, PageArgs, PercentField, SortDirection } from '@concord/graphql';
import { AMOUNT } from '../../common/input-formats';
import { MilestoneStatus } from '../milestone.entity';

@InputType()
export class CreateMilestoneInput {
  @IdField()
  projectId: string;

  @Field()
  @IsString()
  @Length(1, 200)
  name: string;

  @IsoDateField({ description: 'ISO date (YYYY-MM-DD).', check: 'shape' })
  targetDate: string;

  @Field(() => Boolean, { nullable: true, description: 'Default true; when false, reaching the milestone accepts it at once.' })
  @IsOptional()
  @IsBoolean()
  requiresSignOff?: boolean;

  @DecimalField(AMOUNT, { nullable: true, description: 'Fixed amount in the project currency, decimal string (or give percentage).' })
  amount?: string | null;

  @PercentField(2, { nullable: true, description: 'Share of the contract line, above 0 and up to 100 (or give amount).' })
  percentage?: string | null;

  @IdField({ nullable: true })
  contractLineId?: string | null;
}

@InputType()
export class UpdateMilestoneInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @IsoDateField({ nullable: true, check: 'shape' })
  targetDate?: string;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  requiresSignOff?: boolean;

  @DecimalField(AMOUNT, { nullable: true })
  amount?: string | null;

  @PercentField(2, { nullable: true })
  percentage?: string | null;

  @IdField({ nullable: true })
  contractLineId?: string | null;
}

@InputType()
export class MilestoneFilter {
  @IdField({ nullable: true })
  projectId?: string;

  @Field(() => [MilestoneStatus], { nullable: true })
  @IsOptional()
  @IsEnum(MilestoneStatus, { each: true })
  statusIn?: MilestoneStatus[];

  @IsoDateField({ nullable: true, description: 'targetDate on or after this ISO date.', check: 'shape' })
  targetDateFrom?: string;

  @IsoDateField({ nullable: true, description: 'targetDate on or before this ISO date.', check: 'shape' })
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
