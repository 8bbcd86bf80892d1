import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from '@concord/graphql';
import { JsonScalar } from '../../common/json.scalar';
import { SchemaVersionStatus } from '../schema-version.entity';
import { SupergraphCause } from '../supergraph-version.entity';
import { SchemaCheckSource } from '../schema-insights.service';

registerEnumType(SchemaVersionStatus, { name: 'SchemaVersionStatus' });
registerEnumType(SupergraphCause, { name: 'SupergraphCause' });

@ObjectType('SchemaApproval', { description: 'A data steward’s approval of a subgraph version that failed its check.' })
export class SchemaApprovalOutput {
  @Field({ description: 'The steward; never the publisher.' })
  approvedBy: string;

  @Field()
  reason: string;

  @Field()
  approvedAt: Date;

  @Field(() => Int, { description: 'The supergraph version the approval made.' })
  supergraphVersion: number;
}

@ObjectType('SubgraphSchemaVersion', { description: 'One SDL a subgraph tried to publish, with its check; never changed.' })
export class SubgraphSchemaVersionOutput {
  @Field()
  subgraph: string;

  @Field(() => Int)
  version: number;

  @Field(() => SchemaVersionStatus)
  status: SchemaVersionStatus;

  @Field({ description: 'sha256 of the SDL as graphql prints it.' })
  sha256: string;

  @Field({ description: 'Who published it (a CI identity, a service, a person).' })
  author: string;

  @Field()
  createdAt: Date;

  @Field(() => String, { nullable: true, description: 'Where gateways reach it; null: they use their own URL.' })
  routingUrl: string | null;

  @Field({ description: 'The check passed (or the version was approved despite it).' })
  checkPassed: boolean;

  @Field(() => [String], { description: 'Why the check failed, one line each.' })
  reasons: string[];

  @Field(() => JsonScalar, { description: 'The check report: composition, classified changes with their clients, ownership, deprecation.' })
  checkResult: unknown;

  @Field(() => SchemaApprovalOutput, { nullable: true })
  approval: SchemaApprovalOutput | null;
}

@ObjectType('SupergraphMember', { description: 'A subgraph version a supergraph is composed of.' })
export class SupergraphMemberOutput {
  @Field()
  name: string;

  @Field(() => Int)
  version: number;

  @Field()
  sha256: string;

  @Field(() => String, { nullable: true })
  routingUrl: string | null;
}

@ObjectType('SupergraphVersion', { description: 'A supergraph gateways were told to serve; the latest is served now.' })
export class SupergraphVersionOutput {
  @Field(() => Int)
  version: number;

  @Field()
  sha256: string;

  @Field(() => [SupergraphMemberOutput])
  subgraphs: SupergraphMemberOutput[];

  @Field(() => SupergraphCause)
  cause: SupergraphCause;

  @Field({ description: 'The publisher, approving steward or operator.' })
  author: string;

  @Field()
  reason: string;

  @Field(() => Int, { nullable: true, description: 'For a rollback: the version whose subgraphs it serves again.' })
  rollbackOf: number | null;

  @Field()
  createdAt: Date;
}

registerEnumType(SchemaCheckSource, {
  name: 'SchemaCheckSource',
  description: 'CHECK: a check without publishing; PUBLISH: a publish attempt, decided by its check.',
});

@ObjectType('AffectedClient', { description: 'A client version that used what a breaking change breaks, with its operations.' })
export class AffectedClientOutput {
  @Field({ description: 'name@version' })
  client: string;

  @Field(() => [String], { description: 'Operation names with their hash prefix (“N more” when many).' })
  operations: string[];
}

@ObjectType('SchemaCheckChange', { description: 'One classified difference a check found.' })
export class SchemaCheckChangeOutput {
  @Field({ description: 'BREAKING, DANGEROUS or SAFE.' })
  criticality: string;

  @Field({ description: 'The inspector’s change type, e.g. FIELD_REMOVED.' })
  type: string;

  @Field(() => String, { nullable: true })
  path: string | null;

  @Field()
  message: string;

  @Field(() => [AffectedClientOutput], { description: 'Breaking changes: who used what they break within the usage window.' })
  affected: AffectedClientOutput[];
}

@ObjectType('SchemaCheckRecord', { description: 'A stored schema check: a dry-run or a publish attempt.' })
export class SchemaCheckRecordOutput {
  @Field(() => SchemaCheckSource)
  source: SchemaCheckSource;

  @Field()
  subgraph: string;

  @Field(() => Int, { nullable: true, description: 'The version a publish attempt made; null for a dry-run.' })
  version: number | null;

  @Field(() => SchemaVersionStatus, { nullable: true })
  status: SchemaVersionStatus | null;

  @Field(() => String, { nullable: true, description: 'The publisher; null for a dry-run.' })
  author: string | null;

  @Field()
  ok: boolean;

  @Field({ description: 'A steward approved it despite the failed check.' })
  approved: boolean;

  @Field()
  checkedAt: Date;

  @Field(() => Int, { nullable: true, description: 'The published version it was compared with.' })
  baseVersion: number | null;

  @Field(() => [String])
  reasons: string[];

  @Field(() => [SchemaCheckChangeOutput])
  changes: SchemaCheckChangeOutput[];

  @Field(() => [String], { description: 'Every client version its breaking changes affect.' })
  affectedClientVersions: string[];

  @Field(() => [String], { description: 'Every operation its breaking changes affect.' })
  affectedOperations: string[];
}

export const SchemaCheckRecordConnection = Connection(SchemaCheckRecordOutput, 'SchemaCheckRecord');

@ObjectType('SchemaDiff', { description: 'What changed from one version of a subgraph to another.' })
export class SchemaDiffOutput {
  @Field()
  subgraph: string;

  @Field(() => Int)
  fromVersion: number;

  @Field(() => Int)
  toVersion: number;

  @Field()
  fromSdl: string;

  @Field()
  toSdl: string;

  @Field(() => [SchemaCheckChangeOutput], { description: 'Breaking first.' })
  changes: SchemaCheckChangeOutput[];
}

@ObjectType('SchemaApprovalEntry', { description: 'A steward’s approval of a version that failed its check, as audited.' })
export class SchemaApprovalEntryOutput {
  @Field()
  subgraph: string;

  @Field(() => Int)
  version: number;

  @Field()
  publishedBy: string;

  @Field()
  publishedAt: Date;

  @Field()
  approvedBy: string;

  @Field(() => [String])
  approverRoles: string[];

  @Field()
  reason: string;

  @Field()
  approvedAt: Date;

  @Field(() => Int)
  supergraphVersion: number;

  @Field(() => [String], { description: 'Why its check failed: what the steward approved.' })
  reasons: string[];
}

export const SchemaApprovalEntryConnection = Connection(SchemaApprovalEntryOutput, 'SchemaApprovalEntry');

@ObjectType('FieldUsageSummary', { description: 'A schema coordinate’s use over a window, every client summed.' })
export class FieldUsageSummaryOutput {
  @Field()
  coordinate: string;

  @Field(() => Float, { description: 'Uses (a whole number).' })
  count: number;

  @Field(() => Int)
  clientVersions: number;

  @Field(() => Int)
  operations: number;

  @Field()
  lastSeen: Date;
}

@ObjectType('FieldUsageDay', { description: 'A coordinate’s use by one client version on one UTC day.' })
export class FieldUsageDayOutput {
  @Field({ description: 'YYYY-MM-DD' })
  day: string;

  @Field()
  clientName: string;

  @Field()
  clientVersion: string;

  @Field(() => Float)
  count: number;
}

@ObjectType('DeprecatedFieldClient')
export class DeprecatedFieldClientOutput {
  @Field()
  clientName: string;

  @Field()
  clientVersion: string;

  @Field(() => Float)
  count: number;

  @Field()
  lastSeen: Date;

  @Field({ description: 'Listed in REGISTRY_EXCLUDED_CLIENTS: does not hold the removal back.' })
  excluded: boolean;
}

@ObjectType('DeprecatedField', { description: 'A served @deprecated field and whether removing it would break a client.' })
export class DeprecatedFieldOutput {
  @Field()
  subgraph: string;

  @Field()
  coordinate: string;

  @Field(() => String, { nullable: true })
  reason: string | null;

  @Field()
  deprecatedSince: Date;

  @Field({ description: 'When the deprecation grace period ends.' })
  removableFrom: Date;

  @Field({ description: 'No counted client used it within the window.' })
  ready: boolean;

  @Field(() => [DeprecatedFieldClientOutput])
  clients: DeprecatedFieldClientOutput[];
}
