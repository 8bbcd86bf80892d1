import { ArgsType, Field, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEnum, IsOptional, IsString, Length, MaxLength, ValidateNested } from 'class-validator';
import { DecimalField, IdField, IsoDateField, PageArgs, SortDirection } from '@concord/graphql';
import { HOURS } from '../../common/input-formats';
import { ResourceRequestStatus } from '../resource-request.entity';

@InputType()
export class CreateResourceRequestInput {
  @IdField()
  projectId: string;

  @Field()
  @IsString()
  @Length(1, 100)
  role: string;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  skills?: string[];

  @DecimalField(HOURS, { description: 'Hours requested, decimal string, > 0.' })
  hours: string;

  @IsoDateField({ description: 'ISO date.', check: 'shape' })
  startDate: string;

  @IsoDateField({ description: 'ISO date, on or after startDate.', check: 'shape' })
  endDate: string;

  @IdField({
    nullable: true,
    description: 'The CRM quote line this request comes from; a second request for the same line is refused (CONFLICT).',
  })
  sourceQuoteLineId?: string | null;
}

@InputType()
export class UpdateResourceRequestInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  role?: string;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  skills?: string[];

  @DecimalField(HOURS, { nullable: true })
  hours?: string;

  @IsoDateField({ nullable: true, check: 'shape' })
  startDate?: string;

  @IsoDateField({ nullable: true, check: 'shape' })
  endDate?: string;
}

@InputType()
export class ResourceRequestFilter {
  @IdField({ nullable: true })
  projectId?: string;

  @Field(() => [ResourceRequestStatus], { nullable: true })
  @IsOptional()
  @IsEnum(ResourceRequestStatus, { each: true })
  statusIn?: ResourceRequestStatus[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  role?: string;

  @Field(() => String, { nullable: true, description: 'Requests that need this skill.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  skill?: string;

  @IsoDateField({ nullable: true, description: 'Requests whose period ends on or after this ISO date.', check: 'shape' })
  from?: string;

  @IsoDateField({ nullable: true, description: 'Requests whose period starts on or before this ISO date.', check: 'shape' })
  to?: string;

  @IdField({ nullable: true })
  sourceQuoteLineId?: string;
}

export enum ResourceRequestSortField {
  START_DATE = 'startDate',
  CREATED_AT = 'createdAt',
}
registerEnumType(ResourceRequestSortField, { name: 'ResourceRequestSortField' });

@InputType()
export class ResourceRequestOrder {
  @Field(() => ResourceRequestSortField)
  @IsEnum(ResourceRequestSortField)
  field: ResourceRequestSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  @IsEnum(SortDirection)
  direction: SortDirection;
}

@ArgsType()
export class ResourceRequestsArgs extends PageArgs {
  @Field(() => ResourceRequestFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ResourceRequestFilter)
  filter?: ResourceRequestFilter;

  @Field(() => ResourceRequestOrder, { nullable: true, description: 'Default: start date ascending.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ResourceRequestOrder)
  orderBy?: ResourceRequestOrder;
}
