import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';

/** Reference to a CRM quote (owned by the CRM subgraph): ERP only knows its id. */
@ObjectType('Quote')
@Directive('@key(fields: "id", resolvable: false)')
export class QuoteReference {
  @Field(() => ID)
  id: string;
}

export function quoteReference(id: string | null): QuoteReference | null {
  return id ? { id } : null;
}
