import { ArgsType, Field, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsOptional, ValidateNested } from 'class-validator';
import { IdField, IsoDateField, PageArgs, SortDirection } from '@concord/graphql';

@ArgsType()
export class RefreshUtilizationArgs {
  @IdField()
  resourceId: string;

  @IsoDateField({ description: 'ISO date in the first week to compute (its Monday is used).', check: 'shape' })
  fromWeek: string;

  @IsoDateField({
    description: 'ISO date in the last week to compute (its Monday is used); at most 100 weeks after fromWeek.',
    check: 'shape',
  })
  toWeek: string;
}

/** `Resource.utilization(from, to)`: the stored weeks that start in the range (from is moved to its Monday). */
@ArgsType()
export class ResourceUtilizationArgs {
  @IsoDateField({ description: 'ISO date; the week containing it is the first.', check: 'shape' })
  from: string;

  @IsoDateField({ description: 'ISO date; the week containing it is the last (at most 100 weeks).', check: 'shape' })
  to: string;
}

@InputType()
export class UtilizationPeriodFilter {
  @IdField({ nullable: true })
  resourceId?: string;

  @IsoDateField({ nullable: true, description: 'Weeks starting on or after this ISO date.', check: 'shape' })
  periodFrom?: string;

  @IsoDateField({ nullable: true, description: 'Weeks starting on or before this ISO date.', check: 'shape' })
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
