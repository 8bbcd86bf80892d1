import { Field, InputType } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { IsDecimalString, IsIsoDate } from '@concord/graphql';
import { BillingModel } from '../../common/billing-model.enum';
import { ServiceTracking } from '../quote-line.entity';

const HOURS = { integerDigits: 8, places: 2, min: '0', exclusiveMin: true };
const QUANTITY = { integerDigits: 8, places: 2, min: '0', exclusiveMin: true };
const RATE = { integerDigits: 12, places: 6 };
const PERCENT = { integerDigits: 3, places: 2, min: '0', max: '100' };

@InputType({
  description: 'TM and RETAINER lines need hours, FIXED and MILESTONE lines a quantity (default 1); MILESTONE lines a milestoneName.',
})
export class QuoteLineInput {
  @Field()
  @IsString()
  @Length(1, 100)
  serviceCode: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'Role a resource request will need, e.g. "consultant".' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  roleId?: string | null;

  @Field(() => BillingModel)
  @IsEnum(BillingModel)
  billingModel: BillingModel;

  @Field(() => String, { nullable: true, description: 'Decimal string > 0, for TM and RETAINER lines.' })
  @IsOptional()
  @IsDecimalString(HOURS)
  hours?: string | null;

  @Field(() => String, { nullable: true, description: 'Decimal string > 0, for FIXED and MILESTONE lines (default 1).' })
  @IsOptional()
  @IsDecimalString(QUANTITY)
  quantity?: string | null;

  @Field({ description: 'Price per hour or unit in the quote currency, decimal string (up to 6 decimals).' })
  @IsDecimalString(RATE)
  unitRate: string;

  @Field(() => String, { nullable: true, description: 'Discount in percent, 0 to 100 (default 0).' })
  @IsOptional()
  @IsDecimalString(PERCENT)
  discountPct?: string;

  @Field(() => ServiceTracking, { nullable: true, description: 'Default NONE.' })
  @IsOptional()
  @IsEnum(ServiceTracking)
  serviceTracking?: ServiceTracking;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  milestoneName?: string | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD.' })
  @IsOptional()
  @IsIsoDate()
  milestoneDate?: string | null;
}

@InputType({ description: 'Only the given fields change; null clears an optional one. The line is re-priced.' })
export class UpdateQuoteLineInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  serviceCode?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  roleId?: string | null;

  @Field(() => BillingModel, { nullable: true })
  @IsOptional()
  @IsEnum(BillingModel)
  billingModel?: BillingModel;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsDecimalString(HOURS)
  hours?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsDecimalString(QUANTITY)
  quantity?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsDecimalString(RATE)
  unitRate?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsDecimalString(PERCENT)
  discountPct?: string;

  @Field(() => ServiceTracking, { nullable: true })
  @IsOptional()
  @IsEnum(ServiceTracking)
  serviceTracking?: ServiceTracking;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  milestoneName?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsIsoDate()
  milestoneDate?: string | null;
}
