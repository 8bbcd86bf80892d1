import { ArgsType, Field, ID, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsBoolean, IsEnum, IsOptional, IsString, IsUUID, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { PageArgs, SortDirection } from '@concord/graphql';
import { CURRENCY, ISO_DATE } from '@concord/common';
import { HOURS, PERCENT } from '../../common/input-formats';
import { RATE } from '../../common/rates';

const RATE_MESSAGE = 'costRate must be a non-negative decimal string with at most 6 decimals';
const CAPACITY_MESSAGE = 'capacityHoursPerWeek must be a non-negative decimal string with at most 2 decimals';

@InputType()
export class CreateResourceInput {
  @Field({ description: 'Id of the person in the identity system; unique.' })
  @IsString()
  @Length(1, 100)
  personId: string;

  @Field()
  @IsString()
  @Length(1, 200)
  name: string;

  @Field()
  @IsString()
  @Length(1, 100)
  primaryRole: string;

  @Field({ description: 'Cost per hour, decimal string (up to 6 decimals).' })
  @Matches(RATE, { message: RATE_MESSAGE })
  costRate: string;

  @Field({ description: 'ISO-4217 currency of the cost rate.' })
  @Matches(CURRENCY, { message: 'currency must be an ISO-4217 code such as EUR' })
  currency: string;

  @Field({ description: 'Hours per week, decimal string, at most 168.' })
  @Matches(HOURS, { message: CAPACITY_MESSAGE })
  capacityHoursPerWeek: string;

  @Field(() => String, { nullable: true, description: 'Billable utilization target, percent 0 to 100.' })
  @IsOptional()
  @Matches(PERCENT, { message: 'utilizationTargetPct must be a percentage from 0 to 100 with at most 2 decimals' })
  utilizationTargetPct?: string | null;

  @Field(() => String, { nullable: true, description: 'ISO date from which the target applies (required with a target).' })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'utilizationTargetEffectiveDate must be an ISO date (YYYY-MM-DD)' })
  utilizationTargetEffectiveDate?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  legalEntityId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Default true.' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

@InputType()
export class UpdateResourceInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  primaryRole?: string;

  @Field(() => String, { nullable: true, description: 'New cost per hour; existing assignments and time entries keep their snapshot.' })
  @IsOptional()
  @Matches(RATE, { message: RATE_MESSAGE })
  costRate?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(CURRENCY, { message: 'currency must be an ISO-4217 code such as EUR' })
  currency?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(HOURS, { message: CAPACITY_MESSAGE })
  capacityHoursPerWeek?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(PERCENT, { message: 'utilizationTargetPct must be a percentage from 0 to 100 with at most 2 decimals' })
  utilizationTargetPct?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'utilizationTargetEffectiveDate must be an ISO date (YYYY-MM-DD)' })
  utilizationTargetEffectiveDate?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  legalEntityId?: string | null;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

@InputType()
export class ResourceFilter {
  @Field(() => String, { nullable: true, description: 'Case-insensitive substring of the name.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  nameContains?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  primaryRole?: string;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  legalEntityId?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  personId?: string;
}

export enum ResourceSortField {
  NAME = 'name',
  CREATED_AT = 'createdAt',
}
registerEnumType(ResourceSortField, { name: 'ResourceSortField' });

@InputType()
export class ResourceOrder {
  @Field(() => ResourceSortField)
  @IsEnum(ResourceSortField)
  field: ResourceSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  @IsEnum(SortDirection)
  direction: SortDirection;
}

@ArgsType()
export class ResourcesArgs extends PageArgs {
  @Field(() => ResourceFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ResourceFilter)
  filter?: ResourceFilter;

  @Field(() => ResourceOrder, { nullable: true, description: 'Default: name ascending.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ResourceOrder)
  orderBy?: ResourceOrder;
}
