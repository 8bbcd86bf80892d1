import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { Repository } from 'typeorm';
import { assertFound, BadInputError, ConflictError, loadByIds, loadChildren, pageSize, paginate, type Page } from '@concord/common';
import { childListLoader, WritePoint, type WriteTransaction } from '@concord/graphql';
import { PersonScope } from '../common/person-scope';
import { assertCalendarDates, assertPeriod, deliveryProject } from '../common/delivery-rules';
import { definedOnly } from '../common/input-formats';
import { scaled } from '../common/rates';
import { ResourceRequestEntity } from '../resource-request/resource-request.entity';
import { ResourceRequestService } from '../resource-request/resource-request.service';
import { ResourceEntity } from '../resource/resource.entity';
import { TimeEntryEntity, TimeEntryStatus } from '../time-entry/time-entry.entity';
import { AssignmentEntity, AssignmentStatus } from './assignment.entity';
import { assignmentStates, CLOSED_ASSIGNMENT_STATUSES } from './assignment.states';
import { AssignmentSortField, type AssignmentsArgs, type CreateAssignmentInput, type UpdateAssignmentInput } from './dtos/assignment.input';

interface NestedOptions {
  first: number;
  statusIn: AssignmentStatus[] | null;
}

@Injectable()
export class AssignmentService {
  private readonly byId = new DataLoader<string, AssignmentEntity | null>((ids) => loadByIds(this.assignments, ids), { cache: false });
  private readonly byProject = childListLoader<NestedOptions, AssignmentEntity>((ids, options) =>
    this.loadChildren('projectId', ids, options),
  );
  private readonly byResource = childListLoader<NestedOptions, AssignmentEntity>((ids, options) =>
    this.loadChildren('resourceId', ids, options),
  );

  constructor(
    @InjectRepository(AssignmentEntity) private readonly assignments: Repository<AssignmentEntity>,
    private readonly resourceRequestService: ResourceRequestService,
    private readonly writePoint: WritePoint,
    private readonly scope: PersonScope,
  ) {}

  async findById(id: string): Promise<AssignmentEntity | null> {
    return this.scope.visible('Assignment', await this.byId.load(id));
  }

  /** `Project.assignments`, batched over every project of the response. */
  ofProject(projectId: string, first: number, statusIn?: AssignmentStatus[] | null): Promise<AssignmentEntity[]> {
    return this.byProject
      .load({ parentId: projectId, args: nestedOptions(first, statusIn) })
      .then((rows) => this.scope.filter('Assignment', rows));
  }

  /** `Resource.assignments`, batched over every resource of the response. */
  ofResource(resourceId: string, first: number, statusIn?: AssignmentStatus[] | null): Promise<AssignmentEntity[]> {
    return this.byResource
      .load({ parentId: resourceId, args: nestedOptions(first, statusIn) })
      .then((rows) => this.scope.filter('Assignment', rows));
  }

  list({ filter = {}, orderBy, ...page }: AssignmentsArgs): Promise<Page<AssignmentEntity>> {
    const query = this.scope.restrict(this.assignments.createQueryBuilder('assignment'), 'assignment', 'Assignment');
    if (filter.projectId) {
      query.andWhere('assignment.projectId = :projectId', { projectId: filter.projectId });
    }
    if (filter.resourceId) {
      query.andWhere('assignment.resourceId = :resourceId', { resourceId: filter.resourceId });
    }
    if (filter.statusIn?.length) {
      query.andWhere('assignment.status = ANY(:statuses)', { statuses: filter.statusIn });
    }
    if (filter.role) {
      query.andWhere('assignment.role = :role', { role: filter.role });
    }
    if (filter.from) {
      query.andWhere('assignment.endDate >= :from', { from: filter.from });
    }
    if (filter.to) {
      query.andWhere('assignment.startDate <= :to', { to: filter.to });
    }
    const field = orderBy?.field ?? AssignmentSortField.START_DATE;
    return paginate(query, page, { field, property: field, direction: orderBy?.direction ?? 'ASC' });
  }

  /**
   * Books a resource on a project. Rates are snapshots in the project currency: the cost rate defaults from the
   * resource only when it is costed in that currency (no FX in PSA). From a request, the request becomes
   * FULFILLED in the same transaction, or nothing is written.
   */
  create(input: CreateAssignmentInput): Promise<AssignmentEntity> {
    assertCalendarDates({ startDate: input.startDate, endDate: input.endDate });
    return this.writePoint.run(async (tx) => {
      const request = input.resourceRequestId ? await this.requestOf(tx, input) : null;
      const projectId = input.projectId ?? request?.projectId;
      if (!projectId) {
        throw new BadInputError('projectId is required unless resourceRequestId is given', { field: 'projectId' });
      }
      const project = await deliveryProject(tx, projectId);
      const resource = await tx.manager.findOneBy(ResourceEntity, { id: input.resourceId });
      assertFound(resource, 'Resource', input.resourceId);
      if (!resource.active) {
        throw new BadInputError(`resource ${resource.name} is inactive and cannot be assigned`, { field: 'resourceId' });
      }
      if (input.costRate === undefined && resource.currency !== project.currency) {
        throw new BadInputError(
          `the resource is costed in ${resource.currency}, the project in ${project.currency}: give costRate in ${project.currency}`,
          {
            field: 'costRate',
          },
        );
      }
      const values = {
        projectId,
        resourceId: resource.id,
        resourceRequestId: request?.id ?? null,
        role: input.role ?? request?.role ?? resource.primaryRole,
        billRateAmount: scaled(input.billRate, 6),
        costRateAmount: scaled(input.costRate ?? resource.costRateAmount, 6),
        currency: project.currency,
        scheduledHours: scaled(required(input.scheduledHours ?? request?.hours, 'scheduledHours'), 2),
        startDate: required(input.startDate ?? request?.startDate, 'startDate'),
        endDate: required(input.endDate ?? request?.endDate, 'endDate'),
        status: input.status ?? AssignmentStatus.SOFT,
      };
      assertPeriod(values.startDate, values.endDate);
      const assignment = await tx.create<AssignmentEntity>(AssignmentEntity, values);
      if (request) {
        await this.resourceRequestService.fulfil(tx, request.id, assignment.id);
      }
      return assignment;
    });
  }

  /** Edits a SOFT or HARD assignment; its period must still cover the time already logged on it. */
  update(id: string, input: UpdateAssignmentInput): Promise<AssignmentEntity> {
    const { billRate, costRate, scheduledHours, ...fields } = input;
    const patch: Partial<AssignmentEntity> = definedOnly({
      ...fields,
      billRateAmount: scaled(billRate, 6),
      costRateAmount: scaled(costRate, 6),
      scheduledHours: scaled(scheduledHours, 2),
    });
    assertCalendarDates({ startDate: patch.startDate, endDate: patch.endDate });
    return this.writePoint.run(async (tx) => {
      const assignment = await tx.manager.findOneBy(AssignmentEntity, { id });
      assertFound(assignment, 'Assignment', id);
      if (CLOSED_ASSIGNMENT_STATUSES.includes(assignment.status)) {
        throw new ConflictError(`assignment ${id} is ${assignment.status} and can no longer change`, { id, status: assignment.status });
      }
      const startDate = patch.startDate ?? assignment.startDate;
      const endDate = patch.endDate ?? assignment.endDate;
      assertPeriod(startDate, endDate);
      if (patch.startDate !== undefined || patch.endDate !== undefined) {
        await this.assertCoversTime(tx, id, startDate, endDate);
      }
      return tx.update(AssignmentEntity, id, patch);
    });
  }

  transition(id: string, to: AssignmentStatus): Promise<AssignmentEntity> {
    return this.writePoint.run((tx) => tx.transition(AssignmentEntity, id, assignmentStates, to));
  }

  private async requestOf(tx: WriteTransaction, input: CreateAssignmentInput): Promise<ResourceRequestEntity> {
    const id = input.resourceRequestId as string;
    const request = await tx.manager.findOneBy(ResourceRequestEntity, { id });
    assertFound(request, 'ResourceRequest', id);
    if (input.projectId && input.projectId !== request.projectId) {
      throw new BadInputError('the resource request belongs to another project', {
        field: 'resourceRequestId',
        projectId: request.projectId,
      });
    }
    return request;
  }

  private async assertCoversTime(tx: WriteTransaction, id: string, startDate: string, endDate: string): Promise<void> {
    const outside = await tx.manager
      .getRepository(TimeEntryEntity)
      .createQueryBuilder('entry')
      .where('entry.assignmentId = :id', { id })
      .andWhere('entry.status <> :cancelled', { cancelled: TimeEntryStatus.CANCELLED })
      .andWhere('(entry.date < :startDate OR entry.date > :endDate)', { startDate, endDate })
      .getCount();
    if (outside > 0) {
      throw new ConflictError(`${outside} time entries of the assignment fall outside ${startDate}..${endDate}`, {
        id,
        startDate,
        endDate,
        entries: outside,
      });
    }
  }

  private loadChildren(
    parentProperty: 'projectId' | 'resourceId',
    parentIds: string[],
    { first, statusIn }: NestedOptions,
  ): Promise<AssignmentEntity[][]> {
    return loadChildren(this.assignments, parentIds, {
      parentProperty,
      limitPerParent: first,
      orderBy: 'startDate',
      direction: 'ASC',
      where: statusIn ? 'status = ANY(:statuses)' : undefined,
      parameters: { statuses: statusIn },
    });
  }
}

function nestedOptions(first: number, statusIn: AssignmentStatus[] | null | undefined): NestedOptions {
  return { first: pageSize(first), statusIn: statusIn?.length ? [...new Set(statusIn)].sort() : null };
}

function required<T>(value: T | null | undefined, field: string): T {
  if (value === null || value === undefined) {
    throw new BadInputError(`${field} is required unless it comes from a resource request`, { field });
  }
  return value;
}
