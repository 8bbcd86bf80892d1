import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { Connection, toConnection, type ConnectionShape } from '@concord/graphql';
import { ProjectEntity } from '../project/project.entity';
import { ProjectService } from '../project/project.service';
import { InvoiceReference } from '../references/invoice.reference';
import { ResourceEntity } from '../resource/resource.entity';
import { ResourceService } from '../resource/resource.service';
import { ExpenseEntity, ExpenseStatus } from './expense.entity';
import { ExpenseService } from './expense.service';
import { CreateExpenseInput, ExpensesArgs, MarkExpensesInvoicedArgs, ProjectExpensesArgs, UpdateExpenseInput } from './dtos/expense.input';

export const ExpenseConnection = Connection(ExpenseEntity, 'Expense');

@Resolver(() => ExpenseEntity)
export class ExpenseResolver {
  constructor(
    private readonly expenseService: ExpenseService,
    private readonly projectService: ProjectService,
    private readonly resourceService: ResourceService,
  ) {}

  @Query(() => ExpenseEntity, { nullable: true })
  expense(@Args('id', { type: () => ID }) id: string): Promise<ExpenseEntity | null> {
    return this.expenseService.findById(id);
  }

  @Query(() => ExpenseConnection)
  async expenses(@Args() args: ExpensesArgs): Promise<ConnectionShape<ExpenseEntity>> {
    return toConnection(await this.expenseService.list(args));
  }

  @Mutation(() => ExpenseEntity, { description: 'Records a DRAFT expense in the project currency.' })
  createExpense(@Args('input') input: CreateExpenseInput): Promise<ExpenseEntity> {
    return this.expenseService.create(input);
  }

  @Mutation(() => ExpenseEntity)
  updateExpense(@Args('id', { type: () => ID }) id: string, @Args('input') input: UpdateExpenseInput): Promise<ExpenseEntity> {
    return this.expenseService.update(id, input);
  }

  @Mutation(() => ExpenseEntity, {
    description:
      'DRAFT → SUBMITTED → APPROVED; SUBMITTED → REJECTED → DRAFT; CANCELLED unless INVOICED. INVOICED is set by markExpensesInvoiced only.',
  })
  transitionExpense(
    @Args('id', { type: () => ID }) id: string,
    @Args('to', { type: () => ExpenseStatus }) to: ExpenseStatus,
  ): Promise<ExpenseEntity> {
    return this.expenseService.transition(id, to);
  }

  @Mutation(() => [ExpenseEntity], {
    description: 'Invoice posted: APPROVED billable expenses → INVOICED on the invoice, all or nothing; retry-safe.',
  })
  markExpensesInvoiced(@Args() { ids, invoiceId, invoiceLineId }: MarkExpensesInvoicedArgs): Promise<ExpenseEntity[]> {
    return this.expenseService.markInvoiced(ids, invoiceId, invoiceLineId);
  }

  @Mutation(() => [ExpenseEntity], { description: 'Invoice cancelled: its expenses go back to APPROVED and are unlinked.' })
  unmarkExpensesInvoiced(@Args('invoiceId', { type: () => ID }) invoiceId: string): Promise<ExpenseEntity[]> {
    return this.expenseService.unmarkInvoiced(invoiceId);
  }

  @ResolveField(() => ProjectEntity, { nullable: true })
  project(@Parent() expense: ExpenseEntity): Promise<ProjectEntity | null> {
    return this.projectService.findById(expense.projectId);
  }

  @ResolveField(() => ResourceEntity, { nullable: true })
  resource(@Parent() expense: ExpenseEntity): Promise<ResourceEntity | null> {
    return this.resourceService.findById(expense.resourceId);
  }

  @ResolveField(() => InvoiceReference, { nullable: true, description: 'The ERP invoice that billed the expense.' })
  invoice(@Parent() expense: ExpenseEntity): InvoiceReference | null {
    return expense.invoiceId ? { id: expense.invoiceId } : null;
  }

  @ResolveReference()
  resolveReference(reference: { id: string }): Promise<ExpenseEntity | null> {
    return this.expenseService.findById(reference.id);
  }
}

/** `Project.expenses`, batched over every project of the response. */
@Resolver(() => ProjectEntity)
export class ProjectExpensesResolver {
  constructor(private readonly expenseService: ExpenseService) {}

  @ResolveField(() => [ExpenseEntity], { description: 'The latest expenses of the project (by date, newest first).' })
  expenses(@Parent() project: ProjectEntity, @Args() { first, statusIn }: ProjectExpensesArgs): Promise<ExpenseEntity[]> {
    return this.expenseService.ofProject(project.id, first, statusIn);
  }
}
