import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';

/** The CRM client (account), extended by PSA with its projects; CRM owns every other field. */
@ObjectType('Client')
@Directive('@key(fields: "id")')
export class ClientExtension {
  @Field(() => ID)
  id: string;
}
