import { ArgsType, Field } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageArgs } from '@concord/graphql';
import { WorkflowKind } from '../workflow-definition';
import { WorkflowRunStatus } from '../workflow-run.store';

@ArgsType()
export class WorkflowRunsArgs extends PageArgs {
  @Field(() => [WorkflowRunStatus], { nullable: true, description: 'Only runs in these statuses (the exception queue: [EXCEPTION]).' })
  @IsOptional()
  @IsEnum(WorkflowRunStatus, { each: true })
  statusIn?: WorkflowRunStatus[] | null;

  @Field(() => WorkflowKind, { nullable: true })
  @IsOptional()
  @IsEnum(WorkflowKind)
  kind?: WorkflowKind | null;

  @Field(() => String, { nullable: true, description: 'The run about this business key (an opportunity id, a change order id…).' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  businessKey?: string | null;

  @Field(() => String, { nullable: true, description: 'The run whose steps carried this correlation id.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  correlationId?: string | null;
}
