import { ArgsType, Field, ID, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsOptional, IsUUID, Matches, ValidateNested } from 'class-validator';
import { PageArgs, SortDirection } from '@concord/graphql';
import { ISO_DATE } from '@concord/common';

@ArgsType()
export class RefreshUtilizationArgs {
  @Field(() => ID)
  @IsUUID()
  resourceId: string;

  @Field({ description: 'ISO date in the first week to compute (its Monday is used).' })
  @Matches(ISO_DATE, { message: 'fromWeek must be an ISO date (YYYY-MM-DD)' })
  fromWeek: string;

  @Field({ description: 'ISO date in the last week to compute (its Monday is used); at most 100 weeks after fromWeek.' })
  @Matches(ISO_DATE, { message: 'toWeek must be an ISO date (YYYY-MM-DD)' })
  toWeek: string;
}

/** `Resource.utilization(from, to)`: the stored weeks that start in the range (from is moved to its Monday). */
@ArgsType()
export class ResourceUtilizationArgs {
  @Field({ description: 'ISO date; the week containing it is the first.' })
  @Matches(ISO_DATE, { message: 'from must be an ISO date (YYYY-MM-DD)' })
  from: string;

  @Field({ description: 'ISO date; the week containing it is the last (at most 100 weeks).' })
  @Matches(ISO_DATE, { message: 'to must be an ISO date (YYYY-MM-DD)' })
  to: string;
}

@InputType()
export class UtilizationPeriodFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  resourceId?: string;

  @Field(() => String, { nullable: true, description: 'Weeks starting on or after this ISO date.' })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'periodFrom must be an ISO date (YYYY-MM-DD)' })
  periodFrom?: string;

  @Field(() => String, { nullable: true, description: 'Weeks starting on or before this ISO date.' })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'periodTo must be an ISO date (YYYY-MM-DD)' })
  periodTo?: string;
}

export enum UtilizationPeriodSortField {
  PERIOD = 'period',
}
registerEnumType(UtilizationPeriodSortField, { name: 'UtilizationPeriodSortField' });

@InputType()
export class UtilizationPeriodOrder {
  @Field(() => UtilizationPeriodSortField)
  @IsEnum(UtilizationPeriodSortField)
  field: UtilizationPeriodSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  @IsEnum(SortDirection)
  direction: SortDirection;
}

@ArgsType()
export class UtilizationPeriodsArgs extends PageArgs {
  @Field(() => UtilizationPeriodFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => UtilizationPeriodFilter)
  filter?: UtilizationPeriodFilter;

  @Field(() => UtilizationPeriodOrder, { nullable: true, description: 'Default: period ascending.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => UtilizationPeriodOrder)
  orderBy?: UtilizationPeriodOrder;
}
