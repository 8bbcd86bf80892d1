import { Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { CurrencyField, DecimalField, IdField, IsFirstOfMonth, PercentField } from '@concord/graphql';
import { AMOUNT } from '../../common/validators';

/** At most this many delivery or progress facts in one call (the workflow sends one contract's). */
export const MAX_RECOGNITION_FACTS = 10_000;

@InputType({
  description:
    "PSA's delivered work of one contract line in the period: Σ bill amounts of APPROVED and INVOICED billable time and expenses.",
})
export class RevenueDeliveredInput {
  @IdField()
  contractLineId: string;

  @DecimalField(AMOUNT, { description: 'Delivered in the period, decimal string; several rows of a line add up.' })
  amount: string;

  @CurrencyField({ description: 'ISO-4217; must be the contract currency.' })
  currency: string;

  @IdField({ nullable: true, description: 'The PSA Project that delivered it, kept on the entry.' })
  projectId?: string | null;
}

@InputType({ description: "A PSA Project's percent complete at the period end." })
export class ProjectProgressInput {
  @IdField()
  projectId: string;

  @PercentField(2, { description: 'Percent complete, 0 to 100, decimal string.' })
  percentComplete: string;

  @IdField({
    nullable: true,
    description: "The project's ERP contract: its PCT_COMPLETE lines follow this project when no task names them.",
  })
  contractId?: string | null;

  @Field(() => [ID], { nullable: true, description: 'The contract lines the tasks of the project deliver.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  contractLineIds?: string[] | null;
}

@InputType({ description: 'One month of revenue recognition, with the PSA facts the recognition workflow read.' })
export class RecognizeRevenueInput {
  @Field({ description: 'First day of the month recognised (YYYY-MM-01).' })
  @IsFirstOfMonth()
  period: string;

  @IdField({ nullable: true, description: 'Only this contract (default: every contract in a billable state).' })
  contractId?: string | null;

  @Field(() => [RevenueDeliveredInput], { defaultValue: [], description: 'Delivered work per contract line (TM_AS_DELIVERED lines).' })
  @IsArray()
  @ArrayMaxSize(MAX_RECOGNITION_FACTS)
  @ValidateNested({ each: true })
  @Type(() => RevenueDeliveredInput)
  delivered: RevenueDeliveredInput[];

  @Field(() => [ProjectProgressInput], { defaultValue: [], description: 'Percent complete per project (PCT_COMPLETE lines).' })
  @IsArray()
  @ArrayMaxSize(MAX_RECOGNITION_FACTS)
  @ValidateNested({ each: true })
  @Type(() => ProjectProgressInput)
  progress: ProjectProgressInput[];
}
