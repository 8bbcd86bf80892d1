import { ArgsType, Field, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsBoolean, IsEmail, IsEnum, IsOptional, IsString, Length, MaxLength, ValidateNested } from 'class-validator';
import { IdField, PageArgs, SortDirection } from '@concord/graphql';

@InputType()
export class CreateContactInput {
  @IdField()
  clientId: string;

  @Field()
  @IsString()
  @Length(1, 200)
  name: string;

  @Field()
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(320)
  email: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  phone?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  title?: string | null;

  @Field(() => Boolean, { nullable: true, description: "Make this the client's primary contact (default false)." })
  @IsOptional()
  @IsBoolean()
  isPrimary?: boolean;
}

@InputType()
export class UpdateContactInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(320)
  email?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  phone?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  title?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'true makes this the primary contact (the previous one is cleared).' })
  @IsOptional()
  @IsBoolean()
  isPrimary?: boolean;
}

@InputType()
export class ContactFilter {
  @IdField({ nullable: true })
  clientId?: string;

  @Field(() => String, { nullable: true, description: 'Case-insensitive substring of the name.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  nameContains?: string;

  @Field(() => String, { nullable: true, description: 'Exact e-mail address (case-insensitive).' })
  @IsOptional()
  @IsString()
  @MaxLength(320)
  email?: string;
}

export enum ContactSortField {
  NAME = 'name',
  CREATED_AT = 'createdAt',
}
registerEnumType(ContactSortField, { name: 'ContactSortField' });

@InputType()
export class ContactOrder {
  @Field(() => ContactSortField)
  @IsEnum(ContactSortField)
  field: ContactSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  @IsEnum(SortDirection)
  direction: SortDirection;
}

@ArgsType()
export class ContactsArgs extends PageArgs {
  @Field(() => ContactFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ContactFilter)
  filter?: ContactFilter;

  @Field(() => ContactOrder, { nullable: true, description: 'Default: name ascending.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ContactOrder)
  orderBy?: ContactOrder;
}
