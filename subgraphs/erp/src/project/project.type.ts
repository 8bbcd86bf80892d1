import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';
import { Money } from '@concord/graphql';

/**
 * The PSA Project as the ERP extends it (ARCHITECTURE.md §3): revenue, billing and margin come from the ERP;
 * costToDate is PSA's, declared @external so margin can @require it (the gateway passes it in `_entities`).
 */
@ObjectType('Project')
@Directive('@key(fields: "id")')
export class ProjectExtension {
  @Field(() => ID)
  id: string;

  // An @external field has the owner's type: nullable, as PSA hides cost where a row rule says so.
  @Field(() => Money, { nullable: true })
  @Directive('@external')
  costToDate?: Money | null;

  /** PSA's project manager, required with the cost: the row rule on margin (delivery managers see their own). */
  @Field(() => String, { nullable: true })
  @Directive('@external')
  managerId?: string | null;
}
