import { ArgsType, Field, ID, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEnum, IsOptional, IsString, IsUUID, Length, Matches, ValidateNested } from 'class-validator';
import { IsIsoDate, PageArgs, SortDirection } from '@concord/graphql';
import { CURRENCY } from '@concord/common';
import { AMOUNT, RATE } from '../../common/validators';
import { PaymentMethod, PaymentStatus } from '../payment.states';

const POSITIVE_AMOUNT_MESSAGE = 'must be a positive decimal string with at most 2 decimals';

@InputType({ description: 'Part of a payment to apply to one POSTED invoice of the same customer, legal entity and currency.' })
export class PaymentAllocationInput {
  @Field(() => ID)
  @IsUUID()
  invoiceId: string;

  @Field({ description: "Decimal string, at most the invoice's amountDue." })
  @Matches(AMOUNT, { message: `allocatedAmount ${POSITIVE_AMOUNT_MESSAGE}` })
  allocatedAmount: string;
}

@InputType()
export class CreatePaymentAllocationInput extends PaymentAllocationInput {
  @Field(() => ID, { description: 'A DRAFT payment.' })
  @IsUUID()
  paymentId: string;
}

@InputType()
export class UpdatePaymentAllocationInput {
  @Field()
  @Matches(AMOUNT, { message: `allocatedAmount ${POSITIVE_AMOUNT_MESSAGE}` })
  allocatedAmount: string;
}

@InputType({ description: 'A DRAFT payment; its allocations are applied to the invoices when it is posted.' })
export class CreatePaymentInput {
  @Field(() => ID, { description: 'The paying LegalCustomer.' })
  @IsUUID()
  customerId: string;

  @Field(() => ID, { description: 'The legal entity that received the cash.' })
  @IsUUID()
  legalEntityId: string;

  @Field(() => String, { nullable: true, description: 'ISO date the cash was received; default today.' })
  @IsOptional()
  @IsIsoDate()
  date?: string;

  @Field({ description: 'Decimal string > 0.' })
  @Matches(AMOUNT, { message: `amount ${POSITIVE_AMOUNT_MESSAGE}` })
  amount: string;

  @Field(() => String, { nullable: true, description: 'ISO-4217; default the customer default currency.' })
  @IsOptional()
  @Matches(CURRENCY, { message: 'currency must be an ISO-4217 code such as EUR' })
  currency?: string;

  @Field(() => String, {
    nullable: true,
    description: 'Rate to the legal entity functional currency (the bank rate); default the FxRate of the payment date.',
  })
  @IsOptional()
  @Matches(RATE, { message: 'fxRate must be a positive decimal string with at most 6 decimals' })
  fxRate?: string;

  @Field(() => PaymentMethod)
  @IsEnum(PaymentMethod)
  method: PaymentMethod;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  reference?: string | null;

  @Field(() => [PaymentAllocationInput], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => PaymentAllocationInput)
  allocations?: PaymentAllocationInput[];
}

@InputType({ description: 'Changes to a DRAFT payment; posted and cancelled payments are immutable.' })
export class UpdatePaymentInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsIsoDate()
  date?: string;

  @Field(() => String, { nullable: true, description: 'At least the sum of the allocations.' })
  @IsOptional()
  @Matches(AMOUNT, { message: `amount ${POSITIVE_AMOUNT_MESSAGE}` })
  amount?: string;

  @Field(() => String, { nullable: true, description: 'Only while the payment has no allocations.' })
  @IsOptional()
  @Matches(CURRENCY, { message: 'currency must be an ISO-4217 code such as EUR' })
  currency?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(RATE, { message: 'fxRate must be a positive decimal string with at most 6 decimals' })
  fxRate?: string | null;

  @Field(() => PaymentMethod, { nullable: true })
  @IsOptional()
  @IsEnum(PaymentMethod)
  method?: PaymentMethod;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  reference?: string | null;
}

@InputType()
export class PaymentFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  customerId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  legalEntityId?: string;

  @Field(() => ID, { nullable: true, description: 'Payments with an allocation to this invoice.' })
  @IsOptional()
  @IsUUID()
  invoiceId?: string;

  @Field(() => [PaymentStatus], { nullable: true })
  @IsOptional()
  @IsEnum(PaymentStatus, { each: true })
  statusIn?: PaymentStatus[];

  @Field(() => [PaymentMethod], { nullable: true })
  @IsOptional()
  @IsEnum(PaymentMethod, { each: true })
  methodIn?: PaymentMethod[];

  @Field(() => String, { nullable: true, description: 'date on or after (ISO date).' })
  @IsOptional()
  @IsIsoDate()
  dateFrom?: string;

  @Field(() => String, { nullable: true, description: 'date on or before (ISO date).' })
  @IsOptional()
  @IsIsoDate()
  dateTo?: string;
}

export enum PaymentSortField {
  DATE = 'date',
  CREATED_AT = 'createdAt',
  AMOUNT = 'amountAmount',
}
registerEnumType(PaymentSortField, { name: 'PaymentSortField' });

@InputType()
export class PaymentOrder {
  @Field(() => PaymentSortField)
  @IsEnum(PaymentSortField)
  field: PaymentSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  @IsEnum(SortDirection)
  direction: SortDirection;
}

@ArgsType()
export class PaymentsArgs extends PageArgs {
  @Field(() => PaymentFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => PaymentFilter)
  filter?: PaymentFilter;

  @Field(() => PaymentOrder, { nullable: true, description: 'Default: date descending.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => PaymentOrder)
  orderBy?: PaymentOrder;
}

@InputType()
export class PaymentAllocationFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  paymentId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  invoiceId?: string;
}

export enum PaymentAllocationSortField {
  CREATED_AT = 'createdAt',
}
registerEnumType(PaymentAllocationSortField, { name: 'PaymentAllocationSortField' });

@InputType()
export class PaymentAllocationOrder {
  @Field(() => PaymentAllocationSortField)
  @IsEnum(PaymentAllocationSortField)
  field: PaymentAllocationSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  @IsEnum(SortDirection)
  direction: SortDirection;
}

@ArgsType()
export class PaymentAllocationsArgs extends PageArgs {
  @Field(() => PaymentAllocationFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => PaymentAllocationFilter)
  filter?: PaymentAllocationFilter;

  @Field(() => PaymentAllocationOrder, { nullable: true, description: 'Default: creation order.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => PaymentAllocationOrder)
  orderBy?: PaymentAllocationOrder;
}
