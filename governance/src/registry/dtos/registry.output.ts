import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { JsonScalar } from '../../common/json.scalar';
import { SchemaVersionStatus } from '../schema-version.entity';
import { SupergraphCause } from '../supergraph-version.entity';

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
