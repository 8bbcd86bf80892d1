import { ArgsType, Field, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsOptional, ValidateNested } from 'class-validator';
import { CurrencyField, DecimalField, IdField, IsoDateField, PageArgs, PercentField } from '@concord/graphql';
import { AMOUNT, QUANTITY } from '../../common/validators';
import { IntercompanySourceType } from '../intercompany-charge.entity';

@InputType({ description: 'Work of one legal entity on another entity’s project; recording the same source again returns its charge.' })
export class RecordIntercompanyChargeInput {
  @Field(() => IntercompanySourceType)
  @IsEnum(IntercompanySourceType)
  sourceType: IntercompanySourceType;

  @IdField({ description: 'The PSA time entry or expense.' })
  sourceId: string;

  @IdField({ description: 'The legal entity of the resource (it charges).' })
  fromLegalEntityId: string;

  @IdField({ description: 'The legal entity of the project (it is charged); must differ.' })
  toLegalEntityId: string;

  @IdField()
  projectId: string;

  @IsoDateField()
  date: string;

  @DecimalField(QUANTITY, { nullable: true })
  hours?: string | null;

  @DecimalField(AMOUNT, { description: 'The delivering entity’s cost.' })
  cost: string;

  @CurrencyField()
  currency: string;

  @PercentField(2, { nullable: true, description: 'Markup on cost in percent; default 0.' })
  markupPct?: string | null;
}

@InputType()
export class IntercompanyChargeFilter {
  @IdField({ nullable: true })
  projectId?: string;

  @IdField({ nullable: true, description: 'Charges from or to this legal entity.' })
  legalEntityId?: string;

  @IsoDateField({ nullable: true })
  dateFrom?: string;

  @IsoDateField({ nullable: true })
  dateTo?: string;
}

@ArgsType()
export class IntercompanyChargesArgs extends PageArgs {
  @Field(() => IntercompanyChargeFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => IntercompanyChargeFilter)
  filter?: IntercompanyChargeFilter;
}
