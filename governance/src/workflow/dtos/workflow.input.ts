import { ArgsType, Field, Float, InputType } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { PageArgs } from '@concord/graphql';
import { WorkflowKind } from '../workflow-definition';
import { WorkflowRunStatus } from '../workflow-run.store';
import { ExceptionCaseState } from '../exception-case.store';

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

@InputType('BulkReplayFilter', { description: 'Which runs of the exception queue a bulk replay is about.' })
export class BulkReplayFilterInput {
  @Field(() => WorkflowKind, { nullable: true })
  @IsOptional()
  @IsEnum(WorkflowKind)
  kind?: WorkflowKind | null;

  @Field(() => String, { nullable: true, description: 'The last error’s code, e.g. GATE_FAILED or OWNERSHIP_VIOLATION.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  errorCode?: string | null;

  @Field(() => Float, { nullable: true, description: 'Parked at least this many hours ago.' })
  @IsOptional()
  @Min(0)
  minAgeHours?: number | null;

  @Field(() => Float, { nullable: true, description: 'Parked at most this many hours ago.' })
  @IsOptional()
  @Min(0)
  maxAgeHours?: number | null;
}

@ArgsType()
export class ExceptionCasesArgs extends PageArgs {
  @Field(() => [ExceptionCaseState], { nullable: true, description: 'Only cases in these states; all when left out.' })
  @IsOptional()
  @IsEnum(ExceptionCaseState, { each: true })
  stateIn?: ExceptionCaseState[] | null;

  @Field(() => WorkflowKind, { nullable: true })
  @IsOptional()
  @IsEnum(WorkflowKind)
  kind?: WorkflowKind | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  assignee?: string | null;
}
