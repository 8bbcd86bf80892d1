import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';

/** The ERP contract, owned by the ERP subgraph: PSA only points at it by id. */
@ObjectType('Contract')
@Directive('@key(fields: "id", resolvable: false)')
export class ContractReference {
  @Field(() => ID)
  id: string;
}
