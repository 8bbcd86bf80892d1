import { ArgsType, Field, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsOptional, IsString, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { CurrencyField, DecimalField, IdField, IsoDateField, PageArgs, PercentField, SortDirection } from '@concord/graphql';
import { AMOUNT, HOURS } from '../../common/input-formats';
import { PercentCompleteMethod, ProjectBillingModel, ProjectHealth, ProjectPricingType, ProjectStatus } from '../project.entity';

const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$/;

@InputType()
export class CreateProjectInput {
  @Field({ description: 'Unique code: letters, digits, ".", "_" or "-", up to 50 characters.' })
  @Matches(CODE, { message: 'code must be 1 to 50 letters, digits, ".", "_" or "-"' })
  code: string;

  @Field()
  @IsString()
  @Length(1, 200)
  name: string;

  @IdField()
  clientId: string;

  @IdField({ nullable: true })
  contractId?: string | null;

  @IdField({ nullable: true })
  opportunityId?: string | null;

  @IdField({ nullable: true })
  legalEntityId?: string | null;

  @CurrencyField({ description: 'ISO-4217 currency of the contract; all project money is in it.' })
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

  @IsoDateField({ check: 'shape' })
  plannedStart: string;

  @IsoDateField({ nullable: true, check: 'shape' })
  plannedEnd?: string | null;

  @DecimalField(HOURS, { nullable: true, description: 'Budgeted hours, decimal string.' })
  budgetHours?: string | null;

  @DecimalField(AMOUNT, { nullable: true, description: 'Budget amount in the project currency, decimal string.' })
  budget?: string | null;

  @Field(() => PercentCompleteMethod, { nullable: true, description: 'Default MANUAL.' })
  @IsOptional()
  @IsEnum(PercentCompleteMethod)
  percentCompleteMethod?: PercentCompleteMethod;

  @PercentField(2, { nullable: true, description: 'Only with the MANUAL method; 0 to 100.' })
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

  @IdField({ nullable: true })
  contractId?: string | null;

  @IdField({ nullable: true })
  opportunityId?: string | null;

  @IdField({ nullable: true })
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

  @IsoDateField({ nullable: true, check: 'shape' })
  plannedStart?: string;

  @IsoDateField({ nullable: true, check: 'shape' })
  plannedEnd?: string | null;

  @IsoDateField({ nullable: true, check: 'shape' })
  actualStart?: string | null;

  @IsoDateField({ nullable: true, check: 'shape' })
  actualEnd?: string | null;

  @DecimalField(HOURS, { nullable: true })
  budgetHours?: string | null;

  @DecimalField(AMOUNT, { nullable: true })
  budget?: string | null;

  @Field(() => PercentCompleteMethod, { nullable: true, description: 'Switching to a computed method recomputes percentComplete.' })
  @IsOptional()
  @IsEnum(PercentCompleteMethod)
  percentCompleteMethod?: PercentCompleteMethod;

  @PercentField(2, { nullable: true, description: 'Only with the MANUAL method; 0 to 100.' })
  percentComplete?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  managerId?: string | null;
}

@InputType()
export class ProjectFilter {
  @IdField({ nullable: true })
  clientId?: string;

  @IdField({ nullable: true })
  contractId?: string;

  @IdField({ nullable: true })
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

  @IsoDateField({ nullable: true, description: 'plannedStart on or after this ISO date.', check: 'shape' })
  plannedStartFrom?: string;

  @IsoDateField({ nullable: true, description: 'plannedStart on or before this ISO date.', check: 'shape' })
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
