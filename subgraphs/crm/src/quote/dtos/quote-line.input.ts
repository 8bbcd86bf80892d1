import { Field, InputType } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { DecimalField, IsoDateField, type DecimalRule } from '@concord/graphql';
import { BillingModel } from '../../common/billing-model.enum';
import { ServiceTracking } from '../quote-line.entity';

const HOURS: DecimalRule = { integerDigits: 8, places: 2, min: '0', exclusiveMin: true };
const QUANTITY: DecimalRule = { integerDigits: 8, places: 2, min: '0', exclusiveMin: true };
const RATE: DecimalRule = { integerDigits: 12, places: 6 };
const PERCENT: DecimalRule = { integerDigits: 3, places: 2, min: '0', max: '100' };

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

  @DecimalField(HOURS, { nullable: true, description: 'Decimal string > 0, for TM and RETAINER lines.' })
  hours?: string | null;

  @DecimalField(QUANTITY, { nullable: true, description: 'Decimal string > 0, for FIXED and MILESTONE lines (default 1).' })
  quantity?: string | null;

  @DecimalField(RATE, { description: 'Price per hour or unit in the quote currency, decimal string (up to 6 decimals).' })
  unitRate: string;

  @DecimalField(PERCENT, { nullable: true, description: 'Discount in percent, 0 to 100 (default 0).' })
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

  @IsoDateField({ nullable: true, description: 'YYYY-MM-DD.' })
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

  @DecimalField(HOURS, { nullable: true })
  hours?: string | null;

  @DecimalField(QUANTITY, { nullable: true })
  quantity?: string | null;

  @DecimalField(RATE, { nullable: true })
  unitRate?: string;

  @DecimalField(PERCENT, { nullable: true })
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

  @IsoDateField({ nullable: true })
  milestoneDate?: string | null;
}
