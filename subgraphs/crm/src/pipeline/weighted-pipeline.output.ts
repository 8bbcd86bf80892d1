import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
import { IsOptional, IsString, Length } from 'class-validator';
import { IsoDateField, Money } from '@concord/graphql';

@ArgsType()
export class PipelinePeriodArgs {
  @IsoDateField({ description: 'Close dates on or after this day (ISO date, inclusive).' })
  from: string;

  @IsoDateField({ description: 'Close dates on or before this day (ISO date, inclusive).' })
  to: string;
}

@ArgsType()
export class WeightedPipelineArgs extends PipelinePeriodArgs {
  @Field(() => String, { nullable: true, description: 'Only opportunities of this owner (user id).' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  ownerId?: string;
}

@ObjectType('WeightedPipelineRow', {
  description: 'Open opportunities closing in one month, in one currency: Σ amount and Σ amount × probability / 100.',
})
export class WeightedPipelineRow {
  @Field({ description: 'Close-date month, YYYY-MM.' })
  period: string;

  @Field()
  currency: string;

  @Field(() => Int)
  opportunities: number;

  @Field(() => Money, { description: 'Σ amount of the open opportunities.' })
  amount: Money;

  @Field(() => Money, { description: 'Σ amount × probability / 100, rounded to cents at the end (half-even).' })
  weightedAmount: Money;
}
