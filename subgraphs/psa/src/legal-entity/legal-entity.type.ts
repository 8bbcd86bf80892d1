import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';

/** The ERP legal entity, extended by PSA with the delivered cost of its projects; ERP owns every other field. */
@ObjectType('LegalEntity')
@Directive('@key(fields: "id")')
export class LegalEntityExtension {
  @Field(() => ID)
  id: string;
}
