import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';
import { Money } from '@concord/graphql';

/**
 * The CRM Client as the ERP extends it (ARCHITECTURE.md §3, the unified client graph): the ERP adds its
 * fields (legalCustomer, contracts, and the invoicing side's invoices/arBalance) through resolvers on this type.
 * Keep the class name and shape stable: other resolver classes of this subgraph extend it too.
 */
@ObjectType('Client')
@Directive('@key(fields: "id")')
export class ClientExtension {
  @Field(() => ID)
  id: string;

  /** PSA's cost of the client's projects, per currency: Client.marginPct @requires it. */
  @Field(() => [Money], { nullable: true })
  @Directive('@external')
  costToDate?: Money[] | null;
}

export function clientReference(id: string, costToDate?: Money[] | null): ClientExtension {
  return costToDate === undefined ? { id } : { id, costToDate };
}
