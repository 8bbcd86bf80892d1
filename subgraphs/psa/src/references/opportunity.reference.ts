import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';

/** The CRM opportunity a project was won from, owned by the CRM subgraph: PSA only points at it by id. */
@ObjectType('Opportunity')
@Directive('@key(fields: "id", resolvable: false)')
export class OpportunityReference {
  @Field(() => ID)
  id: string;
}
