import { ArgsType, Field, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsBoolean, IsEnum, IsOptional, IsString, Length, MaxLength, ValidateNested } from 'class-validator';
import { CurrencyField, DecimalField, IdField, IsoDateField, PageArgs, PercentField, SortDirection } from '@concord/graphql';
import { HOURS } from '../../common/input-formats';
import { RATE } from '../../common/rates';

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

  @DecimalField(RATE, { description: 'Cost per hour, decimal string (up to 6 decimals).' })
  costRate: string;

  @CurrencyField({ description: 'ISO-4217 currency of the cost rate.' })
  currency: string;

  @DecimalField(HOURS, { description: 'Hours per week, decimal string, at most 168.' })
  capacityHoursPerWeek: string;

  @PercentField(2, { nullable: true, description: 'Billable utilization target, percent 0 to 100.' })
  utilizationTargetPct?: string | null;

  @IsoDateField({ nullable: true, description: 'ISO date from which the target applies (required with a target).', check: 'shape' })
  utilizationTargetEffectiveDate?: string | null;

  @IdField({ nullable: true })
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

  @DecimalField(RATE, { nullable: true, description: 'New cost per hour; existing assignments and time entries keep their snapshot.' })
  costRate?: string;

  @CurrencyField({ nullable: true })
  currency?: string;

  @DecimalField(HOURS, { nullable: true })
  capacityHoursPerWeek?: string;

  @PercentField(2, { nullable: true })
  utilizationTargetPct?: string | null;

  @IsoDateField({ nullable: true, check: 'shape' })
  utilizationTargetEffectiveDate?: string | null;

  @IdField({ nullable: true })
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

  @IdField({ nullable: true })
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
