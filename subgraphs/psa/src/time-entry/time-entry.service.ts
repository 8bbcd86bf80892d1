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
  loadChildren,
  pageSize,
  paginate,
  type Page,
} from '@concord/common';
import { childListLoader, WritePoint, type WriteTransaction } from '@concord/graphql';
import { AssignmentEntity, AssignmentStatus } from '../assignment/assignment.entity';
import {
  filterByInvoicing,
  lockMutableRecord,
  markRecordsInvoiced,
  transitionRecord,
  unmarkRecordsInvoiced,
  type BillableRecordKind,
} from '../common/billable-records';
import { assertCalendarDates, deliveryProject } from '../common/delivery-rules';
import { PersonScope } from '../common/person-scope';
import { definedOnly } from '../common/input-formats';
import { extendedAmount } from '../common/rates';
import { TaskEntity } from '../task/task.entity';
import { TimeEntryEntity, TimeEntryStatus } from './time-entry.entity';
import { timeEntryStates } from './time-entry.states';
import { TimeEntrySortField, type CreateTimeEntryInput, type TimeEntriesArgs, type UpdateTimeEntryInput } from './dtos/time-entry.input';

/** Most hours one resource can log on one date, over all its entries (the "no overlapping entries" rule). */
export const MAX_HOURS_PER_DAY = 24;

interface ProjectEntriesOptions {
  first: number;
  statusIn: TimeEntryStatus[] | null;
}

interface ResourceEntriesOptions {
  first: number;
  from: string | null;
  to: string | null;
}

/** The priced part of an entry: what the rules decide from hours, billable flag and rates. */
interface PricingInput {
  hours: string;
  billable: boolean;
  billableHours?: string;
  billRate?: string;
  costRate: string;
}

type Pricing = Pick<
  TimeEntryEntity,
  'hours' | 'billable' | 'billableHours' | 'billRateAmount' | 'costRateAmount' | 'billAmountAmount' | 'costAmountAmount'
>;

const TIME_ENTRIES: BillableRecordKind<TimeEntryEntity> = {
  target: TimeEntryEntity,
  entity: 'TimeEntry',
  states: timeEntryStates,
  singular: 'time entry',
  plural: 'time entries',
  markMutation: 'markTimeEntriesInvoiced',
  unmarkMutation: 'unmarkTimeEntriesInvoiced',
};

@Injectable()
export class TimeEntryService {
  private readonly byId = new DataLoader<string, TimeEntryEntity | null>((ids) => loadByIds(this.entries, ids), { cache: false });
  private readonly byProject = childListLoader<ProjectEntriesOptions, TimeEntryEntity>((ids, options) => this.loadOfProjects(ids, options));
  private readonly byResource = childListLoader<ResourceEntriesOptions, TimeEntryEntity>((ids, options) =>
    this.loadOfResources(ids, options),
  );

  constructor(
    @InjectRepository(TimeEntryEntity) private readonly entries: Repository<TimeEntryEntity>,
    private readonly writePoint: WritePoint,
    private readonly scope: PersonScope,
  ) {}

  async findById(id: string): Promise<TimeEntryEntity | null> {
    return this.scope.visible('TimeEntry', await this.byId.load(id));
  }

  /** `Project.timeEntries`: the latest entries of each project, batched over every project of the response. */
  ofProject(projectId: string, first: number, statusIn?: TimeEntryStatus[] | null): Promise<TimeEntryEntity[]> {
    const options: ProjectEntriesOptions = { first: pageSize(first), statusIn: statusIn?.length ? [...new Set(statusIn)].sort() : null };
    return this.byProject.load({ parentId: projectId, args: options }).then((rows) => this.scope.filter('TimeEntry', rows));
  }

  /** `Resource.timeEntries`: the latest entries of each resource in a date range, batched. */
  ofResource(resourceId: string, first: number, from?: string | null, to?: string | null): Promise<TimeEntryEntity[]> {
    const options: ResourceEntriesOptions = { first: pageSize(first), from: from ?? null, to: to ?? null };
    return this.byResource.load({ parentId: resourceId, args: options }).then((rows) => this.scope.filter('TimeEntry', rows));
  }

  list({ filter = {}, orderBy, ...page }: TimeEntriesArgs): Promise<Page<TimeEntryEntity>> {
    const query = this.scope.restrict(this.entries.createQueryBuilder('entry'), 'entry', 'TimeEntry');
    if (filter.projectId) {
      query.andWhere('entry.projectId = :projectId', { projectId: filter.projectId });
    }
    if (filter.resourceId) {
      query.andWhere('entry.resourceId = :resourceId', { resourceId: filter.resourceId });
    }
    if (filter.assignmentId) {
      query.andWhere('entry.assignmentId = :assignmentId', { assignmentId: filter.assignmentId });
    }
    if (filter.taskId) {
      query.andWhere('entry.taskId = :taskId', { taskId: filter.taskId });
    }
    if (filter.statusIn?.length) {
      query.andWhere('entry.status = ANY(:statuses)', { statuses: filter.statusIn });
    }
    if (filter.dateFrom) {
      query.andWhere('entry.date >= :dateFrom', { dateFrom: filter.dateFrom });
    }
    if (filter.dateTo) {
      query.andWhere('entry.date <= :dateTo', { dateTo: filter.dateTo });
    }
    filterByInvoicing(query, 'entry', filter);
    const field = orderBy?.field ?? TimeEntrySortField.DATE;
    return paginate(query, page, { field, property: field, direction: orderBy?.direction ?? 'ASC' });
  }

  /**
   * Logs hours on an assignment: its project and resource apply, rates default from it (snapshots), the date must
   * fall inside it, a task must be of the same project, and the resource's entries on the date total ≤ 24 hours.
   */
  create(input: CreateTimeEntryInput): Promise<TimeEntryEntity> {
    assertCalendarDates({ date: input.date });
    return this.writePoint.run(async (tx) => {
      const assignment = await this.assignmentFor(tx, input.assignmentId, {
        resourceId: input.resourceId,
        projectId: input.projectId,
        date: input.date,
      });
      await this.scope.assertWritable('TimeEntry', assignment.resourceId);
      const project = await deliveryProject(tx, assignment.projectId);
      const task = input.taskId ? await this.taskOf(tx, input.taskId, project.id) : null;
      const billable = input.billable ?? task?.billable ?? true;
      const pricing = price({
        hours: input.hours,
        billable,
        billableHours: input.billableHours,
        billRate: input.billRate ?? (billable ? assignment.billRateAmount : undefined),
        costRate: input.costRate ?? assignment.costRateAmount,
      });
      await this.assertDailyLimit(tx, assignment.resourceId, input.date, pricing.hours, null);
      return tx.create(TimeEntryEntity, {
        resourceId: assignment.resourceId,
        projectId: project.id,
        taskId: task?.id ?? null,
        assignmentId: assignment.id,
        date: input.date,
        description: input.description ?? null,
        currency: project.currency,
        status: TimeEntryStatus.DRAFT,
        ...pricing,
      });
    });
  }

  /**
   * Changes an entry with the same rules as create. Refused (CONFLICT) once INVOICED — the entry is immutable
   * until its invoice is cancelled — and once CANCELLED. Rates re-default from the assignment when it or the
   * billable flag changes; billable hours follow the hours unless given.
   */
  update(id: string, input: UpdateTimeEntryInput): Promise<TimeEntryEntity> {
    const patch = definedOnly(input);
    assertCalendarDates({ date: patch.date });
    return this.writePoint.run(async (tx) => {
      const entry = await lockMutableRecord(tx, TIME_ENTRIES, id);
      await this.scope.assertWritable('TimeEntry', entry.resourceId);
      const date = patch.date ?? entry.date;
      const assignmentChanged = patch.assignmentId !== undefined && patch.assignmentId !== entry.assignmentId;
      const assignment = await this.assignmentFor(tx, patch.assignmentId ?? entry.assignmentId, {
        resourceId: entry.resourceId,
        projectId: entry.projectId,
        date,
      });
      await deliveryProject(tx, entry.projectId);
      if (patch.taskId) {
        await this.taskOf(tx, patch.taskId, entry.projectId);
      }
      const pricing = price(repricing(entry, patch, assignment, assignmentChanged));
      if (patch.hours !== undefined || patch.date !== undefined) {
        await this.assertDailyLimit(tx, entry.resourceId, date, pricing.hours, entry.id);
      }
      const changes: Partial<TimeEntryEntity> = { ...pricing, assignmentId: assignment.id, date };
      if (patch.taskId !== undefined) {
        changes.taskId = patch.taskId;
      }
      if (patch.description !== undefined) {
        changes.description = patch.description;
      }
      return tx.update(TimeEntryEntity, id, changes);
    });
  }

  /** Moves an entry along its approval flow; the INVOICED edges belong to markTimeEntriesInvoiced / unmarkTimeEntriesInvoiced. */
  transition(id: string, to: TimeEntryStatus): Promise<TimeEntryEntity> {
    return this.writePoint.run(async (tx) => {
      await this.scope.assertWritableRow('TimeEntry', tx.manager, TimeEntryEntity, id);
      return transitionRecord(tx, TIME_ENTRIES, id, to);
    });
  }

  /** Billing workflow (invoice POST): APPROVED, billable entries become INVOICED on the invoice, all or nothing. */
  markInvoiced(ids: string[], invoiceId: string, invoiceLineId: string | null | undefined): Promise<TimeEntryEntity[]> {
    // the invoice is ERP's fact: PSA stamps it on behalf of the ERP
    return this.writePoint.run((tx) => markRecordsInvoiced(tx, TIME_ENTRIES, ids, invoiceId, invoiceLineId), { onBehalfOf: 'erp' });
  }

  /** Billing workflow (invoice CANCEL): every entry of the invoice goes back to APPROVED, unlinked. */
  unmarkInvoiced(invoiceId: string): Promise<TimeEntryEntity[]> {
    return this.writePoint.run((tx) => unmarkRecordsInvoiced(tx, TIME_ENTRIES, invoiceId), { onBehalfOf: 'erp' });
  }

  /** The assignment an entry is logged on: same resource and project when given, not cancelled, covering the date. */
  private async assignmentFor(
    tx: WriteTransaction,
    id: string,
    expected: { resourceId?: string; projectId?: string; date: string },
  ): Promise<AssignmentEntity> {
    const assignment = await tx.manager.findOneBy(AssignmentEntity, { id });
    assertFound(assignment, 'Assignment', id);
    if (expected.projectId && expected.projectId !== assignment.projectId) {
      throw new BadInputError('the assignment belongs to another project', {
        field: 'assignmentId',
        projectId: expected.projectId,
        assignmentProjectId: assignment.projectId,
      });
    }
    if (expected.resourceId && expected.resourceId !== assignment.resourceId) {
      throw new BadInputError('the assignment belongs to another resource', {
        field: 'assignmentId',
        resourceId: expected.resourceId,
        assignmentResourceId: assignment.resourceId,
      });
    }
    if (assignment.status === AssignmentStatus.CANCELLED) {
      throw new BadInputError('the assignment is CANCELLED: no time can be logged on it', { field: 'assignmentId' });
    }
    if (expected.date < assignment.startDate || expected.date > assignment.endDate) {
      throw new BadInputError(`date ${expected.date} is outside the assignment ${assignment.startDate}..${assignment.endDate}`, {
        field: 'date',
        startDate: assignment.startDate,
        endDate: assignment.endDate,
      });
    }
    return assignment;
  }

  private async taskOf(tx: WriteTransaction, taskId: string, projectId: string): Promise<TaskEntity> {
    const task = await tx.manager.findOneBy(TaskEntity, { id: taskId });
    assertFound(task, 'Task', taskId);
    if (task.projectId !== projectId) {
      throw new BadInputError('the task belongs to another project', { field: 'taskId', projectId, taskProjectId: task.projectId });
    }
    return task;
  }

  /**
   * A resource's entries on one date total at most 24 hours. A transaction-scoped advisory lock per resource and
   * date makes concurrent entries for the same day wait for each other, so two writes cannot both pass the check.
   */
  private async assertDailyLimit(
    tx: WriteTransaction,
    resourceId: string,
    date: string,
    hours: string,
    excludeId: string | null,
  ): Promise<void> {
    await tx.manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`psa:time-entry:${resourceId}:${date}`]);
    const query = tx.manager
      .getRepository(TimeEntryEntity)
      .createQueryBuilder('entry')
      .select('COALESCE(SUM(entry.hours), 0)', 'total')
      .where('entry.resourceId = :resourceId AND entry.date = :date AND entry.status <> :cancelled', {
        resourceId,
        date,
        cancelled: TimeEntryStatus.CANCELLED,
      });
    if (excludeId) {
      query.andWhere('entry.id <> :excludeId', { excludeId });
    }
    const { total } = (await query.getRawOne<{ total: string }>()) ?? { total: '0' };
    const dayTotal = decimal(total).plus(hours);
    if (dayTotal.greaterThan(MAX_HOURS_PER_DAY)) {
      throw new ConflictError(
        `the resource would log ${dayTotal.toFixed(2)} hours on ${date}; at most ${MAX_HOURS_PER_DAY} per day (already ${decimal(total).toFixed(2)})`,
        {
          field: 'hours',
          date,
          loggedHours: decimal(total).toFixed(2),
        },
      );
    }
  }

  private loadOfProjects(projectIds: string[], { first, statusIn }: ProjectEntriesOptions): Promise<TimeEntryEntity[][]> {
    return loadChildren(this.entries, projectIds, {
      parentProperty: 'projectId',
      limitPerParent: first,
      orderBy: 'date',
      direction: 'DESC',
      where: statusIn ? 'status = ANY(:statuses)' : undefined,
      parameters: { statuses: statusIn },
    });
  }

  private loadOfResources(resourceIds: string[], { first, from, to }: ResourceEntriesOptions): Promise<TimeEntryEntity[][]> {
    const conditions = [from ? 'date >= CAST(:from AS date)' : '', to ? 'date <= CAST(:to AS date)' : ''].filter(Boolean);
    return loadChildren(this.entries, resourceIds, {
      parentProperty: 'resourceId',
      limitPerParent: first,
      orderBy: 'date',
      direction: 'DESC',
      where: conditions.length ? conditions.join(' AND ') : undefined,
      parameters: { from, to },
    });
  }
}

/**
 * The pricing rules of a time entry: 0 < hours ≤ 24; a non-billable entry has billRate 0 and billableHours 0;
 * billable hours never exceed hours; billAmount = billableHours × billRate, costAmount = hours × costRate.
 */
function price({ hours, billable, billableHours, billRate, costRate }: PricingInput): Pricing {
  const worked = decimal(hours);
  if (!worked.greaterThan(0) || worked.greaterThan(MAX_HOURS_PER_DAY)) {
    throw new BadInputError(`hours must be greater than 0 and at most ${MAX_HOURS_PER_DAY}, got ${hours}`, {
      field: 'hours',
      value: hours,
    });
  }
  if (!billable) {
    if (billRate !== undefined && !decimal(billRate).isZero()) {
      throw new BadInputError('a non-billable entry has billRate 0', { field: 'billRate', value: billRate });
    }
    if (billableHours !== undefined && !decimal(billableHours).isZero()) {
      throw new BadInputError('a non-billable entry has billableHours 0', { field: 'billableHours', value: billableHours });
    }
  }
  const billed = billable ? (billableHours ?? hours) : '0';
  const rate = billable ? (billRate ?? '0') : '0';
  if (decimal(billed).greaterThan(worked)) {
    throw new BadInputError(`billableHours ${billed} exceed hours ${hours}`, { field: 'billableHours', value: billed });
  }
  return {
    hours: worked.toFixed(2),
    billable,
    billableHours: decimal(billed).toFixed(2),
    billRateAmount: decimal(rate).toFixed(6),
    costRateAmount: decimal(costRate).toFixed(6),
    billAmountAmount: extendedAmount(billed, rate),
    costAmountAmount: extendedAmount(hours, costRate),
  };
}

/**
 * The pricing input of an updated entry: what the patch gives, else what the entry has — except that billable
 * hours follow changed hours, and rates follow a new assignment or a billable flag switched on.
 */
function repricing(
  entry: TimeEntryEntity,
  patch: Partial<UpdateTimeEntryInput>,
  assignment: AssignmentEntity,
  assignmentChanged: boolean,
): PricingInput {
  const billable = patch.billable ?? entry.billable;
  const billableChanged = billable !== entry.billable;
  const hours = patch.hours ?? entry.hours;
  const defaultBillableHours = patch.hours !== undefined || billableChanged ? hours : entry.billableHours;
  const defaultBillRate = assignmentChanged || billableChanged ? assignment.billRateAmount : entry.billRateAmount;
  return {
    hours,
    billable,
    billableHours: patch.billableHours ?? (billable ? defaultBillableHours : undefined),
    billRate: patch.billRate ?? (billable ? defaultBillRate : undefined),
    costRate: patch.costRate ?? (assignmentChanged ? assignment.costRateAmount : entry.costRateAmount),
  };
}
