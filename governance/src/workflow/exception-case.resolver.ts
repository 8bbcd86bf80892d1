import { UseFilters, UseGuards } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { toConnection, type ConnectionShape } from '@concord/graphql';
import { currentCaller } from '../common/caller';
import { GovernanceGraphQLErrorFilter } from '../common/graphql-error.filter';
import { PolicyGuard, RequireAbility } from '../policy/policy.guard';
import { ExceptionCasesArgs } from './dtos/workflow.input';
import { ExceptionCaseConnection, ExceptionCaseOutput } from './dtos/workflow.output';
import { ExceptionCaseState, ExceptionCaseStore, type ExceptionCase } from './exception-case.store';

function outputOf(item: ExceptionCase): ExceptionCaseOutput {
  const end = item.resolvedAt ?? new Date();
  return {
    ...item,
    runStatus: item.runStatus as ExceptionCaseOutput['runStatus'],
    ageSeconds: Math.max(0, (end.getTime() - item.openedAt.getTime()) / 1000),
  };
}

/**
 * The exception queue as cases: read with `read` on WorkflowRun; worked (acknowledge, assign, resolve, reopen) by
 * those who may replay runs (data stewards by default). Each transition is audited.
 */
@Resolver(() => ExceptionCaseOutput)
@UseGuards(PolicyGuard)
@UseFilters(GovernanceGraphQLErrorFilter)
export class ExceptionCaseResolver {
  constructor(private readonly cases: ExceptionCaseStore) {}

  @Query(() => ExceptionCaseConnection, {
    description: 'Exception cases, the oldest first; open ones: stateIn [NEW, ACKNOWLEDGED, ASSIGNED, REOPENED].',
  })
  @RequireAbility('read', 'WorkflowRun')
  async exceptionCases(@Args() args: ExceptionCasesArgs): Promise<ConnectionShape<ExceptionCaseOutput>> {
    const page = await this.cases.page(args);
    return toConnection({ ...page, nodes: page.nodes.map(outputOf) });
  }

  @Query(() => ExceptionCaseOutput, { nullable: true })
  @RequireAbility('read', 'WorkflowRun')
  async exceptionCase(@Args('id', { type: () => ID }) id: string): Promise<ExceptionCaseOutput | null> {
    const item = await this.cases.get(id);
    return item ? outputOf(item) : null;
  }

  @Mutation(() => ExceptionCaseOutput, { description: 'NEW or REOPENED → ACKNOWLEDGED: someone is looking. Audited.' })
  @RequireAbility('replay', 'WorkflowRun')
  async acknowledgeExceptionCase(@Args('id', { type: () => ID }) id: string): Promise<ExceptionCaseOutput> {
    return outputOf(await this.cases.transition(id, currentCaller(), ExceptionCaseState.ACKNOWLEDGED, {}));
  }

  @Mutation(() => ExceptionCaseOutput, { description: '→ ASSIGNED to assignee (again: hands it over). Audited.' })
  @RequireAbility('replay', 'WorkflowRun')
  async assignExceptionCase(@Args('id', { type: () => ID }) id: string, @Args('assignee') assignee: string): Promise<ExceptionCaseOutput> {
    return outputOf(await this.cases.transition(id, currentCaller(), ExceptionCaseState.ASSIGNED, { assignee }));
  }

  @Mutation(() => ExceptionCaseOutput, {
    description: '→ RESOLVED with a reason (the run itself is replayed or dismissed apart). Audited.',
  })
  @RequireAbility('replay', 'WorkflowRun')
  async resolveExceptionCase(@Args('id', { type: () => ID }) id: string, @Args('reason') reason: string): Promise<ExceptionCaseOutput> {
    return outputOf(await this.cases.transition(id, currentCaller(), ExceptionCaseState.RESOLVED, { reason }));
  }

  @Mutation(() => ExceptionCaseOutput, { description: 'RESOLVED → REOPENED with a reason. Audited.' })
  @RequireAbility('replay', 'WorkflowRun')
  async reopenExceptionCase(@Args('id', { type: () => ID }) id: string, @Args('reason') reason: string): Promise<ExceptionCaseOutput> {
    return outputOf(await this.cases.transition(id, currentCaller(), ExceptionCaseState.REOPENED, { reason }));
  }
}
