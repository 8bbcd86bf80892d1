import { ArgsType, Field, Float, InputType, Int } from '@nestjs/graphql';
import { IsBoolean, IsEnum, IsInt, IsNumber, IsOptional, IsString, Length } from 'class-validator';
import { PageArgs } from '@concord/graphql';
import { IncidentStatus } from '../incident.entity';
import { SlaKind, SloIndicator } from '../slo.entity';

@InputType()
export class CreateServiceLevelObjectiveInput {
  @Field({ description: 'Unique, e.g. crm-availability.' })
  @IsString()
  @Length(1, 200)
  name: string;

  @Field(() => SlaKind)
  @IsEnum(SlaKind)
  kind: SlaKind;

  @Field({ description: 'A subgraph, operation or workflow name; * for every one of the kind (their traffic summed).' })
  @IsString()
  @Length(1, 256)
  target: string;

  @Field(() => SloIndicator)
  @IsEnum(SloIndicator)
  indicator: SloIndicator;

  @Field(() => Float, { description: 'The share of good events promised, between 0 and 1 excluded (0.999: 99.9 %).' })
  @IsNumber()
  objective: number;

  @Field(() => Int, { nullable: true, description: 'Latency SLOs only: one of the latency bucket bounds (ms), e.g. 1000.' })
  @IsOptional()
  @IsInt()
  latencyThresholdMs?: number | null;

  @Field(() => Int, { nullable: true, description: 'The error budget’s window in days (default 28).' })
  @IsOptional()
  @IsInt()
  windowDays?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Evaluated every minute while enabled (default true).' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Recorded in the audit ledger.' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  reason?: string | null;
}

/** Kind, target and indicator define what an SLO measures: measuring something else is a new SLO. */
@InputType()
export class UpdateServiceLevelObjectiveInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string | null;

  @Field(() => Float, { nullable: true })
  @IsOptional()
  @IsNumber()
  objective?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  latencyThresholdMs?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  windowDays?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'false stops its evaluation and resolves its open incident.' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Recorded in the audit ledger.' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  reason?: string | null;
}

@ArgsType()
export class SlaReportArgs {
  @Field(() => SlaKind)
  @IsEnum(SlaKind)
  kind: SlaKind;

  @Field({ description: 'A subgraph, operation or workflow name; * for every one of the kind.' })
  @IsString()
  @Length(1, 256)
  target: string;

  @Field({ description: 'First day (YYYY-MM-DD, UTC), included.' })
  @IsString()
  from: string;

  @Field({ description: 'Last day (YYYY-MM-DD, UTC), included; at most 92 days after from.' })
  @IsString()
  to: string;
}

@ArgsType()
export class IncidentsArgs extends PageArgs {
  @Field(() => IncidentStatus, { nullable: true, description: 'Only the incidents in this status; all when left out.' })
  @IsOptional()
  @IsEnum(IncidentStatus)
  status?: IncidentStatus | null;
}

@ArgsType()
export class TargetHealthArgs {
  @Field(() => SlaKind)
  @IsEnum(SlaKind)
  kind: SlaKind;

  @Field({ description: 'Start of the range, included (ISO-8601).' })
  @IsString()
  from: string;

  @Field({ description: 'End of the range, excluded (ISO-8601); at most 35 days after from.' })
  @IsString()
  to: string;
}
