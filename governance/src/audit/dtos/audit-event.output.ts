import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Connection, PageInfo } from '@concord/graphql';
import { JsonScalar } from '../../common/json.scalar';

@ObjectType('AuditActor', { description: 'Who made a change: the subject and roles the gateway authenticated.' })
export class AuditActorOutput {
  @Field()
  sub: string;

  @Field(() => [String])
  roles: string[];
}

@ObjectType('AuditEvent', { description: 'One entry of the append-only, hash-chained audit ledger (ARCHITECTURE.md §6).' })
export class AuditEventOutput {
  @Field({ description: 'Place in the chain: 1, 2, 3, … without gaps (a decimal string: the ledger outgrows Int).' })
  position: string;

  @Field(() => ID)
  eventId: string;

  @Field({ description: 'When the change happened in its service (UTC, milliseconds).' })
  occurredAt: Date;

  @Field({ description: 'The service that made the change: crm, erp, psa or governance.' })
  service: string;

  @Field(() => AuditActorOutput, { nullable: true, description: 'Null for changes made by the system itself.' })
  actor: AuditActorOutput | null;

  @Field({
    description:
      'create, update, delete, transition, denied, read, policy.publish, ownership.change, schema.publish, schema.approve, schema.rollback, operation.register, slo.create, slo.update, incident.open, incident.update, incident.resolve, incident.note, workflow.exception, workflow.replay, workflow.dismiss or audit.export.',
  })
  action: string;

  @Field({ description: 'The GraphQL type of the changed record, e.g. Client.' })
  entity: string;

  @Field()
  entityId: string;

  @Field(() => JsonScalar, { nullable: true, description: 'The record before the change (any of its fields, margin included).' })
  before: Record<string, unknown> | null;

  @Field(() => JsonScalar, { nullable: true, description: 'The record after the change (any of its fields, margin included).' })
  after: Record<string, unknown> | null;

  @Field(() => [String])
  changedFields: string[];

  @Field(() => String, { nullable: true })
  reason: string | null;

  @Field(() => String, { nullable: true })
  correlationId: string | null;

  @Field(() => String, { nullable: true, description: 'The policy bundle version the change was decided with.' })
  policyVersion: string | null;

  @Field({ description: 'sha256 (hex) of prevHash followed by the canonical JSON of the event.' })
  hash: string;

  @Field({ description: 'The previous entry’s hash; 64 zeros for the first.' })
  prevHash: string;
}

export const AuditEventConnection = Connection(AuditEventOutput, 'AuditEvent');

@ObjectType('AuditBrokenLink', { description: 'The first place where the recomputed chain disagrees with the stored ledger.' })
export class AuditBrokenLinkOutput {
  @Field()
  position: string;

  @Field(() => ID, { nullable: true })
  eventId: string | null;

  @Field({ description: 'hash_mismatch, prev_hash_mismatch, bad_checkpoint_signature or gap.' })
  reason: string;

  @Field()
  expected: string;

  @Field()
  actual: string;
}

@ObjectType('AuditVerification', { description: 'The result of recomputing the whole chain and checking every signed checkpoint.' })
export class AuditVerificationOutput {
  @Field()
  ok: boolean;

  @Field(() => Int, { description: 'Entries found intact before the walk ended.' })
  checked: number;

  @Field(() => AuditBrokenLinkOutput, { nullable: true })
  firstBroken: AuditBrokenLinkOutput | null;
}

@ObjectType('AuditRangeVerification', {
  description: 'The chain recomputed between two positions (the entry before anchors the first link).',
})
export class AuditRangeVerificationOutput extends AuditVerificationOutput {
  @Field(() => String, { nullable: true, description: 'First position checked; null when the range holds no entry.' })
  fromPosition: string | null;

  @Field(() => String, { nullable: true, description: 'Last position checked; null when the range holds no entry.' })
  toPosition: string | null;
}

@ObjectType('MarginAccessRow', {
  description: 'Reads of MARGIN-class fields, and attempts the field policy denied, by period, role and record: one row per group.',
})
export class MarginAccessRowOutput {
  @Field({ description: 'Start of the period (UTC date, YYYY-MM-DD).' })
  period: string;

  @Field({ description: "One of the callers' roles (a caller with two roles counts under each)." })
  role: string;

  @Field({ description: 'The type read, e.g. Client or Project.' })
  entity: string;

  @Field(() => String, { nullable: true, description: 'The client read, when the entity is a Client.' })
  clientId: string | null;

  @Field(() => String, { nullable: true, description: 'The record read (null for denied attempts: nothing was fetched).' })
  entityId: string | null;

  @Field(() => [String], { description: 'The MARGIN coordinates read or denied.' })
  coordinates: string[];

  @Field(() => [String], { description: 'Who (subjects).' })
  actors: string[];

  @Field(() => Int, { description: 'Ledger entries of reads.' })
  reads: number;

  @Field(() => Int, { description: 'Ledger entries of denied attempts.' })
  denied: number;

  @Field({ description: 'Last access in the group.' })
  lastAt: Date;
}

@ObjectType('MarginAccessRowEdge')
export class MarginAccessRowEdgeOutput {
  @Field()
  cursor: string;

  @Field(() => MarginAccessRowOutput)
  node: MarginAccessRowOutput;
}

@ObjectType('MarginAccessTotals', { description: 'The whole report summed, every group counted (not only the page loaded).' })
export class MarginAccessTotalsOutput {
  @Field(() => Int, { description: 'Groups (period, role, record).' })
  groups: number;

  @Field(() => Int, {
    description: 'Reads summed over the groups (an entry reading several records or by a caller with several roles counts in each).',
  })
  reads: number;

  @Field(() => Int, { description: 'Denied attempts summed over the groups.' })
  denied: number;

  @Field(() => Int, { description: 'Distinct roles.' })
  roles: number;
}

@ObjectType('MarginAccessConnection', { description: 'The margin-access groups page by page, with the totals of the whole report.' })
export class MarginAccessConnectionOutput {
  @Field(() => [MarginAccessRowEdgeOutput])
  edges: MarginAccessRowEdgeOutput[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  @Field(() => MarginAccessTotalsOutput)
  totals: MarginAccessTotalsOutput;
}
