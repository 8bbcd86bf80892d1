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

  // Non-null, as PSA declares it: an @external field must have the owner's type.
  @Field(() => Money)
  @Directive('@external')
  costToDate?: Money;
}
