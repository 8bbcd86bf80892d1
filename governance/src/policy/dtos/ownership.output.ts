import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from '@concord/graphql';
import { OwnershipChangeStatus } from '../ownership-change.entity';

registerEnumType(OwnershipChangeStatus, { name: 'OwnershipChangeStatus' });

@ObjectType('OwnershipFieldRule', { description: 'A field whose system of record is not its entity’s.' })
export class OwnershipFieldRuleOutput {
  @Field()
  field: string;

  @Field({ description: 'crm, erp or psa.' })
  owner: string;
}

@ObjectType('OwnershipRule', { description: 'Which system is the record for an entity and its fields, in the bundle in force.' })
export class OwnershipRuleOutput {
  @Field({ description: 'The GraphQL type, e.g. TimeEntry.' })
  entity: string;

  @Field({ description: 'crm, erp or psa: the record of every field not listed in fields.' })
  owner: string;

  @Field(() => [OwnershipFieldRuleOutput])
  fields: OwnershipFieldRuleOutput[];

  @Field({ description: 'A change needs a second data steward’s approval.' })
  approvalRequired: boolean;
}

@ObjectType('OwnershipChange', { description: 'A data steward’s request to change a system of record; decided once.' })
export class OwnershipChangeOutput {
  @Field(() => ID)
  id: string;

  @Field()
  entity: string;

  @Field(() => String, { nullable: true, description: 'Null: the entity’s owner changes.' })
  field: string | null;

  @Field()
  ownerBefore: string;

  @Field()
  ownerAfter: string;

  @Field()
  reason: string;

  @Field()
  requestedBy: string;

  @Field()
  requestedAt: Date;

  @Field(() => OwnershipChangeStatus)
  status: OwnershipChangeStatus;

  @Field(() => String, { nullable: true })
  approvedBy: string | null;

  @Field(() => String, { nullable: true })
  rejectedBy: string | null;

  @Field(() => String, { nullable: true })
  rejectionReason: string | null;

  @Field(() => Date, { nullable: true })
  decidedAt: Date | null;

  @Field(() => Int, { nullable: true, description: 'The policy bundle version that applied it.' })
  bundleVersion: number | null;
}

@ObjectType('PolicyVersion', { description: 'One published version of the policy bundle (append-only history).' })
export class PolicyVersionOutput {
  @Field(() => Int)
  version: number;

  @Field({ description: 'Who published it (system for the default bundle).' })
  actor: string;

  @Field()
  reason: string;

  @Field()
  createdAt: Date;

  @Field({ description: 'sha256 (hex) of the bundle’s canonical JSON.' })
  sha256: string;
}

export const PolicyVersionConnection = Connection(PolicyVersionOutput, 'PolicyVersion');
