import { ArgsType, Field, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { CurrencyField, DecimalField, IdField, IsoDateField, PageArgs, SortDirection, type DecimalRule } from '@concord/graphql';
import { BillingModel } from '../../common/billing-model.enum';
import { OpportunityStage } from '../opportunity.states';

const AMOUNT: DecimalRule = { integerDigits: 16, places: 2 };

@InputType()
export class CreateOpportunityInput {
  @Field()
  @IsString()
  @Length(1, 200)
  name: string;

  @IdField()
  clientId: string;

  @IdField({ nullable: true, description: 'A contact of the same client.' })
  primaryContactId?: string | null;

  @Field()
  @IsString()
  @Length(1, 100)
  ownerId: string;

  @Field(() => Int, { nullable: true, description: 'Default: the PROSPECTING stage default (10).' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  probability?: number;

  @DecimalField(AMOUNT, { nullable: true, description: 'Expected deal value, decimal string (default "0").' })
  amount?: string;

  @CurrencyField({ nullable: true, description: "ISO-4217; default: the client's currency." })
  currency?: string;

  @IsoDateField({ description: 'YYYY-MM-DD.' })
  closeDate: string;

  @IsoDateField({ nullable: true, description: 'YYYY-MM-DD.' })
  expectedStartDate?: string | null;

  @Field(() => BillingModel, { nullable: true })
  @IsOptional()
  @IsEnum(BillingModel)
  billingModel?: BillingModel | null;
}

/** Everything but the stage (moved only by `moveOpportunity`) and the client. */
@InputType()
export class UpdateOpportunityInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @IdField({ nullable: true, description: 'A contact of the same client; null clears it.' })
  primaryContactId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  ownerId?: string;

  @Field(() => Int, { nullable: true, description: 'Only while the opportunity is open (closed ones are 100 or 0).' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  probability?: number;

  @DecimalField(AMOUNT, { nullable: true })
  amount?: string;

  @CurrencyField({ nullable: true })
  currency?: string;

  @IsoDateField({ nullable: true })
  closeDate?: string;

  @IsoDateField({ nullable: true })
  expectedStartDate?: string | null;

  @Field(() => BillingModel, { nullable: true })
  @IsOptional()
  @IsEnum(BillingModel)
  billingModel?: BillingModel | null;
}

@InputType()
export class OpportunityFilter {
  @IdField({ nullable: true })
  clientId?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  ownerId?: string;

  @Field(() => [OpportunityStage], { nullable: true })
  @IsOptional()
  @IsEnum(OpportunityStage, { each: true })
  stageIn?: OpportunityStage[];

  @IsoDateField({ nullable: true, description: 'Close date on or after, YYYY-MM-DD.' })
  closeDateFrom?: string;

  @IsoDateField({ nullable: true, description: 'Close date on or before, YYYY-MM-DD.' })
  closeDateTo?: string;

  @Field(() => String, { nullable: true, description: 'Case-insensitive substring of the name.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  nameContains?: string;
}

export enum OpportunitySortField {
  CLOSE_DATE = 'closeDate',
  AMOUNT = 'amountAmount',
  CREATED_AT = 'createdAt',
  NAME = 'name',
}
registerEnumType(OpportunitySortField, { name: 'OpportunitySortField' });

@InputType()
export class OpportunityOrder {
  @Field(() => OpportunitySortField)
  @IsEnum(OpportunitySortField)
  field: OpportunitySortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  @IsEnum(SortDirection)
  direction: SortDirection;
}

@ArgsType()
export class OpportunitiesArgs extends PageArgs {
  @Field(() => OpportunityFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => OpportunityFilter)
  filter?: OpportunityFilter;

  @Field(() => OpportunityOrder, { nullable: true, description: 'Default: close date ascending.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => OpportunityOrder)
  orderBy?: OpportunityOrder;
}

@ArgsType()
export class MoveOpportunityArgs {
  @IdField()
  id: string;

  @Field(() => OpportunityStage)
  @IsEnum(OpportunityStage)
  stage: OpportunityStage;

  @Field(() => String, { nullable: true, description: 'Required when the stage is CLOSED_LOST, refused otherwise.' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  lostReason?: string;
}
