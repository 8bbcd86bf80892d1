import { ArgsType, Field, ID, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEnum, IsOptional, IsString, IsUUID, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { PageArgs, SortDirection } from '@concord/graphql';
import { ISO_DATE } from '@concord/common';
import { HOURS } from '../../common/input-formats';
import { ResourceRequestStatus } from '../resource-request.entity';

const HOURS_MESSAGE = 'hours must be a positive decimal string with at most 2 decimals';

@InputType()
export class CreateResourceRequestInput {
  @Field(() => ID)
  @IsUUID()
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

  @Field({ description: 'Hours requested, decimal string, > 0.' })
  @Matches(HOURS, { message: HOURS_MESSAGE })
  hours: string;

  @Field({ description: 'ISO date.' })
  @Matches(ISO_DATE, { message: 'startDate must be an ISO date (YYYY-MM-DD)' })
  startDate: string;

  @Field({ description: 'ISO date, on or after startDate.' })
  @Matches(ISO_DATE, { message: 'endDate must be an ISO date (YYYY-MM-DD)' })
  endDate: string;

  @Field(() => ID, {
    nullable: true,
    description: 'The CRM quote line this request comes from; a second request for the same line is refused (CONFLICT).',
  })
  @IsOptional()
  @IsUUID()
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

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(HOURS, { message: HOURS_MESSAGE })
  hours?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'startDate must be an ISO date (YYYY-MM-DD)' })
  startDate?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'endDate must be an ISO date (YYYY-MM-DD)' })
  endDate?: string;
}

@InputType()
export class ResourceRequestFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
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

  @Field(() => String, { nullable: true, description: 'Requests whose period ends on or after this ISO date.' })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'from must be an ISO date (YYYY-MM-DD)' })
  from?: string;

  @Field(() => String, { nullable: true, description: 'Requests whose period starts on or before this ISO date.' })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'to must be an ISO date (YYYY-MM-DD)' })
  to?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
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
