import { ArgsType, Field, ID, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsOptional, IsString, IsUUID, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { PageArgs, SortDirection } from '@concord/graphql';
import { CURRENCY, ISO_DATE } from '@concord/common';
import { AMOUNT, HOURS, PERCENT } from '../../common/input-formats';
import { PercentCompleteMethod, ProjectBillingModel, ProjectHealth, ProjectPricingType, ProjectStatus } from '../project.entity';

const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$/;
const DATE_MESSAGE = (field: string) => `${field} must be an ISO date (YYYY-MM-DD)`;

@InputType()
export class CreateProjectInput {
  @Field({ description: 'Unique code: letters, digits, ".", "_" or "-", up to 50 characters.' })
  @Matches(CODE, { message: 'code must be 1 to 50 letters, digits, ".", "_" or "-"' })
  code: string;

  @Field()
  @IsString()
  @Length(1, 200)
  name: string;

  @Field(() => ID)
  @IsUUID()
  clientId: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  contractId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  opportunityId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  legalEntityId?: string | null;

  @Field({ description: 'ISO-4217 currency of the contract; all project money is in it.' })
  @Matches(CURRENCY, { message: 'currency must be an ISO-4217 code such as EUR' })
  currency: string;

  @Field(() => ProjectHealth, { nullable: true })
  @IsOptional()
  @IsEnum(ProjectHealth)
  health?: ProjectHealth;

  @Field(() => ProjectBillingModel, { nullable: true })
  @IsOptional()
  @IsEnum(ProjectBillingModel)
  billingModel?: ProjectBillingModel;

  @Field(() => ProjectPricingType, { nullable: true })
  @IsOptional()
  @IsEnum(ProjectPricingType)
  pricingType?: ProjectPricingType;

  @Field()
  @Matches(ISO_DATE, { message: DATE_MESSAGE('plannedStart') })
  plannedStart: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(ISO_DATE, { message: DATE_MESSAGE('plannedEnd') })
  plannedEnd?: string | null;

  @Field(() => String, { nullable: true, description: 'Budgeted hours, decimal string.' })
  @IsOptional()
  @Matches(HOURS, { message: 'budgetHours must be a non-negative decimal string with at most 2 decimals' })
  budgetHours?: string | null;

  @Field(() => String, { nullable: true, description: 'Budget amount in the project currency, decimal string.' })
  @IsOptional()
  @Matches(AMOUNT, { message: 'budget must be a non-negative decimal string with at most 2 decimals' })
  budget?: string | null;

  @Field(() => PercentCompleteMethod, { nullable: true, description: 'Default MANUAL.' })
  @IsOptional()
  @IsEnum(PercentCompleteMethod)
  percentCompleteMethod?: PercentCompleteMethod;

  @Field(() => String, { nullable: true, description: 'Only with the MANUAL method; 0 to 100.' })
  @IsOptional()
  @Matches(PERCENT, { message: 'percentComplete must be a decimal string from 0 to 100' })
  percentComplete?: string;

  @Field(() => String, { nullable: true, description: 'User id of the delivery manager (required to activate).' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  managerId?: string | null;
}

@InputType()
export class UpdateProjectInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(CODE, { message: 'code must be 1 to 50 letters, digits, ".", "_" or "-"' })
  code?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  contractId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  opportunityId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  legalEntityId?: string | null;

  @Field(() => ProjectHealth, { nullable: true })
  @IsOptional()
  @IsEnum(ProjectHealth)
  health?: ProjectHealth;

  @Field(() => ProjectBillingModel, { nullable: true })
  @IsOptional()
  @IsEnum(ProjectBillingModel)
  billingModel?: ProjectBillingModel;

  @Field(() => ProjectPricingType, { nullable: true })
  @IsOptional()
  @IsEnum(ProjectPricingType)
  pricingType?: ProjectPricingType;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(ISO_DATE, { message: DATE_MESSAGE('plannedStart') })
  plannedStart?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(ISO_DATE, { message: DATE_MESSAGE('plannedEnd') })
  plannedEnd?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(ISO_DATE, { message: DATE_MESSAGE('actualStart') })
  actualStart?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(ISO_DATE, { message: DATE_MESSAGE('actualEnd') })
  actualEnd?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(HOURS, { message: 'budgetHours must be a non-negative decimal string with at most 2 decimals' })
  budgetHours?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(AMOUNT, { message: 'budget must be a non-negative decimal string with at most 2 decimals' })
  budget?: string | null;

  @Field(() => PercentCompleteMethod, { nullable: true, description: 'Switching to a computed method recomputes percentComplete.' })
  @IsOptional()
  @IsEnum(PercentCompleteMethod)
  percentCompleteMethod?: PercentCompleteMethod;

  @Field(() => String, { nullable: true, description: 'Only with the MANUAL method; 0 to 100.' })
  @IsOptional()
  @Matches(PERCENT, { message: 'percentComplete must be a decimal string from 0 to 100' })
  percentComplete?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  managerId?: string | null;
}

@InputType()
export class ProjectFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  clientId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  contractId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  opportunityId?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  managerId?: string;

  @Field(() => [ProjectStatus], { nullable: true })
  @IsOptional()
  @IsEnum(ProjectStatus, { each: true })
  statusIn?: ProjectStatus[];

  @Field(() => [ProjectHealth], { nullable: true })
  @IsOptional()
  @IsEnum(ProjectHealth, { each: true })
  healthIn?: ProjectHealth[];

  @Field(() => String, { nullable: true, description: 'Case-insensitive substring of the code or the name.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  codeOrNameContains?: string;

  @Field(() => String, { nullable: true, description: 'plannedStart on or after this ISO date.' })
  @IsOptional()
  @Matches(ISO_DATE, { message: DATE_MESSAGE('plannedStartFrom') })
  plannedStartFrom?: string;

  @Field(() => String, { nullable: true, description: 'plannedStart on or before this ISO date.' })
  @IsOptional()
  @Matches(ISO_DATE, { message: DATE_MESSAGE('plannedStartTo') })
  plannedStartTo?: string;
}

export enum ProjectSortField {
  CODE = 'code',
  NAME = 'name',
  PLANNED_START = 'plannedStart',
  CREATED_AT = 'createdAt',
}
registerEnumType(ProjectSortField, { name: 'ProjectSortField' });

@InputType()
export class ProjectOrder {
  @Field(() => ProjectSortField)
  @IsEnum(ProjectSortField)
  field: ProjectSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  @IsEnum(SortDirection)
  direction: SortDirection;
}

@ArgsType()
export class ProjectsArgs extends PageArgs {
  @Field(() => ProjectFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ProjectFilter)
  filter?: ProjectFilter;

  @Field(() => ProjectOrder, { nullable: true, description: 'Default: code ascending.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ProjectOrder)
  orderBy?: ProjectOrder;
}
