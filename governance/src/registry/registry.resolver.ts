import { UseFilters, UseGuards } from '@nestjs/common';
import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { PageArgs, toConnection, type ConnectionShape } from '@concord/graphql';
import { GovernanceGraphQLErrorFilter } from '../common/graphql-error.filter';
import { currentCaller } from '../common/caller';
import { DeniedAttempts } from '../policy/denied-attempts';
import { PolicyGuard, RequireAbility } from '../policy/policy.guard';
import {
  DeprecatedFieldOutput,
  FieldUsageDayOutput,
  FieldUsageSummaryOutput,
  SchemaApprovalEntryConnection,
  SchemaCheckRecordConnection,
  SchemaDiffOutput,
  SubgraphSchemaVersionOutput,
  SupergraphVersionOutput,
} from './dtos/registry.output';
import { SchemaChecksArgs } from './dtos/registry.input';
import {
  SchemaInsightsService,
  type CoordinateUsageSummary,
  type DeprecatedField,
  type SchemaApprovalRecord,
  type SchemaCheckRecord,
  type SchemaDiff,
  type UsageDay,
} from './schema-insights.service';
import { RegistryException, RegistryExceptionCode } from './registry.exception';
import { RegistryService, type SchemaVersionSummary } from './registry.service';

function versionOutputOf(subgraph: string, summary: SchemaVersionSummary): SubgraphSchemaVersionOutput {
  return {
    subgraph,
    version: summary.version,
    status: summary.status,
    sha256: summary.sha256,
    author: summary.author,
    createdAt: new Date(summary.createdAt),
    routingUrl: summary.routingUrl,
    checkPassed: summary.checkResult.ok || summary.approval !== null,
    reasons: summary.checkResult.reasons,
    checkResult: summary.checkResult,
    approval: summary.approval && { ...summary.approval, approvedAt: new Date(summary.approval.approvedAt) },
  };
}

/**
 * The schema registry for API owners and data stewards (ARCHITECTURE.md §7): schema history, supergraph versions,
 * and stewards' approval of a failed check (CASL `approve` on `SubgraphSchemaVersion`; never by the publisher).
 */
@Resolver(() => SubgraphSchemaVersionOutput)
@UseGuards(PolicyGuard)
@UseFilters(GovernanceGraphQLErrorFilter)
export class RegistryResolver {
  constructor(
    private readonly registry: RegistryService,
    private readonly denied: DeniedAttempts,
    private readonly insights: SchemaInsightsService,
  ) {}

  @Query(() => SchemaDiffOutput, { description: 'The classified changes and both SDLs between two versions of a subgraph.' })
  @RequireAbility('read', 'SubgraphSchemaVersion')
  subgraphSchemaDiff(
    @Args('subgraph') subgraph: string,
    @Args('fromVersion', { type: () => Int }) fromVersion: number,
    @Args('toVersion', { type: () => Int }) toVersion: number,
  ): Promise<SchemaDiff> {
    return this.insights.diff(subgraph, fromVersion, toVersion);
  }

  @Query(() => SchemaCheckRecordConnection, {
    description: 'Stored checks, newest first: dry-runs and publish attempts, with the client versions and operations their changes affect.',
  })
  @RequireAbility('read', 'SubgraphSchemaVersion')
  async schemaChecks(@Args() args: SchemaChecksArgs): Promise<ConnectionShape<SchemaCheckRecord>> {
    return toConnection(await this.insights.checks(args));
  }

  @Query(() => SchemaApprovalEntryConnection, { description: 'Stewards’ approvals of versions that failed their check, newest first.' })
  @RequireAbility('read', 'SubgraphSchemaVersion')
  async schemaApprovals(@Args() args: PageArgs): Promise<ConnectionShape<SchemaApprovalRecord>> {
    return toConnection(await this.insights.approvals(args));
  }

  @Query(() => [FieldUsageSummaryOutput], { description: 'Coordinates clients used in the last days (of one type when given), most used first.' })
  @RequireAbility('read', 'SubgraphSchemaVersion')
  fieldUsage(
    @Args('days', { type: () => Int, defaultValue: 7, description: '1 to 90.' }) days: number,
    @Args('typeName', { type: () => String, nullable: true }) typeName: string | null,
  ): Promise<CoordinateUsageSummary[]> {
    return this.insights.usageSummary(days, typeName ?? null);
  }

  @Query(() => [FieldUsageDayOutput], { description: 'A coordinate’s use per UTC day and client version, oldest first.' })
  @RequireAbility('read', 'SubgraphSchemaVersion')
  fieldUsageTrend(
    @Args('coordinate') coordinate: string,
    @Args('days', { type: () => Int, defaultValue: 30, description: '1 to 90.' }) days: number,
  ): Promise<UsageDay[]> {
    return this.insights.usageTrend(coordinate, days);
  }

  @Query(() => [DeprecatedFieldOutput], { description: 'Every served @deprecated field: since when, removable from when, who still uses it.' })
  @RequireAbility('read', 'SubgraphSchemaVersion')
  deprecatedFields(@Args('days', { type: () => Int, defaultValue: 7, description: '1 to 90.' }) days: number): Promise<DeprecatedField[]> {
    return this.insights.deprecatedFields(days);
  }

  @Query(() => [SubgraphSchemaVersionOutput], { description: 'Every version a subgraph tried to publish, latest first.' })
  @RequireAbility('read', 'SubgraphSchemaVersion')
  async subgraphSchemaVersions(@Args('subgraph') subgraph: string): Promise<SubgraphSchemaVersionOutput[]> {
    return (await this.registry.versions(subgraph)).map((summary) => versionOutputOf(subgraph, summary));
  }

  @Query(() => [SupergraphVersionOutput], { description: 'Supergraph versions, latest (served) first.' })
  @RequireAbility('read', 'SubgraphSchemaVersion')
  async supergraphVersions(
    @Args('first', { type: () => Int, defaultValue: 100, description: 'At most 1000.' }) first: number,
  ): Promise<SupergraphVersionOutput[]> {
    return (await this.registry.supergraphs(first)).map(({ supergraphSdl: _sdl, createdAt, ...supergraph }) => ({
      ...supergraph,
      createdAt: new Date(createdAt),
    }));
  }

  @Mutation(() => SubgraphSchemaVersionOutput, {
    description:
      'Lets a subgraph version that failed its check into the supergraph, with a reason. Refused to its publisher (FORBIDDEN) ' +
      'and when it does not compose or a later version is served (CONFLICT).',
  })
  @RequireAbility('approve', 'SubgraphSchemaVersion')
  async approveSchemaVersion(
    @Args('subgraph') subgraph: string,
    @Args('version', { type: () => Int }) version: number,
    @Args('reason') reason: string,
  ): Promise<SubgraphSchemaVersionOutput> {
    try {
      return versionOutputOf(subgraph, await this.registry.approve({ subgraph, version, reason, approver: currentCaller() }));
    } catch (error) {
      if (error instanceof RegistryException && error.code === RegistryExceptionCode.SELF_APPROVAL) {
        await this.denied.record({
          entity: 'SubgraphSchema',
          entityId: `${subgraph}@${version}`,
          operation: 'approveSchemaVersion',
          code: error.code,
          message: error.message,
        });
      }
      throw error;
    }
  }
}
