import { ArgsType, Field, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { DecimalField, IdField, IsFirstOfMonth, IsoDateField, PageArgs, SortDirection } from '@concord/graphql';
import { AMOUNT, SIGNED_AMOUNT } from '../../common/validators';
import { RevRecMethod } from '../../contract/contract-line.entity';

@InputType({ description: 'Revenue recognised on a contract line for one month; entries of a line are recorded in period order.' })
export class RecordRevenueEntryInput {
  @IdField()
  contractLineId: string;

  @Field({ description: 'First day of the month (YYYY-MM-01), after the latest recorded period of the line.' })
  @IsFirstOfMonth()
  period: string;

  @DecimalField(SIGNED_AMOUNT, { description: 'Revenue recognised in the period, decimal string (negative to reverse).' })
  recognizedAmount: string;

  @DecimalField(AMOUNT, {
    nullable: true,
    description: 'When given, must equal the previous cumulative + recognizedAmount (a check on the caller).',
  })
  cumulativeRecognized?: string;

  @Field(() => RevRecMethod, { nullable: true, description: "Default: the contract line's revRecMethod." })
  @IsOptional()
  @IsEnum(RevRecMethod)
  method?: RevRecMethod;

  @IdField({ nullable: true, description: "The PSA Project; default the previous entry's project." })
  projectId?: string | null;

  @DecimalField(AMOUNT, {
    nullable: true,
    description: 'Billed on the line up to the period end; default: the posted invoice lines of the contract line issued by then.',
  })
  billedToDate?: string;
}

@InputType({ description: 'Corrects the latest entry of a contract line (earlier ones are closed by the later ones).' })
export class UpdateRevenueEntryInput {
  @DecimalField(SIGNED_AMOUNT, { nullable: true })
  recognizedAmount?: string;

  @Field(() => RevRecMethod, { nullable: true })
  @IsOptional()
  @IsEnum(RevRecMethod)
  method?: RevRecMethod;

  @IdField({ nullable: true })
  projectId?: string | null;

  @DecimalField(AMOUNT, { nullable: true })
  billedToDate?: string;
}

@InputType()
export class RevenueEntryFilter {
  @IdField({ nullable: true })
  contractLineId?: string;

  @IdField({ nullable: true })
  contractId?: string;

  @IdField({ nullable: true })
  projectId?: string;

  @Field(() => [RevRecMethod], { nullable: true })
  @IsOptional()
  @IsEnum(RevRecMethod, { each: true })
  methodIn?: RevRecMethod[];

  @IsoDateField({ nullable: true, description: 'period on or after (ISO date).' })
  periodFrom?: string;

  @IsoDateField({ nullable: true, description: 'period on or before (ISO date).' })
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
