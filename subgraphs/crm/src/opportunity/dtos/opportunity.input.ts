import { ArgsType, Field, ID, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { IsDecimalString, IsIsoDate, PageArgs, SortDirection } from '@concord/graphql';
import { BillingModel } from '../../common/billing-model.enum';
import { OpportunityStage } from '../opportunity.states';

const CURRENCY = /^[A-Z]{3}$/;
const AMOUNT = { integerDigits: 16, places: 2 };

@InputType()
export class CreateOpportunityInput {
  @Field()
  @IsString()
  @Length(1, 200)
  name: string;

  @Field(() => ID)
  @IsUUID()
  clientId: string;

  @Field(() => ID, { nullable: true, description: 'A contact of the same client.' })
  @IsOptional()
  @IsUUID()
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

  @Field(() => String, { nullable: true, description: 'Expected deal value, decimal string (default "0").' })
  @IsOptional()
  @IsDecimalString(AMOUNT)
  amount?: string;

  @Field(() => String, { nullable: true, description: "ISO-4217; default: the client's currency." })
  @IsOptional()
  @Matches(CURRENCY, { message: 'currency must be an ISO-4217 code such as EUR' })
  currency?: string;

  @Field({ description: 'YYYY-MM-DD.' })
  @IsIsoDate()
  closeDate: string;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD.' })
  @IsOptional()
  @IsIsoDate()
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

  @Field(() => ID, { nullable: true, description: 'A contact of the same client; null clears it.' })
  @IsOptional()
  @IsUUID()
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

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsDecimalString(AMOUNT)
  amount?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(CURRENCY, { message: 'currency must be an ISO-4217 code such as EUR' })
  currency?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsIsoDate()
  closeDate?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsIsoDate()
  expectedStartDate?: string | null;

  @Field(() => BillingModel, { nullable: true })
  @IsOptional()
  @IsEnum(BillingModel)
  billingModel?: BillingModel | null;
}

@InputType()
export class OpportunityFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
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

  @Field(() => String, { nullable: true, description: 'Close date on or after, YYYY-MM-DD.' })
  @IsOptional()
  @IsIsoDate()
  closeDateFrom?: string;

  @Field(() => String, { nullable: true, description: 'Close date on or before, YYYY-MM-DD.' })
  @IsOptional()
  @IsIsoDate()
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
  @Field(() => ID)
  @IsUUID()
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
