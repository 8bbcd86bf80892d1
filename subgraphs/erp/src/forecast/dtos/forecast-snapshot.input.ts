import { ArgsType, Field, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, Matches, ValidateNested } from 'class-validator';
import { ISO_MONTH } from '@concord/common';
import { CurrencyField, DecimalField, IdField } from '@concord/graphql';
import { AMOUNT } from '../../common/validators';

/** One project's T&M forecast of the month, as read from PSA through the gateway (Project.revenueForecast). */
@InputType()
export class ProjectForecastInput {
  @IdField()
  projectId: string;

  @IdField({ nullable: true, description: "The project's contract (PSA's Project.contractId): its billing schedule gives the fixed fee." })
  contractId?: string | null;

  @CurrencyField()
  currency: string;

  @DecimalField(AMOUNT, { description: "PSA's T&M forecast of the month in that currency." })
  timeAndMaterials: string;
}

@InputType()
export class RecordRevenueForecastSnapshotInput {
  @Field({ description: 'The forecast month, YYYY-MM.' })
  @Matches(ISO_MONTH, { message: 'month must be a month written YYYY-MM' })
  month: string;

  @Field(() => [ProjectForecastInput], { description: 'Every project to keep, once per currency (1 to 5000).' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5000)
  @ValidateNested({ each: true })
  @Type(() => ProjectForecastInput)
  projects: ProjectForecastInput[];
}

@ArgsType()
export class ForecastAccuracyArgs {
  @Field({ description: 'First month, YYYY-MM.' })
  @Matches(ISO_MONTH, { message: 'from must be a month written YYYY-MM' })
  from: string;

  @Field({ description: 'Last month, YYYY-MM (at most 36 months after from).' })
  @Matches(ISO_MONTH, { message: 'to must be a month written YYYY-MM' })
  to: string;
}
