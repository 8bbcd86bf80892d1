import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';

/** Key-only stub of the ERP-owned Contract: the CRM stores its id, the ERP subgraph resolves the rest. */
@ObjectType('Contract')
@Directive('@key(fields: "id", resolvable: false)')
export class ContractReference {
  @Field(() => ID)
  id: string;
}
