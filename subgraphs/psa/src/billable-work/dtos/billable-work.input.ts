import { ArgsType, Field, ID } from '@nestjs/graphql';
import { ArrayMaxSize, IsOptional, IsUUID } from 'class-validator';
import { IsoDateField } from '@concord/graphql';

@ArgsType()
export class BillableWorkArgs {
  @IsoDateField({ description: 'Work dated up to this day (included) is billable in the period.' })
  periodEnd: string;

  @Field(() => [ID], { nullable: true, description: "Only the T&M projects of these ERP contracts (default: every contract's)." })
  @IsOptional()
  @ArrayMaxSize(10_000)
  @IsUUID('all', { each: true })
  contractIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Only these projects.' })
  @IsOptional()
  @ArrayMaxSize(10_000)
  @IsUUID('all', { each: true })
  projectIds?: string[] | null;
}
