import { ArgsType, Field } from '@nestjs/graphql';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageArgs } from '@concord/graphql';

/** Stored checks, newest first: of one subgraph, or of all. */
@ArgsType()
export class SchemaChecksArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Only this subgraph’s checks; every subgraph’s when absent.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  subgraph?: string | null;
}
