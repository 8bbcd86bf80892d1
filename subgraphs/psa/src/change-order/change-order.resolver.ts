import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { Connection, toConnection, type ConnectionShape } from '@concord/graphql';
import { ProjectEntity } from '../project/project.entity';
import { ProjectService } from '../project/project.service';
import { ContractReference } from '../references/contract.reference';
import { ChangeOrderEntity } from './change-order.entity';
import { ChangeOrderService } from './change-order.service';
import { ChangeOrdersArgs, CreateChangeOrderInput, UpdateChangeOrderInput } from './dtos/change-order.input';

export const ChangeOrderConnection = Connection(ChangeOrderEntity, 'ChangeOrder');

const ID_ARG = { type: () => ID } as const;

@Resolver(() => ChangeOrderEntity)
export class ChangeOrderResolver {
  constructor(
    private readonly changeOrderService: ChangeOrderService,
    private readonly projectService: ProjectService,
  ) {}

  @Query(() => ChangeOrderEntity, { nullable: true })
  changeOrder(@Args('id', ID_ARG) id: string): Promise<ChangeOrderEntity | null> {
    return this.changeOrderService.findById(id);
  }

  @Query(() => ChangeOrderConnection)
  async changeOrders(@Args() args: ChangeOrdersArgs): Promise<ConnectionShape<ChangeOrderEntity>> {
    return toConnection(await this.changeOrderService.list(args));
  }

  @Mutation(() => ChangeOrderEntity, { description: 'Creates a DRAFT change order.' })
  createChangeOrder(@Args('input') input: CreateChangeOrderInput): Promise<ChangeOrderEntity> {
    return this.changeOrderService.create(input);
  }

  @Mutation(() => ChangeOrderEntity, { description: 'Edits a DRAFT change order.' })
  updateChangeOrder(@Args('id', ID_ARG) id: string, @Args('input') input: UpdateChangeOrderInput): Promise<ChangeOrderEntity> {
    return this.changeOrderService.update(id, input);
  }

  @Mutation(() => ChangeOrderEntity, { description: 'DRAFT → SUBMITTED.' })
  submitChangeOrder(@Args('id', ID_ARG) id: string): Promise<ChangeOrderEntity> {
    return this.changeOrderService.submit(id);
  }

  @Mutation(() => ChangeOrderEntity, { description: 'SUBMITTED → APPROVED, recording the approver.' })
  approveChangeOrder(
    @Args('id', ID_ARG) id: string,
    @Args('approvedBy', { description: 'User id of the approver.' }) approvedBy: string,
  ): Promise<ChangeOrderEntity> {
    return this.changeOrderService.approve(id, approvedBy);
  }

  @Mutation(() => ChangeOrderEntity, { description: 'SUBMITTED → REJECTED (final).' })
  rejectChangeOrder(@Args('id', ID_ARG) id: string): Promise<ChangeOrderEntity> {
    return this.changeOrderService.reject(id);
  }

  @Mutation(() => ChangeOrderEntity, { description: 'DRAFT or SUBMITTED → WITHDRAWN (final).' })
  withdrawChangeOrder(@Args('id', ID_ARG) id: string): Promise<ChangeOrderEntity> {
    return this.changeOrderService.withdraw(id);
  }

  @Mutation(() => ChangeOrderEntity, {
    description: 'APPROVED → APPLIED: adds the deltas to the project budget and moves its planned end.',
  })
  applyChangeOrder(@Args('id', ID_ARG) id: string): Promise<ChangeOrderEntity> {
    return this.changeOrderService.apply(id);
  }

  @Mutation(() => ChangeOrderEntity, {
    description:
      "Adds the deltaHours of an APPROVED or APPLIED change order to the allocated hours of the project's task billed under the contract line it changes (the earliest open one), once: allocatedTaskId records it, and a repeated call changes nothing.",
  })
  allocateChangeOrderHours(
    @Args('id', ID_ARG) id: string,
    @Args('contractLineId', { type: () => ID, description: 'The ERP contract line the change order changes (Task.contractLineId).' })
    contractLineId: string,
  ): Promise<ChangeOrderEntity> {
    return this.changeOrderService.allocateHours(id, contractLineId);
  }

  @ResolveField(() => ProjectEntity)
  project(@Parent() changeOrder: ChangeOrderEntity): Promise<ProjectEntity> {
    return this.projectService.getById(changeOrder.projectId);
  }

  @ResolveField(() => ContractReference, { nullable: true })
  contract(@Parent() changeOrder: ChangeOrderEntity): ContractReference | null {
    return changeOrder.contractId ? { id: changeOrder.contractId } : null;
  }

  @ResolveReference()
  resolveReference(reference: { id: string }): Promise<ChangeOrderEntity | null> {
    return this.changeOrderService.findById(reference.id);
  }
}

/** `Project.changeOrders`, batched. */
@Resolver(() => ProjectEntity)
export class ProjectChangeOrdersResolver {
  constructor(private readonly changeOrderService: ChangeOrderService) {}

  @ResolveField(() => [ChangeOrderEntity], { description: 'Change orders by creation time (first 100 by default).' })
  changeOrders(
    @Parent() project: ProjectEntity,
    @Args('first', { type: () => Int, defaultValue: 100 }) first: number,
  ): Promise<ChangeOrderEntity[]> {
    return this.changeOrderService.changeOrdersOfProject(project.id, first);
  }
}
