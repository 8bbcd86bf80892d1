import { ArgsType, Field, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEnum, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { CurrencyField, DecimalField, IdField, IsoDateField, PageArgs, SortDirection } from '@concord/graphql';
import { AMOUNT, RATE } from '../../common/validators';
import { PaymentMethod, PaymentStatus } from '../payment.states';

@InputType({ description: 'Part of a payment to apply to one POSTED invoice of the same customer, legal entity and currency.' })
export class PaymentAllocationInput {
  @IdField()
  invoiceId: string;

  @DecimalField(AMOUNT, { description: "Decimal string, at most the invoice's amountDue." })
  allocatedAmount: string;
}

@InputType()
export class CreatePaymentAllocationInput extends PaymentAllocationInput {
  @IdField({ description: 'A DRAFT payment.' })
  paymentId: string;
}

@InputType()
export class UpdatePaymentAllocationInput {
  @DecimalField(AMOUNT)
  allocatedAmount: string;
}

@InputType({ description: 'A DRAFT payment; its allocations are applied to the invoices when it is posted.' })
export class CreatePaymentInput {
  @IdField({ description: 'The paying LegalCustomer.' })
  customerId: string;

  @IdField({ description: 'The legal entity that received the cash.' })
  legalEntityId: string;

  @IsoDateField({ nullable: true, description: 'ISO date the cash was received; default today.' })
  date?: string;

  @DecimalField(AMOUNT, { description: 'Decimal string > 0.' })
  amount: string;

  @CurrencyField({ nullable: true, description: 'ISO-4217; default the customer default currency.' })
  currency?: string;

  @DecimalField(RATE, {
    nullable: true,
    description: 'Rate to the legal entity functional currency (the bank rate); default the FxRate of the payment date.',
  })
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
  @IsoDateField({ nullable: true })
  date?: string;

  @DecimalField(AMOUNT, { nullable: true, description: 'At least the sum of the allocations.' })
  amount?: string;

  @CurrencyField({ nullable: true, description: 'Only while the payment has no allocations.' })
  currency?: string;

  @DecimalField(RATE, { nullable: true })
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
  @IdField({ nullable: true })
  customerId?: string;

  @IdField({ nullable: true })
  legalEntityId?: string;

  @IdField({ nullable: true, description: 'Payments with an allocation to this invoice.' })
  invoiceId?: string;

  @Field(() => [PaymentStatus], { nullable: true })
  @IsOptional()
  @IsEnum(PaymentStatus, { each: true })
  statusIn?: PaymentStatus[];

  @Field(() => [PaymentMethod], { nullable: true })
  @IsOptional()
  @IsEnum(PaymentMethod, { each: true })
  methodIn?: PaymentMethod[];

  @IsoDateField({ nullable: true, description: 'date on or after (ISO date).' })
  dateFrom?: string;

  @IsoDateField({ nullable: true, description: 'date on or before (ISO date).' })
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
  @IdField({ nullable: true })
  paymentId?: string;

  @IdField({ nullable: true })
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
