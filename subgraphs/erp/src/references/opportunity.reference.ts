import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';

/** Reference to a CRM opportunity (owned by the CRM subgraph): ERP only knows its id. */
@ObjectType('Opportunity')
@Directive('@key(fields: "id", resolvable: false)')
export class OpportunityReference {
  @Field(() => ID)
  id: string;
}

export function opportunityReference(id: string | null): OpportunityReference | null {
  return id ? { id } : null;
}
