import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';

/** Key-only stub of the PSA-owned Project: the CRM stores its id, the PSA subgraph resolves the rest. */
@ObjectType('Project')
@Directive('@key(fields: "id", resolvable: false)')
export class ProjectReference {
  @Field(() => ID)
  id: string;
}
