import { ArgsType, Field, InputType } from '@nestjs/graphql';
import { IsEnum, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
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
