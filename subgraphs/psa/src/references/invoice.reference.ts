import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';

/** The ERP invoice that billed a time entry or expense, owned by the ERP subgraph: PSA only points at it by id. */
@ObjectType('Invoice')
@Directive('@key(fields: "id", resolvable: false)')
export class InvoiceReference {
  @Field(() => ID)
  id: string;
}
