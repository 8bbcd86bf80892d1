import { ArgsType, Field, ID, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, IsUUID, Matches, Max, Min, ValidateNested } from 'class-validator';
import { IsFirstOfMonth, IsIsoDate, PageArgs, SortDirection } from '@concord/graphql';
import { AMOUNT, SIGNED_AMOUNT } from '../../common/validators';
import { RevRecMethod } from '../../contract/contract-line.entity';

@InputType({ description: 'Revenue recognised on a contract line for one month; entries of a line are recorded in period order.' })
export class RecordRevenueEntryInput {
  @Field(() => ID)
  @IsUUID()
  contractLineId: string;

  @Field({ description: 'First day of the month (YYYY-MM-01), after the latest recorded period of the line.' })
  @IsFirstOfMonth()
  period: string;

  @Field({ description: 'Revenue recognised in the period, decimal string (negative to reverse).' })
  @Matches(SIGNED_AMOUNT, { message: 'recognizedAmount must be a decimal string with at most 2 decimals' })
  recognizedAmount: string;

  @Field(() => String, {
    nullable: true,
    description: 'When given, must equal the previous cumulative + recognizedAmount (a check on the caller).',
  })
  @IsOptional()
  @Matches(AMOUNT, { message: 'cumulativeRecognized must be a non-negative decimal string with at most 2 decimals' })
  cumulativeRecognized?: string;

  @Field(() => RevRecMethod, { nullable: true, description: "Default: the contract line's revRecMethod." })
  @IsOptional()
  @IsEnum(RevRecMethod)
  method?: RevRecMethod;

  @Field(() => ID, { nullable: true, description: "The PSA Project; default the previous entry's project." })
  @IsOptional()
  @IsUUID()
  projectId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Billed on the line up to the period end; default: the posted invoice lines of the contract line issued by then.',
  })
  @IsOptional()
  @Matches(AMOUNT, { message: 'billedToDate must be a non-negative decimal string with at most 2 decimals' })
  billedToDate?: string;
}

@InputType({ description: 'Corrects the latest entry of a contract line (earlier ones are closed by the later ones).' })
export class UpdateRevenueEntryInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(SIGNED_AMOUNT, { message: 'recognizedAmount must be a decimal string with at most 2 decimals' })
  recognizedAmount?: string;

  @Field(() => RevRecMethod, { nullable: true })
  @IsOptional()
  @IsEnum(RevRecMethod)
  method?: RevRecMethod;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  projectId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(AMOUNT, { message: 'billedToDate must be a non-negative decimal string with at most 2 decimals' })
  billedToDate?: string;
}

@InputType()
export class RevenueEntryFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  contractLineId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  contractId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  projectId?: string;

  @Field(() => [RevRecMethod], { nullable: true })
  @IsOptional()
  @IsEnum(RevRecMethod, { each: true })
  methodIn?: RevRecMethod[];

  @Field(() => String, { nullable: true, description: 'period on or after (ISO date).' })
  @IsOptional()
  @IsIsoDate()
  periodFrom?: string;

  @Field(() => String, { nullable: true, description: 'period on or before (ISO date).' })
  @IsOptional()
  @IsIsoDate()
  periodTo?: string;
}

export enum RevenueEntrySortField {
  PERIOD = 'period',
  CREATED_AT = 'createdAt',
}
registerEnumType(RevenueEntrySortField, { name: 'RevenueEntrySortField' });

@InputType()
export class RevenueEntryOrder {
  @Field(() => RevenueEntrySortField)
  @IsEnum(RevenueEntrySortField)
  field: RevenueEntrySortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  @IsEnum(SortDirection)
  direction: SortDirection;
}

@ArgsType()
export class RevenueEntriesArgs extends PageArgs {
  @Field(() => RevenueEntryFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => RevenueEntryFilter)
  filter?: RevenueEntryFilter;

  @Field(() => RevenueEntryOrder, { nullable: true, description: 'Default: period ascending.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => RevenueEntryOrder)
  orderBy?: RevenueEntryOrder;
}

/** Arguments of the batched `Project.revenueEntries` list. */
@ArgsType()
export class RevenueEntryListArgs {
  @Field(() => Int, { defaultValue: 20, description: 'At most this many entries, latest period first (max 100).' })
  @IsInt()
  @Min(0)
  @Max(100)
  first: number;
}
