import { ArgsType, Field, ID, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { CurrencyField, DecimalField, IdField, PageArgs, SortDirection } from '@concord/graphql';
import { AMOUNT } from '../../common/validators';
import { LegalCustomerStatus } from '../legal-customer.entity';

const COUNTRY = /^[A-Z]{2}$/;

@InputType()
export class BillingAddressInput {
  @Field()
  @IsString()
  @Length(1, 200)
  line1: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  line2?: string | null;

  @Field()
  @IsString()
  @Length(1, 100)
  city: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  postalCode?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  region?: string | null;

  @Field({ description: 'ISO-3166 alpha-2 country code.' })
  @Matches(COUNTRY, { message: 'billingAddress.country must be an ISO-3166 alpha-2 code such as FR' })
  country: string;
}

@InputType()
export class CreateLegalCustomerInput {
  @Field()
  @IsString()
  @Length(1, 200)
  legalName: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  taxId?: string | null;

  @IdField({ description: 'The CRM Client; one legal customer per client.' })
  clientId: string;

  @CurrencyField({ description: 'ISO-4217 currency of new contracts and of the credit limit.' })
  defaultCurrency: string;

  @Field(() => Int, { nullable: true, description: 'Days from invoice to due date, 0 to 365 (default 30).' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(365)
  paymentTermsDays?: number;

  @DecimalField(AMOUNT, { nullable: true, description: 'Non-negative decimal string in the default currency.' })
  creditLimit?: string | null;

  @Field(() => BillingAddressInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => BillingAddressInput)
  billingAddress?: BillingAddressInput | null;
}

/** clientId is fixed at creation; the status moves only through transitionLegalCustomer. */
@InputType()
export class UpdateLegalCustomerInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  legalName?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  taxId?: string | null;

  @CurrencyField({ nullable: true })
  defaultCurrency?: string;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(365)
  paymentTermsDays?: number;

  @DecimalField(AMOUNT, { nullable: true })
  creditLimit?: string | null;

  @Field(() => BillingAddressInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => BillingAddressInput)
  billingAddress?: BillingAddressInput | null;
}

@InputType()
export class LegalCustomerFilter {
  @Field(() => String, { nullable: true, description: 'Case-insensitive substring of the legal name or tax id.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @IsUUID('all', { each: true })
  clientIdIn?: string[];

  @Field(() => [LegalCustomerStatus], { nullable: true })
  @IsOptional()
  @IsEnum(LegalCustomerStatus, { each: true })
  statusIn?: LegalCustomerStatus[];

  @CurrencyField({ nullable: true })
  defaultCurrency?: string;
}

export enum LegalCustomerSortField {
  LEGAL_NAME = 'legalName',
  CREATED_AT = 'createdAt',
}
registerEnumType(LegalCustomerSortField, { name: 'LegalCustomerSortField' });

@InputType()
export class LegalCustomerOrder {
  @Field(() => LegalCustomerSortField)
  @IsEnum(LegalCustomerSortField)
  field: LegalCustomerSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  @IsEnum(SortDirection)
  direction: SortDirection;
}

@ArgsType()
export class LegalCustomersArgs extends PageArgs {
  @Field(() => LegalCustomerFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => LegalCustomerFilter)
  filter?: LegalCustomerFilter;

  @Field(() => LegalCustomerOrder, { nullable: true, description: 'Default: legal name ascending.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => LegalCustomerOrder)
  orderBy?: LegalCustomerOrder;
}
