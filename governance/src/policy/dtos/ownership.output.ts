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

  @Field(() => [String], { description: 'The requester’s teams when asking.' })
  requestedByTeams: string[];

  @Field(() => String, { nullable: true, description: 'The team the change was asked for; its members may not approve it.' })
  onBehalfOfTeam: string | null;

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

  @Field(() => String, {
    nullable: true,
    description: 'Why the caller may not approve it (their own request, also through a team); null when they may.',
  })
  selfApprovalReason: string | null;
}

@ObjectType('OwnershipImpactSample', { description: 'A past write the proposed rule would have refused (no values: who, what, when).' })
export class OwnershipImpactSampleOutput {
  @Field({ description: 'The ledger position of the write.' })
  position: string;

  @Field()
  occurredAt: Date;

  @Field({ description: 'The system that wrote it.' })
  service: string;

  @Field()
  action: string;

  @Field()
  entityId: string;

  @Field(() => String, { nullable: true })
  actorSub: string | null;

  @Field(() => [String], { description: 'The fields the proposed rule refuses; * for the whole record (create, delete).' })
  refusedFields: string[];

  @Field(() => String, { nullable: true })
  correlationId: string | null;
}

@ObjectType('OwnershipImpact', { description: 'What an ownership change would have refused of the ledger’s recent writes.' })
export class OwnershipImpactOutput {
  @Field()
  entity: string;

  @Field(() => String, { nullable: true })
  field: string | null;

  @Field()
  ownerBefore: string;

  @Field()
  ownerAfter: string;

  @Field(() => Int)
  days: number;

  @Field()
  from: Date;

  @Field()
  to: Date;

  @Field(() => Int, { description: 'Writes of the window the proposed rule would have refused.' })
  refusedCount: number;

  @Field(() => Int, { description: 'Writes of the entity in the window, refused or not.' })
  writesExamined: number;

  @Field(() => Int, { description: 'The cap on samples.' })
  sampleLimit: number;

  @Field(() => [OwnershipImpactSampleOutput], { description: 'The latest refused writes, at most sampleLimit.' })
  samples: OwnershipImpactSampleOutput[];
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
