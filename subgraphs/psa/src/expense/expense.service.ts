import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { Repository } from 'typeorm';
import { assertFound, BadInputError, decimal, loadByIds, loadChildren, pageSize, paginate, toAmount, type Page } from '@concord/common';
import { childListLoader, WritePoint } from '@concord/graphql';
import {
  filterByInvoicing,
  lockMutableRecord,
  markRecordsInvoiced,
  transitionRecord,
  unmarkRecordsInvoiced,
  type BillableRecordKind,
} from '../common/billable-records';
import { assertCalendarDates, assertPositive, deliveryProject } from '../common/delivery-rules';
import { PersonScope } from '../common/person-scope';
import { definedOnly } from '../common/input-formats';
import { ResourceEntity } from '../resource/resource.entity';
import { ExpenseEntity, ExpenseStatus } from './expense.entity';
import { expenseStates } from './expense.states';
import { ExpenseSortField, type CreateExpenseInput, type ExpensesArgs, type UpdateExpenseInput } from './dtos/expense.input';

interface ProjectExpensesOptions {
  first: number;
  statusIn: ExpenseStatus[] | null;
}

type ExpensePricing = Pick<ExpenseEntity, 'amountAmount' | 'billable' | 'markupPct' | 'billAmountAmount'>;

const EXPENSES: BillableRecordKind<ExpenseEntity> = {
  target: ExpenseEntity,
  entity: 'Expense',
  states: expenseStates,
  singular: 'expense',
  plural: 'expenses',
  markMutation: 'markExpensesInvoiced',
  unmarkMutation: 'unmarkExpensesInvoiced',
};

@Injectable()
export class ExpenseService {
  private readonly byId = new DataLoader<string, ExpenseEntity | null>((ids) => loadByIds(this.expenses, ids), { cache: false });
  private readonly byProject = childListLoader<ProjectExpensesOptions, ExpenseEntity>((ids, options) => this.loadOfProjects(ids, options));

  constructor(
    @InjectRepository(ExpenseEntity) private readonly expenses: Repository<ExpenseEntity>,
    private readonly writePoint: WritePoint,
    private readonly scope: PersonScope,
  ) {}

  async findById(id: string): Promise<ExpenseEntity | null> {
    return this.scope.visible('Expense', await this.byId.load(id));
  }

  /** `Project.expenses`: the latest expenses of each project, batched over every project of the response. */
  ofProject(projectId: string, first: number, statusIn?: ExpenseStatus[] | null): Promise<ExpenseEntity[]> {
    const options: ProjectExpensesOptions = { first: pageSize(first), statusIn: statusIn?.length ? [...new Set(statusIn)].sort() : null };
    return this.byProject.load({ parentId: projectId, args: options }).then((rows) => this.scope.filter('Expense', rows));
  }

  list({ filter = {}, orderBy, ...page }: ExpensesArgs): Promise<Page<ExpenseEntity>> {
    const query = this.scope.restrict(this.expenses.createQueryBuilder('expense'), 'expense', 'Expense');
    if (filter.projectId) {
      query.andWhere('expense.projectId = :projectId', { projectId: filter.projectId });
    }
    if (filter.resourceId) {
      query.andWhere('expense.resourceId = :resourceId', { resourceId: filter.resourceId });
    }
    if (filter.statusIn?.length) {
      query.andWhere('expense.status = ANY(:statuses)', { statuses: filter.statusIn });
    }
    if (filter.categoryIn?.length) {
      query.andWhere('expense.category = ANY(:categories)', { categories: filter.categoryIn });
    }
    if (filter.dateFrom) {
      query.andWhere('expense.date >= :dateFrom', { dateFrom: filter.dateFrom });
    }
    if (filter.dateTo) {
      query.andWhere('expense.date <= :dateTo', { dateTo: filter.dateTo });
    }
    filterByInvoicing(query, 'expense', filter);
    const field = orderBy?.field ?? ExpenseSortField.DATE;
    return paginate(query, page, { field, property: field, direction: orderBy?.direction ?? 'ASC' });
  }

  /** Records a DRAFT expense in the project currency (PSA does no FX: a foreign receipt is converted by the submitter). */
  create(input: CreateExpenseInput): Promise<ExpenseEntity> {
    const { amount, billable = true, markupPct, ...fields } = input;
    assertCalendarDates({ date: input.date });
    const pricing = price(amount, billable, markupPct);
    return this.writePoint.run(async (tx) => {
      const project = await deliveryProject(tx, input.projectId);
      const resource = await tx.manager.findOneBy(ResourceEntity, { id: input.resourceId });
      assertFound(resource, 'Resource', input.resourceId);
      await this.scope.assertWritable('Expense', resource.id);
      return tx.create(ExpenseEntity, { ...definedOnly(fields), ...pricing, currency: project.currency, status: ExpenseStatus.DRAFT });
    });
  }

  /** Same rules as create; refused (CONFLICT) once INVOICED — immutable until the invoice is cancelled — or CANCELLED. */
  update(id: string, input: UpdateExpenseInput): Promise<ExpenseEntity> {
    const { amount, billable, markupPct, ...fields } = definedOnly(input);
    assertCalendarDates({ date: fields.date });
    return this.writePoint.run(async (tx) => {
      const expense = await lockMutableRecord(tx, EXPENSES, id);
      await this.scope.assertWritable('Expense', expense.resourceId);
      await deliveryProject(tx, expense.projectId);
      const nowBillable = billable ?? expense.billable;
      const pricing = price(amount ?? expense.amountAmount, nowBillable, markupPct ?? (nowBillable ? expense.markupPct : undefined));
      return tx.update(ExpenseEntity, id, { ...fields, ...pricing });
    });
  }

  /** The approval flow; INVOICED is entered and left only through mark/unmarkExpensesInvoiced. */
  transition(id: string, to: ExpenseStatus): Promise<ExpenseEntity> {
    return this.writePoint.run(async (tx) => {
      await this.scope.assertWritableRow('Expense', tx.manager, ExpenseEntity, id);
      return transitionRecord(tx, EXPENSES, id, to);
    });
  }

  /** Invoice POST: APPROVED billable expenses become INVOICED, all or nothing; already on this invoice line is a no-op. */
  markInvoiced(ids: string[], invoiceId: string, invoiceLineId: string | null | undefined): Promise<ExpenseEntity[]> {
    // the invoice is ERP's fact: PSA stamps it on behalf of the ERP
    return this.writePoint.run((tx) => markRecordsInvoiced(tx, EXPENSES, ids, invoiceId, invoiceLineId), { onBehalfOf: 'erp' });
  }

  /** Invoice CANCEL: every expense of the invoice goes back to APPROVED, unlinked. */
  unmarkInvoiced(invoiceId: string): Promise<ExpenseEntity[]> {
    return this.writePoint.run((tx) => unmarkRecordsInvoiced(tx, EXPENSES, invoiceId), { onBehalfOf: 'erp' });
  }

  private loadOfProjects(projectIds: string[], { first, statusIn }: ProjectExpensesOptions): Promise<ExpenseEntity[][]> {
    return loadChildren(this.expenses, projectIds, {
      parentProperty: 'projectId',
      limitPerParent: first,
      orderBy: 'date',
      direction: 'DESC',
      where: statusIn ? 'status = ANY(:statuses)' : undefined,
      parameters: { statuses: statusIn },
    });
  }
}

/** amount > 0; a non-billable expense has markup 0 and bills nothing; billAmount = amount × (1 + markupPct / 100). */
function price(amount: string, billable: boolean, markupPct: string | undefined): ExpensePricing {
  assertPositive(amount, 'amount');
  if (!billable && markupPct !== undefined && !decimal(markupPct).isZero()) {
    throw new BadInputError('a non-billable expense has markupPct 0', { field: 'markupPct', value: markupPct });
  }
  const markup = billable ? decimal(markupPct ?? '0') : decimal(0);
  return {
    amountAmount: toAmount(amount),
    billable,
    markupPct: markup.toFixed(2),
    billAmountAmount: billable ? toAmount(decimal(amount).times(markup.dividedBy(100).plus(1))) : toAmount('0'),
  };
}
