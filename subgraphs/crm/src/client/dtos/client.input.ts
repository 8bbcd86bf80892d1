import { ArgsType, Field, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { CurrencyField, DecimalField, IdField, PageArgs, SortDirection, type DecimalRule } from '@concord/graphql';
import { ClientTier } from '../client.entity';

const DOMAIN = /^(?=.{3,253}$)([a-z0-9](-?[a-z0-9])*\.)+[a-z]{2,63}$/;
const AMOUNT: DecimalRule = { integerDigits: 15, places: 2 };

@InputType()
export class CreateClientInput {
  @Field()
  @IsString()
  @Length(1, 200)
  name: string;

  @Field({ description: 'Unique web domain, lower case (e.g. "acme.com").' })
  @Matches(DOMAIN, { message: 'domain must be a lower-case domain name such as acme.com' })
  domain: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  industry?: string | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  employees?: number | null;

  @Field()
  @IsString()
  @Length(1, 100)
  ownerId: string;

  @IdField({ nullable: true })
  parentClientId?: string | null;

  @Field(() => ClientTier, { nullable: true })
  @IsOptional()
  @IsEnum(ClientTier)
  tier?: ClientTier;

  @CurrencyField({ description: 'ISO-4217 reporting currency.' })
  currency: string;

  @DecimalField(AMOUNT, { nullable: true, description: 'Annual recurring revenue, decimal string.' })
  arr?: string | null;
}

@InputType()
export class UpdateClientInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(DOMAIN, { message: 'domain must be a lower-case domain name such as acme.com' })
  domain?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  industry?: string | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  employees?: number | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  ownerId?: string;

  @Field(() => ClientTier, { nullable: true })
  @IsOptional()
  @IsEnum(ClientTier)
  tier?: ClientTier;

  @DecimalField(AMOUNT, { nullable: true })
  arr?: string | null;
}

@InputType()
export class ClientFilter {
  @Field(() => String, { nullable: true, description: 'Case-insensitive substring of the name.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  nameContains?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  industry?: string;

  @Field(() => [ClientTier], { nullable: true })
  @IsOptional()
  @IsEnum(ClientTier, { each: true })
  tierIn?: ClientTier[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  ownerId?: string;
}

export enum ClientSortField {
  NAME = 'name',
  CREATED_AT = 'createdAt',
}
registerEnumType(ClientSortField, { name: 'ClientSortField' });

@InputType()
export class ClientOrder {
  @Field(() => ClientSortField)
  @IsEnum(ClientSortField)
  field: ClientSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  @IsEnum(SortDirection)
  direction: SortDirection;
}

@ArgsType()
export class ClientsArgs extends PageArgs {
  @Field(() => ClientFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ClientFilter)
  filter?: ClientFilter;

  @Field(() => ClientOrder, { nullable: true, description: 'Default: name ascending.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ClientOrder)
  orderBy?: ClientOrder;
}
