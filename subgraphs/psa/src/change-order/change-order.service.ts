import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { Repository } from 'typeorm';
import {
  assertFound,
  BadInputError,
  ConflictError,
  decimal,
  loadByIds,
  toAmount,
  loadChildren,
  pageSize,
  paginate,
  type Page,
} from '@concord/common';
import { childListLoader, WritePoint, type WriteTransaction } from '@concord/graphql';
import { definedOnly, normalizeDecimals } from '../common/input-formats';
import { ProjectService } from '../project/project.service';
import { TaskEntity, TaskStatus } from '../task/task.entity';
import { ChangeOrderEntity, ChangeOrderStatus } from './change-order.entity';
import { changeOrderStates } from './change-order.states';
import {
  ChangeOrderSortField,
  type ChangeOrdersArgs,
  type CreateChangeOrderInput,
  type UpdateChangeOrderInput,
} from './dtos/change-order.input';

const DECIMAL_FIELDS = ['delta', 'deltaHours'] as const;

@Injectable()
export class ChangeOrderService {
  private readonly byId = new DataLoader<string, ChangeOrderEntity | null>((ids) => loadByIds(this.changeOrders, ids), { cache: false });
  private readonly byProject = childListLoader<{ first: number }, ChangeOrderEntity>((projectIds, { first }) =>
    loadChildren(this.changeOrders, projectIds, {
      parentProperty: 'projectId',
      limitPerParent: first,
      orderBy: 'createdAt',
      direction: 'ASC',
    }),
  );

  constructor(
    @InjectRepository(ChangeOrderEntity) private readonly changeOrders: Repository<ChangeOrderEntity>,
    private readonly projectService: ProjectService,
    private readonly writePoint: WritePoint,
  ) {}

  findById(id: string): Promise<ChangeOrderEntity | null> {
    return this.byId.load(id);
  }

  /** `Project.changeOrders`, batched over every project asked for. */
  changeOrdersOfProject(projectId: string, first: number): Promise<ChangeOrderEntity[]> {
    return this.byProject.load({ parentId: projectId, args: { first: pageSize(first) } });
  }

  list({ filter = {}, orderBy, ...page }: ChangeOrdersArgs): Promise<Page<ChangeOrderEntity>> {
    const query = this.changeOrders.createQueryBuilder('changeOrder');
    if (filter.projectId) {
      query.andWhere('changeOrder.projectId = :projectId', { projectId: filter.projectId });
    }
    if (filter.contractId) {
      query.andWhere('changeOrder.contractId = :contractId', { contractId: filter.contractId });
    }
    if (filter.statusIn?.length) {
      query.andWhere('changeOrder.status = ANY(:statuses)', { statuses: filter.statusIn });
    }
    const field = orderBy?.field ?? ChangeOrderSortField.CREATED_AT;
    return paginate(query, page, { field, property: field, direction: orderBy?.direction ?? 'ASC' });
  }

  create(input: CreateChangeOrderInput): Promise<ChangeOrderEntity> {
    const { delta, deltaHours, number, contractId, ...fields } = normalizeDecimals(input, DECIMAL_FIELDS);
    const values = { deltaAmount: delta ?? '0.00', deltaHours: deltaHours ?? '0.00', newEndDate: input.newEndDate ?? null };
    assertChangesSomething(values);
    return this.writePoint.run(async (tx) => {
      const project = await this.projectService.lockEditable(tx, input.projectId);
      return tx.create(ChangeOrderEntity, {
        ...definedOnly(fields),
        ...values,
        number: number ?? (await this.nextNumber(tx, project.id)),
        contractId: contractId !== undefined ? contractId : project.contractId,
        currency: project.currency,
        status: ChangeOrderStatus.DRAFT,
      });
    });
  }

  /** Only a DRAFT change order can be edited; once submitted, its terms are what the approver saw. */
  update(id: string, input: UpdateChangeOrderInput): Promise<ChangeOrderEntity> {
    const { delta, ...fields } = definedOnly(normalizeDecimals(input, DECIMAL_FIELDS));
    return this.writePoint.run(async (tx) => {
      const changeOrder = await tx.manager.getRepository(ChangeOrderEntity).findOneBy({ id });
      assertFound(changeOrder, 'ChangeOrder', id);
      await this.projectService.lockEditable(tx, changeOrder.projectId);
      if (changeOrder.status !== ChangeOrderStatus.DRAFT) {
        throw new ConflictError(`change order ${changeOrder.number} is ${changeOrder.status}; only a DRAFT can be edited`, {
          changeOrderId: id,
          status: changeOrder.status,
        });
      }
      const patch: Partial<ChangeOrderEntity> = { ...fields };
      if (delta !== undefined) {
        patch.deltaAmount = delta;
      }
      assertChangesSomething({ ...changeOrder, ...patch });
      return tx.update(ChangeOrderEntity, id, patch);
    });
  }

  submit(id: string): Promise<ChangeOrderEntity> {
    return this.writePoint.run((tx) => tx.transition(ChangeOrderEntity, id, changeOrderStates, ChangeOrderStatus.SUBMITTED));
  }

  /** Approval records who approved and when (approvedBy is required). */
  approve(id: string, approvedBy: string): Promise<ChangeOrderEntity> {
    return this.writePoint.run((tx) =>
      tx.transition(ChangeOrderEntity, id, changeOrderStates, ChangeOrderStatus.APPROVED, () => {
        if (!approvedBy.trim()) {
          throw new BadInputError('approvedBy is required to approve a change order', { field: 'approvedBy' });
        }
        return { approvedBy: approvedBy.trim(), approvedAt: new Date() };
      }),
    );
  }

  reject(id: string): Promise<ChangeOrderEntity> {
    return this.writePoint.run((tx) => tx.transition(ChangeOrderEntity, id, changeOrderStates, ChangeOrderStatus.REJECTED));
  }

  withdraw(id: string): Promise<ChangeOrderEntity> {
    return this.writePoint.run((tx) => tx.transition(ChangeOrderEntity, id, changeOrderStates, ChangeOrderStatus.WITHDRAWN));
  }

  /**
   * APPROVED → APPLIED: in the same transaction, the project budget (amount and hours) grows by the deltas and
   * its planned end moves to newEndDate when given. The ERP side (contract line, billing) is a later workflow.
   */
  apply(id: string): Promise<ChangeOrderEntity> {
    return this.writePoint.run(async (tx) => {
      const changeOrder = await tx.transition(ChangeOrderEntity, id, changeOrderStates, ChangeOrderStatus.APPLIED, () => ({
        appliedAt: new Date(),
      }));
      await this.projectService.applyBudgetChange(tx, changeOrder.projectId, changeOrder);
      return changeOrder;
    });
  }

  /**
   * Adds the change order's deltaHours to the allocated hours of the project's task billed under the contract line
   * it changes (Odoo rewrites a task's allocated hours when its sales order line's quantity changes): the earliest
   * such task still open, else the earliest. Once per change order: the task is recorded on it (allocatedTaskId) in
   * the same transaction, and a second call answers the change order unchanged. Nothing to do without hours or
   * without a task on the line. Only an APPROVED or APPLIED change order; a task may not drop below 0 hours.
   */
  allocateHours(id: string, contractLineId: string): Promise<ChangeOrderEntity> {
    return this.writePoint.run(async (tx) => {
      const found = await tx.manager.getRepository(ChangeOrderEntity).findOneBy({ id });
      assertFound(found, 'ChangeOrder', id);
      await this.projectService.lockEditable(tx, found.projectId);
      // read again under the project lock: a concurrent call for the same change order has committed or waits
      const changeOrder = (await tx.manager.getRepository(ChangeOrderEntity).findOneBy({ id }))!;
      if (changeOrder.allocatedTaskId) {
        return changeOrder;
      }
      if (changeOrder.status !== ChangeOrderStatus.APPROVED && changeOrder.status !== ChangeOrderStatus.APPLIED) {
        throw new ConflictError(
          `change order ${changeOrder.number} is ${changeOrder.status}; only an APPROVED or APPLIED one adds hours to tasks`,
          {
            changeOrderId: id,
            status: changeOrder.status,
          },
        );
      }
      if (decimal(changeOrder.deltaHours).isZero()) {
        return changeOrder;
      }
      const [first] = await tx.manager.query<{ id: string }[]>(
        `SELECT id FROM psa.task WHERE project_id = $1 AND contract_line_id = $2
          ORDER BY status = ANY($3::text[]), created_at, id LIMIT 1`,
        [changeOrder.projectId, contractLineId, [TaskStatus.DONE, TaskStatus.CANCELLED]],
      );
      const task = first ? await tx.manager.getRepository(TaskEntity).findOneBy({ id: first.id }) : null;
      if (!task) {
        return changeOrder;
      }
      const allocatedHours = decimal(task.allocatedHours).plus(changeOrder.deltaHours);
      if (allocatedHours.isNegative()) {
        throw new BadInputError(
          `change order ${changeOrder.number} removes ${decimal(changeOrder.deltaHours).negated().toFixed(2)} h, task ${task.name} has ${task.allocatedHours} h allocated`,
          { changeOrderId: id, taskId: task.id, field: 'deltaHours' },
        );
      }
      await tx.update(TaskEntity, task.id, { allocatedHours: toAmount(allocatedHours) });
      await this.projectService.recomputePercentComplete(tx, changeOrder.projectId);
      return tx.update(ChangeOrderEntity, id, { allocatedTaskId: task.id });
    });
  }

  /** Next "CO-nnn" of the project; the caller holds the project row lock, so two creates cannot pick the same. */
  private async nextNumber(tx: WriteTransaction, projectId: string): Promise<string> {
    const [row] = await tx.manager.query<{ last: number | null }[]>(
      `SELECT max(substring(number FROM '^CO-(\\d{1,9})$')::integer) AS last FROM psa.change_order WHERE project_id = $1`,
      [projectId],
    );
    return `CO-${String((row?.last ?? 0) + 1).padStart(3, '0')}`;
  }
}

function assertChangesSomething(values: { deltaAmount: string; deltaHours: string; newEndDate: string | null }): void {
  if (decimal(values.deltaAmount).isZero() && decimal(values.deltaHours).isZero() && !values.newEndDate) {
    throw new BadInputError('a change order must change the budget amount, the budget hours or the end date', {
      fields: ['delta', 'deltaHours', 'newEndDate'],
    });
  }
}
