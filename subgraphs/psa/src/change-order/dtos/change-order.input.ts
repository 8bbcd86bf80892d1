import { ArgsType, Field, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { DecimalField, IdField, IsoDateField, PageArgs, SortDirection } from '@concord/graphql';
import { SIGNED_AMOUNT, SIGNED_HOURS } from '../../common/input-formats';
import { ChangeOrderStatus } from '../change-order.entity';

const NUMBER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,29}$/;

@InputType()
export class CreateChangeOrderInput {
  @IdField()
  projectId: string;

  @Field(() => String, { nullable: true, description: 'Unique within the project; default the next "CO-nnn".' })
  @IsOptional()
  @Matches(NUMBER, { message: 'number must be 1 to 30 letters, digits, ".", "_" or "-"' })
  number?: string;

  @IdField({ nullable: true, description: 'Default: the project contract.' })
  contractId?: string | null;

  @DecimalField(SIGNED_AMOUNT, {
    nullable: true,
    description: 'Budget amount change in the project currency, signed decimal string (default 0).',
  })
  delta?: string;

  @DecimalField(SIGNED_HOURS, { nullable: true, description: 'Budget hours change, signed decimal string (default 0).' })
  deltaHours?: string;

  @IsoDateField({ nullable: true, description: 'New planned end date of the project (ISO date).', check: 'shape' })
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

  @IdField({ nullable: true })
  contractId?: string | null;

  @DecimalField(SIGNED_AMOUNT, { nullable: true })
  delta?: string;

  @DecimalField(SIGNED_HOURS, { nullable: true })
  deltaHours?: string;

  @IsoDateField({ nullable: true, check: 'shape' })
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
  @IdField({ nullable: true })
  projectId?: string;

  @IdField({ nullable: true })
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
