import { UseFilters, UseGuards } from '@nestjs/common';
import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { GovernanceGraphQLErrorFilter } from '../common/graphql-error.filter';
import { currentCaller } from '../common/caller';
import { DeniedAttempts } from '../policy/denied-attempts';
import { PolicyGuard, RequireAbility } from '../policy/policy.guard';
import { SubgraphSchemaVersionOutput, SupergraphVersionOutput } from './dtos/registry.output';
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
  ) {}

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
