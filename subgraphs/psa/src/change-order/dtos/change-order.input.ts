import { ArgsType, Field, ID, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsOptional, IsString, IsUUID, Length, Matches, ValidateNested } from 'class-validator';
import { PageArgs, SortDirection } from '@concord/graphql';
import { ISO_DATE } from '@concord/common';
import { SIGNED_AMOUNT, SIGNED_HOURS } from '../../common/input-formats';
import { ChangeOrderStatus } from '../change-order.entity';

const NUMBER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,29}$/;

@InputType()
export class CreateChangeOrderInput {
  @Field(() => ID)
  @IsUUID()
  projectId: string;

  @Field(() => String, { nullable: true, description: 'Unique within the project; default the next "CO-nnn".' })
  @IsOptional()
  @Matches(NUMBER, { message: 'number must be 1 to 30 letters, digits, ".", "_" or "-"' })
  number?: string;

  @Field(() => ID, { nullable: true, description: 'Default: the project contract.' })
  @IsOptional()
  @IsUUID()
  contractId?: string | null;

  @Field(() => String, { nullable: true, description: 'Budget amount change in the project currency, signed decimal string (default 0).' })
  @IsOptional()
  @Matches(SIGNED_AMOUNT, { message: 'delta must be a decimal string with at most 2 decimals' })
  delta?: string;

  @Field(() => String, { nullable: true, description: 'Budget hours change, signed decimal string (default 0).' })
  @IsOptional()
  @Matches(SIGNED_HOURS, { message: 'deltaHours must be a decimal string with at most 2 decimals' })
  deltaHours?: string;

  @Field(() => String, { nullable: true, description: 'New planned end date of the project (ISO date).' })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'newEndDate must be an ISO date (YYYY-MM-DD)' })
  newEndDate?: string | null;

  @Field()
  @IsString()
  @Length(1, 2000)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason: string;
}

@InputType()
export class UpdateChangeOrderInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(NUMBER, { message: 'number must be 1 to 30 letters, digits, ".", "_" or "-"' })
  number?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  contractId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(SIGNED_AMOUNT, { message: 'delta must be a decimal string with at most 2 decimals' })
  delta?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(SIGNED_HOURS, { message: 'deltaHours must be a decimal string with at most 2 decimals' })
  deltaHours?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'newEndDate must be an ISO date (YYYY-MM-DD)' })
  newEndDate?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason?: string;
}

@InputType()
export class ChangeOrderFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  projectId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  contractId?: string;

  @Field(() => [ChangeOrderStatus], { nullable: true })
  @IsOptional()
  @IsEnum(ChangeOrderStatus, { each: true })
  statusIn?: ChangeOrderStatus[];
}

export enum ChangeOrderSortField {
  NUMBER = 'number',
  CREATED_AT = 'createdAt',
}
registerEnumType(ChangeOrderSortField, { name: 'ChangeOrderSortField' });

@InputType()
export class ChangeOrderOrder {
  @Field(() => ChangeOrderSortField)
  @IsEnum(ChangeOrderSortField)
  field: ChangeOrderSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  @IsEnum(SortDirection)
  direction: SortDirection;
}

@ArgsType()
export class ChangeOrdersArgs extends PageArgs {
  @Field(() => ChangeOrderFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ChangeOrderFilter)
  filter?: ChangeOrderFilter;

  @Field(() => ChangeOrderOrder, { nullable: true, description: 'Default: creation time ascending.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ChangeOrderOrder)
  orderBy?: ChangeOrderOrder;
}
