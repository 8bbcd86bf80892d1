import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';

/** Reference to a PSA milestone (owned by the PSA subgraph): ERP only knows its id. */
@ObjectType('Milestone')
@Directive('@key(fields: "id", resolvable: false)')
export class MilestoneReference {
  @Field(() => ID)
  id: string;
}

export function milestoneReference(id: string | null): MilestoneReference | null {
  return id ? { id } : null;
}
