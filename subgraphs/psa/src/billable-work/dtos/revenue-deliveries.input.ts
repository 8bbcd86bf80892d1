import { ArgsType, Field, ID } from '@nestjs/graphql';
import { ArrayMaxSize, IsOptional, IsUUID } from 'class-validator';
import { IsoDateField } from '@concord/graphql';

@ArgsType()
export class RevenueDeliveriesArgs {
  @IsoDateField({ description: 'Work dated from this day (included).' })
  from: string;

  @IsoDateField({ description: 'Work dated up to this day (included).' })
  to: string;

  @Field(() => [ID], { nullable: true, description: "Only the projects of these ERP contracts (default: every contract's)." })
  @IsOptional()
  @ArrayMaxSize(10_000)
  @IsUUID('all', { each: true })
  contractIds?: string[] | null;
}
