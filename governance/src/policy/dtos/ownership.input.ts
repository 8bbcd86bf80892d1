import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { IsEnum, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { PageArgs } from '@concord/graphql';
import { SYSTEMS } from '@concord/policy';
import { OwnershipChangeStatus } from '../ownership-change.entity';

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
const NAME_MESSAGE = '$property must be a GraphQL name';

@InputType()
export class RequestOwnershipChangeInput {
  @Field({ description: 'The GraphQL type whose rule changes, e.g. TimeEntry.' })
  @Matches(NAME, { message: NAME_MESSAGE })
  @Length(1, 200)
  entity: string;

  @Field(() => String, { nullable: true, description: 'One field of the entity; left out, the entity’s owner changes.' })
  @IsOptional()
  @Matches(NAME, { message: NAME_MESSAGE })
  @Length(1, 200)
  field?: string | null;

  @Field({ description: 'The new system of record: crm, erp or psa.' })
  @IsIn(SYSTEMS)
  owner: string;

  @Field()
  @IsString()
  @Length(1, 2000)
  reason: string;

  @Field(() => String, {
    nullable: true,
    description: 'A team of the caller’s (their `teams` claim) the change is asked for: no member of it may approve it.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  onBehalfOfTeam?: string | null;
}

@ArgsType()
export class OwnershipImpactArgs {
  @Field(() => ID, { nullable: true, description: 'A change request to preview; else entity, owner and optionally field.' })
  @IsOptional()
  @IsString()
  changeId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(NAME, { message: NAME_MESSAGE })
  @Length(1, 200)
  entity?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(NAME, { message: NAME_MESSAGE })
  @Length(1, 200)
  field?: string | null;

  @Field(() => String, { nullable: true, description: 'The proposed system of record: crm, erp or psa.' })
  @IsOptional()
  @IsIn(SYSTEMS)
  owner?: string | null;

  @Field(() => Int, { defaultValue: 30, description: 'The window: the last N days of the ledger (1 to 366).' })
  @IsInt()
  @Min(1)
  @Max(366)
  days: number;

  @Field(() => Int, { defaultValue: 20, description: 'At most this many sample writes, latest first (0 to 100).' })
  @IsInt()
  @Min(0)
  @Max(100)
  sampleLimit: number;
}

@ArgsType()
export class OwnershipChangesArgs {
  @Field(() => OwnershipChangeStatus, { nullable: true, description: 'Only the requests in this status; all when left out.' })
  @IsOptional()
  @IsEnum(OwnershipChangeStatus)
  status?: OwnershipChangeStatus | null;
}

@ArgsType()
export class PolicyVersionsArgs extends PageArgs {}
